"""The task's pod: node and pod affinity, security contexts, a service account, pod labels and
annotations, an init container, a sidecar, a daemon and a pod spec patch.

Training runs on amd64 GPU nodes (preferably the larger ones), away from other trainers, as a
non-root user; an init container fetches the vocabulary into the shared work folder, a
statsd sidecar collects metrics, and a daemon pings a health check while the workflow runs.
"""

from tiphys import (
    container,
    empty_dir,
    init_container,
    node_affinity,
    pipeline,
    pod_anti_affinity,
    secret,
    sidecar,
    task,
    workflow,
)

heartbeat = container(
    "heartbeat",
    "curlimages/curl:8.8.0",
    command=["sh", "-c"],
    args=['while true; do curl -fsS -m 10 "$PING_URL" > /dev/null; sleep 60; done'],
    env={"PING_URL": secret("healthchecks", "training-url")},
    daemon=True,
    cpu="10m",
    memory="16Mi",
)


@task(
    image="python:3.12-slim",
    gpu=1,
    memory="8Gi",
    volumes={"/work": "work"},
    init_containers=[init_container(
        "fetch-vocab", "alpine:3.20",
        command=["sh", "-c", "wget -qO /work/vocab.txt https://example.com/vocab.txt"],
        mirror_volume_mounts=True,
    )],
    sidecars=[sidecar("statsd", "prom/statsd-exporter:v0.27.1", cpu="50m", memory="64Mi")],
    affinity=[
        node_affinity(required={"kubernetes.io/arch": ["amd64"]},
                      preferred={"node.kubernetes.io/instance-type": ["g5.2xlarge", "g5.4xlarge"]},
                      weight=80),
        pod_anti_affinity({"app": "trainer"}),
    ],
    security_context={"runAsNonRoot": True, "runAsUser": 1000, "fsGroup": 1000},
    container_security_context={"allowPrivilegeEscalation": False,
                                "capabilities": {"drop": ["ALL"]}},
    service_account="trainer",
    labels={"app": "trainer"},
    annotations={"cluster-autoscaler.kubernetes.io/safe-to-evict": "false"},
    # Time to write a checkpoint when the node is drained.
    pod_spec_patch={"terminationGracePeriodSeconds": 120},
)
def train(epochs: int = 3) -> dict[str, float]:
    import socket

    loss = 1.0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as metrics:
        for epoch in range(epochs):
            loss *= 0.5
            # The statsd sidecar shares the pod's network: it listens on localhost.
            metrics.sendto(f"train.loss:{loss}|g".encode(), ("127.0.0.1", 9125))
            print(f"epoch {epoch}: loss {loss}")
    return {"epochs": float(epochs), "loss": loss}


training = workflow(
    "train-on-gpus",
    pipeline(heartbeat, train(epochs=4)),
    volumes=[empty_dir("work")],
)
