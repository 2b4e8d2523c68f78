"""Hera: scripts/default_parameters. A task's parameter defaults apply when a call leaves them out."""

from tiphys import dag, task, workflow


@task
def generator() -> str:
    return "Another message for the world!"


@task
def consumer(message: str = "Hello, world!", foo: int = 42) -> None:
    print(message)
    print(foo)


g = generator()
default_param_overwrite = workflow("default-param-overwrite", dag(
    g,
    consumer().named("consume-default").after(g),
    consumer(message=g).named("consume-argument"),
))
