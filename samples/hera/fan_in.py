"""Hera: loops/fan_in. Each run of a loop returns a value; the fan-in task receives them all."""

from tiphys import dag, task, workflow


@task
def generate() -> list[dict[str, int]]:
    return [{"value": i} for i in range(10)]


@task
def fanout(my_dict: dict[str, int]) -> int:
    print(f"Received object: {my_dict}!")
    return my_dict["value"]


@task
def fanin(values: list[int]) -> int:
    print(f"Received values: {values}!")
    return sum(values)


g = generate()
fout = fanout.map(my_dict=g)
fan_in = workflow("fan-in", dag(fanin(values=fout)))
