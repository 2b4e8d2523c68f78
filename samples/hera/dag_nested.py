"""Port of Hera's upstream/dag_nested: a diamond of diamonds, the inner one taking a message."""

from tiphys import Composite, composite, dag, task, workflow


@task
def echo(message: str) -> None:
    print(message)


@composite
def nested_diamond(message: str) -> Composite:
    a = echo(message=f"{message}A").named("A")
    b = echo(message=f"{message}B").named("B").after(a)
    c = echo(message=f"{message}C").named("C").after(a)
    d = echo(message=f"{message}D").named("D").after(b, c)
    return dag(a, b, c, d)


a = nested_diamond(message="A").named("A")
b = nested_diamond(message="B").named("B").after(a)
c = nested_diamond(message="C").named("C").after(a)
d = nested_diamond(message="D").named("D").after(b, c)
diamond = workflow("hera-dag-nested", dag(a, b, c, d))
