"""Hera: upstream/loops_dag. A, then B once per item, then C after every B."""

from tiphys import container, dag, workflow

echo = container("echo", "alpine:3.7", command=["echo", "$(message)"], inputs=["message"])

a = echo(message="A")
b = echo.map(message=["foo", "bar", "baz"]).named("B").after(a)
c = echo(message="C").after(b)

loops_dag = workflow("loops-dag", dag(a.named("A"), b, c.named("C")))
