"""Hera: misc/user_container. A Python task with a sidecar that mounts a volume of its own (a
claim the workflow creates), at a path the task's own container does not see."""

from tiphys import dag, sidecar, task, volume_claim, workflow


@task(sidecars=[sidecar("sidecar-name", "alpine:3.20", command=["sleep", "5"],
                        volumes={"/whatever": "something"})])
def foo() -> None:
    print("hi")


user_container = workflow("sidecar-volume-mount", dag(foo()),
                          volume_claims=[volume_claim("something", "64Mi")])
