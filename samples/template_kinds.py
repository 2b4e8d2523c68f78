"""Suspend (approval), resource and http templates, and calling another WorkflowTemplate."""

from tiphys import dag, http, resource, suspend, task, template_ref, workflow


@task
def build(version: str) -> str:
    return f"registry.example.com/app:{version}"


approve = suspend("approve", outputs=["approver"])
wait = suspend("cool-down", duration="2m")
deploy = resource(
    "deploy",
    "create",
    {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"generateName": "smoke-test-"},
        "spec": {"template": {"spec": {
            "containers": [{"name": "smoke", "image": "{{inputs.parameters.image}}"}],
            "restartPolicy": "Never",
        }}},
    },
    inputs=["image"],
    success_condition="status.succeeded > 0",
    failure_condition="status.failed > 3",
    outputs={"job": "{.metadata.name}"},
)
ping = http("ping", "https://status.example.com/health", method="GET",
            success_condition="response.statusCode == 200", timeout=30)
# A template of the "hello-tiphys" WorkflowTemplate compiled from quickstart.py: checked.
greet = template_ref("hello-tiphys", "greet", inputs=["name"], outputs=["return"])

image = build(version="1.4.2")
approval = approve().after(image)
rollout = deploy(image=image).after(approval)
cooled = wait().after(rollout)
health = ping().after(cooled)
hello = greet(name=approval.outputs["approver"])

release = workflow("release", dag(health, hello))
