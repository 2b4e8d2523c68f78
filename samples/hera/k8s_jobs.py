"""A Kubernetes Job as a step (Hera upstream/k8s_jobs): the resource template waits for
three completions, fails after two failures, is owned by the workflow, and publishes the
Job's name (a braced JSONPath) and the whole object (a jq filter, '.')."""

from tiphys import pipeline, resource, workflow

rand_num = resource(
    "rand-num",
    "create",
    {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"generateName": "rand-num-"},
        "spec": {
            "completions": 3,
            "parallelism": 3,
            "template": {
                "metadata": {"name": "rand"},
                "spec": {
                    "containers": [{
                        "name": "rand",
                        "image": "python:alpine3.23",
                        "command": ["python", "-c", "import random; import time; "
                                    "print(random.randint(1, 1000)); time.sleep(10)"],
                    }],
                    "restartPolicy": "Never",
                },
            },
        },
    },
    success_condition="status.succeeded > 2",
    failure_condition="status.failed > 1",
    set_owner_reference=True,
    outputs={"job-name": "{.metadata.name}", "job-obj": "."},
)

k8s_jobs = workflow("k8s-jobs", pipeline(rand_num))
