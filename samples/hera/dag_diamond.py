"""Hera: upstream/dag_diamond. A fans out to B and C, which both feed D."""

from tiphys import container, dag, workflow

echo = container("echo", "alpine:3.7", command=["echo", "$(message)"], inputs=["message"])

a = echo(message="A")
b = echo(message="B").after(a)
c = echo(message="C").after(a)
d = echo(message="D").after(b, c)

dag_diamond = workflow("dag-diamond", dag(a, b, c, d))
