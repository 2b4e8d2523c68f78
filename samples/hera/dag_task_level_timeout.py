"""Template fields from inputs (Hera upstream/dag_task_level_timeout): one template whose
``timeout`` is its input, so each task of the diamond gets its own deadline.
``from_input("timeout")`` is ``{{inputs.parameters.timeout}}``, checked to name an input."""

from tiphys import container, dag, from_input, workflow

echo = container("echo", "busybox", command=["sleep", "15s"], inputs=["timeout"],
                 timeout=from_input("timeout"))

a = echo(timeout="20s").named("A")
b = echo(timeout="10s").named("B").after(a)
c = echo(timeout="20s").named("C").after(a)

diamond = workflow("dag-task-level-timeout", dag(b, c))
