"""Hera: scripts/output_parameters. A Python task writes an output parameter named a; the next
task prints it. Hera's script writes the file /test itself; a tiphys task returns a record and
its field `a` becomes the output parameter."""

from typing import NamedTuple

from tiphys import dag, task, workflow


class Written(NamedTuple):
    a: str


@task
def out() -> Written:
    return Written(a="test")


@task
def in_(a: str) -> None:
    print(a)


t1 = out().named("out")
t2 = in_(a=t1.output.a).named("in")
output_parameters = workflow("script-output-param-passing", dag(t1, t2))
