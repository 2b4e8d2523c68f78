"""The classic diamond: A feeds B and C, which both feed D. Edges come from the data."""

from tiphys import bash, dag, task, workflow


@task
def start(seed: int) -> int:
    return seed * 2


@task
def left(x: int) -> int:
    return x + 1


@task
def right(x: int) -> int:
    return x * 10


@task
def join(low: int, high: int) -> dict[str, int]:
    return {"left": low, "right": high, "sum": low + high}


announce = bash("announce", "echo diamond finished")

a = start(seed=21)
b = left(x=a)
c = right(x=a)
d = join(low=b, high=c)

diamond = workflow("diamond", dag(d, announce().after(d)))
