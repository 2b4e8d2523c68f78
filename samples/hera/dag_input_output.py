"""Port of Hera's dags/dag_input_output: a dag with an input and an output, the second call
reading the first call's output."""

from tiphys import Composite, composite, dag, task, workflow


@task
def hello_with_output(name: str) -> str:
    return f"Hello, {name}!"


@composite
def my_dag_with_outputs(my_dag_input: str) -> Composite:
    hello = hello_with_output(name=f"hello {my_dag_input}").named("hello")
    return dag(hello, outputs={"my-dag-output": hello.output})


call_1 = my_dag_with_outputs(my_dag_input="call-1").named("call-1")
call_2 = my_dag_with_outputs(my_dag_input=call_1.outputs["my-dag-output"]).named("call-2")
calling_dag = workflow("hera-callable-dag-io", dag(call_1, call_2))
