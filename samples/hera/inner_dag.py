"""Port of Hera's dags/inner_dag: a dag template with an input, called twice in a dag."""

from tiphys import Composite, composite, dag, task, workflow


@task
def hello(name: str) -> None:
    print(f"Hello, {name}!")


@composite
def my_dag(my_dag_input: str) -> Composite:
    return dag(hello(name=f"hello-1-{my_dag_input}").named("hello-1"),
               hello(name=f"hello-2-{my_dag_input}").named("hello-2"))


call_1 = my_dag(my_dag_input="call-1").named("call-1")
call_2 = my_dag(my_dag_input="call-2").named("call-2").after(call_1)
calling_dag = workflow("hera-callable-dag", dag(call_1, call_2))
