"""Hera: misc/volume_mounts. One Python task mounts a volume that each call chooses: the task's
input `vol` names it (``from_input("vol")``), and three calls mount three claims. Each name is
checked against the volumes the workflow declares."""

from tiphys import dag, from_input, task, volume_claim, workflow


@task(volumes={"/mnt/vol": from_input("vol")})
def foo(vol: str) -> None:
    import os
    import subprocess

    print(os.listdir("/mnt"))
    print(subprocess.run("cd /mnt && df -h", shell=True, capture_output=True).stdout.decode())


volume_mounts = workflow(
    "volumes",
    dag(foo(vol="v1").named("v1"), foo(vol="v2").named("v2"), foo(vol="v3").named("v3")),
    volume_claims=[volume_claim("v1", "1Gi"), volume_claim("v2", "3Gi"), volume_claim("v3", "5Gi")],
)
