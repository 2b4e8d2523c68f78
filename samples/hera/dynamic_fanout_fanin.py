"""Hera: loops/dynamic_fanout_fanin. Fan out over a generated list of dicts, fan the values back in."""

from tiphys import dag, task, workflow


@task
def generate() -> list[dict[str, int]]:
    return [{"value": i} for i in range(10)]


@task
def fanout(object: dict[str, int]) -> int:
    print(f"Received object: {object}!")
    return object["value"]


@task
def fanin(values: list[int]) -> None:
    print(f"Received values: {values}!")


g = generate()
fout = fanout.map(object=g)
dynamic_fanout_fanin = workflow("dynamic-fanout-fanin", dag(g, fout, fanin(values=fout)))
