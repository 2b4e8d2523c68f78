"""Port of Hera's steps/inner_steps: a steps template with an input, called twice."""

from tiphys import Composite, composite, pipeline, task, workflow


@task
def hello(name: str) -> None:
    print(f"Hello, {name}!")


@composite
def my_steps(my_step_input: str) -> Composite:
    return pipeline(hello(name=f"hello-1-{my_step_input}").named("hello-1"),
                    hello(name=f"hello-2-{my_step_input}").named("hello-2"))


calling_steps = workflow(
    "hera-callable-inner-steps",
    pipeline(my_steps(my_step_input="call-1").named("call-1"),
             my_steps(my_step_input="call-2").named("call-2")),
)
