"""Hera: dags/callable_dag_with_param_get. A dag with an input and an output; the second call
takes the first call's output as its input. Hera reads both with `get_parameter`; in tiphys
the composite's parameter is read by name and the call's output by `.outputs[...]`."""

from typing import Annotated, NamedTuple

from tiphys import Composite, composite, dag, named_output, task, workflow


class Greeting(NamedTuple):
    message: Annotated[str, named_output("output-message")]


@task
def hello_with_output(name: str) -> Greeting:
    return Greeting(message=f"Hello, {name}!")


@composite
def my_dag_with_outputs(my_dag_input: str) -> Composite:
    hello = hello_with_output(name=f"hello {my_dag_input}").named("hello")
    return dag(hello, outputs={"my-dag-output": hello.output.message})


call_1 = my_dag_with_outputs(my_dag_input="call-1").named("call-1")
call_2 = my_dag_with_outputs(my_dag_input=call_1.outputs["my-dag-output"]).named("call-2")
calling_dag = workflow("hera-callable-dag-param-get", dag(call_1, call_2))
