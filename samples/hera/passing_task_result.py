"""Hera: dags/passing_task_result. One task's result is the next one's argument."""

from tiphys import dag, task, workflow


@task
def out() -> int:
    return 42


@task
def in_(a: int) -> None:
    print(a)


t1 = out()
passing_task_result = workflow("script-param-passing", dag(in_(a=t1)))
