"""Hera: upstream/k8s_orchestration. Create a Job, print its pods' logs, delete it: the Job's
name and uid are outputs of the resource step."""

from tiphys import container, pipeline, resource, workflow

JOB = {
    "apiVersion": "batch/v1", "kind": "Job", "metadata": {"generateName": "rand-num-"},
    "spec": {"completions": 10, "parallelism": 10, "template": {
        "metadata": {"name": "rand"},
        "spec": {"containers": [{"name": "rand", "image": "python:alpine3.6", "command": [
            "python", "-c", "import random; import time; print(random.randint(1, 1000)); time.sleep(10)"]}],
            "restartPolicy": "Never"}}},
}

random_number_job = resource("random-number-job", "create", JOB,
                             success_condition="status.succeeded > 9",
                             failure_condition="status.failed > 0",
                             outputs={"job-name": "{.metadata.name}", "job-uid": "{.metadata.uid}"})
print_generated_numbers = container(
    "print-generated-numbers", "quay.io/argoproj/argoexec:latest", command=["sh", "-c"],
    args=[" for i in `kubectl get pods -l controller-uid=$(job_uid) -o name`; do kubectl logs $i; done "],
    inputs=["job_uid"])
delete_job = resource("delete-job", "delete",
                      {"apiVersion": "batch/v1", "kind": "Job",
                       "metadata": {"name": "{{inputs.parameters.job_name}}"}},
                      inputs=["job_name"])

job = random_number_job().named("random-number-job")
k8s_orchestrate = workflow("k8s-orchestrate", pipeline(
    job,
    print_generated_numbers(job_uid=job.outputs["job-uid"]),
    delete_job(job_name=job.outputs["job-name"]),
))
