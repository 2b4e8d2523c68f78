"""Hera: upstream/k8s_wait_wf. Create a Workflow as a Kubernetes object, then wait until it
succeeds (or fail when it fails)."""

from tiphys import pipeline, resource, workflow

SLEEP_WORKFLOW = {
    "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"generateName": "sleep-"},
    "spec": {"entrypoint": "sleep", "templates": [
        {"name": "sleep", "container": {"image": "alpine:latest", "command": ["sleep", "20"]}}]},
}

create_wf = resource("create-wf", "create", SLEEP_WORKFLOW, outputs={"wf-name": "{.metadata.name}"})
wait_wf = resource("wait-wf", "get",
                   {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
                    "metadata": {"name": "{{inputs.parameters.wf_name}}"}},
                   inputs=["wf_name"], success_condition="status.phase == Succeeded",
                   failure_condition="status.phase in (Failed, Error)")

created = create_wf().named("create-wf")
k8s_wait_wf = workflow("k8s-wait-wf", pipeline(
    created, wait_wf(wf_name=created.outputs["wf-name"])))
