"""Reusable composites: one template with inputs, called with different arguments.

`@composite` turns a function into a steps (or dag) template: its parameters are the
template's inputs, usable wherever a task argument can be (also inside f-strings), and
`outputs=` exposes a task's output as the template's output.
"""

from tiphys import Composite, composite, dag, parallel, param, pipeline, task, workflow


@task
def greet(name: str) -> str:
    return f"Hello, {name}!"


@task
def measure(text: str) -> int:
    return len(text)


@task
def report(first: int, second: int) -> None:
    print(f"greetings of {first} and {second} characters")


@composite
def welcome(guest: str, greeting: str = "hello") -> Composite:
    """Greet a guest twice, then measure the second greeting."""
    first = greet(name=f"{greeting}-{guest}")
    second = greet(name=f"{guest}, again")
    size = measure(text=second)
    return pipeline(first, second, size, outputs={"size": size.output})


@composite
def welcome_all(host: str) -> Composite:
    """Composites call composites: the input reaches the nested dag's template too."""
    ann = welcome(guest="ann", greeting=host)
    bob = welcome(guest="bob")
    return dag(ann, bob, report(first=ann.outputs["size"], second=bob.outputs["size"]))


guests = welcome.map(guest=["carol", "dave"])
party = workflow(
    "composites",
    pipeline(parallel(welcome_all(host=param("host", default="hi")), guests)),
)
