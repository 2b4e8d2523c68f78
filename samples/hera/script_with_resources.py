"""Hera: scripts/script_with_resources. A Python task that requests 5Gi of memory."""

from tiphys import task, workflow


@task(resources={"requests": {"memory": "5Gi"}})
def task_with_memory_request() -> None:
    print("ok")


script_with_resources = workflow("script-with-resources", task_with_memory_request())
