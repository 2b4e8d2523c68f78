"""Hera: upstream/parallelism_limit. Eight sleeps, at most two at a time (workflow parallelism)."""

from tiphys import container, pipeline, workflow

# The item is unused: `.map()` of a task without inputs is issue 13, item 10.
sleep = container("sleep", "alpine:latest", command=["sh", "-c", "sleep 1"], inputs=["item"])

parallelism_limit = workflow(
    "parallelism-limit",
    pipeline(sleep.map(item=[1, 2, 3, 4, 5, 6, 7, 8]).named("sleep")),
    parallelism=2,
)
