"""Hera: upstream/exit_handler_dag_level. A diamond whose every task has the same exit
handler, a container that reports the clean-up."""

from tiphys import container, dag, workflow

echo = container("echo", "busybox", command=["echo"], args=["$(message)"], inputs=["message"])
cleanup = container("exit", "busybox", command=["echo"], args=["task cleanup"])

a = echo(message="A").named("A").on_exit(cleanup())
b = echo(message="B").named("B").after(a).on_exit(cleanup())
c = echo(message="C").named("C").after(a).on_exit(cleanup())
d = echo(message="D").named("D").after(b, c).on_exit(cleanup())
exit_handler_dag_level = workflow("exit-handler-dag-level", dag(a, b, c, d))
