"""Hera: upstream/dag_multiroot. Two roots: C needs A, D needs A and B."""

from tiphys import container, dag, workflow

echo = container("echo", "alpine:3.7", command=["echo", "$(message)"], inputs=["message"])

a = echo(message="A")
b = echo(message="B")
c = echo(message="C").after(a)
d = echo(message="D").after(a, b)

multiroot = workflow("dag-multiroot", dag(a, b, c, d))
