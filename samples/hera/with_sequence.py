"""Hera: loops/with_sequence. A task computes a number and two loops count with it: ``t2``
runs that many times from 0, ``t3`` counts from it up to 5, each item formatted as a date.
A bound read from another task's output is ``{{tasks.t1.outputs...}}``, and the loops
depend on t1 as any reader does."""

from tiphys import dag, sequence, task, workflow


@task
def gen_num() -> int:
    return 3


@task
def say(message: str | int) -> None:
    print(message)


t1 = gen_num()
t2 = say.map(message=sequence(start=0, count=t1))
t3 = say.map(message=sequence(start=t1, end=5, format="2020-05-%02X"))

with_sequence = workflow("with-sequence", dag(t2, t3))
