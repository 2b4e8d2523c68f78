"""A task with resources, retries, a timeout, env, node placement and volumes."""

from tiphys import (
    container,
    empty_dir,
    mount,
    pipeline,
    pvc,
    task,
    volume_claim,
    workflow,
)


@task(
    image="python:3.12-slim",
    cpu="500m",
    memory="1Gi",
    gpu=1,
    retries=3,
    timeout="10m",
    env={"MODE": "train", "EPOCHS": 3},
    volumes={"/data": mount("datasets", read_only=True), "/work": "scratch", "/out": "results"},
    node_selector={"accelerator": "nvidia-t4"},
    tolerations=[{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}],
)
def train(learning_rate: float = 0.01) -> dict[str, object]:
    import os

    epochs = int(os.environ["EPOCHS"])
    return {"mode": os.environ["MODE"], "epochs": epochs, "lr": learning_rate}


archive = container(
    "archive",
    "alpine:3.20",
    command=["sh", "-c"],
    args=["tar czf /out/model.tgz -C /work . && ls -l /out"],
    volumes={"/work": "scratch", "/out": "results"},
    memory="256Mi",
)

training = workflow(
    "train-model",
    pipeline(train(learning_rate=0.001), archive),
    service_account="trainer",
    volumes=[pvc("datasets", claim="shared-datasets", read_only=True), empty_dir("scratch")],
    volume_claims=[volume_claim("results", "5Gi")],
    active_deadline="2h",
)
