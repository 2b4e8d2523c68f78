"""Hera: upstream/parallelism_limit. Eight sleeps, at most two at a time (workflow parallelism)."""

from tiphys import container, pipeline, workflow

sleep = container("sleep", "alpine:latest", command=["sh", "-c", "sleep 1"])

parallelism_limit = workflow(
    "parallelism-limit",
    pipeline(sleep.map([1, 2, 3, 4, 5, 6, 7, 8]).named("sleep")),
    parallelism=2,
)
