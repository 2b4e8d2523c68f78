"""A workflow deadline over loops of tasks without inputs (Hera upstream/timeouts_workflow):
``task.map([1, 2, 3])`` runs a task that takes nothing once per item."""

from tiphys import container, parallel, pipeline, workflow

sleep = container("sleep", "busybox", command=["sleep", "1d"])
unschedulable = container("unschedulable", "alpine:3.23",
                          node_selector={"beta.kubernetes.io/arch": "no-such-arch"})

bunch_of_sleeps = workflow(
    "timeouts-workflow",
    pipeline(parallel(sleep.map([1, 2, 3]).named("sleep-one-day"),
                      unschedulable.map([1, 2, 3]).named("unschedulable"))),
    active_deadline=30,
)
