"""Hera: dags/run_script_on_task_exit. A Python exit handler on one task of a DAG.

Hera needs the Script class here instead of @script; in tiphys any task can be a handler."""

from tiphys import dag, task, workflow


@task
def hello(s: str) -> None:
    print(f"Hello Hera, {s}")


@task
def bye() -> None:
    print("Bye Hera")


s1 = hello(s="from Task1").on_exit(bye())
s2 = hello(s="from Task2").after(s1)
run_script_on_task_exit = workflow("run-script-on-task-exit", dag(s1, s2))
