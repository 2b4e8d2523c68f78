"""Hera: steps/callable_steps. A steps template with an input, called twice by name from
another steps template (Hera calls the `Steps` object; tiphys calls the composite)."""

from tiphys import Composite, composite, pipeline, task, workflow


@task
def hello(name: str) -> None:
    print(f"Hello, {name}!")


@composite
def my_steps(my_step_input: str) -> Composite:
    first = hello(name=f"hello-1-{my_step_input}").named("hello-1")
    second = hello(name=f"hello-2-{my_step_input}").named("hello-2")
    return pipeline(first, second)


callable_steps = workflow(
    "hera-callable-steps",
    pipeline(my_steps(my_step_input="call-1").named("call-1"),
             my_steps(my_step_input="call-2").named("call-2")),
)
