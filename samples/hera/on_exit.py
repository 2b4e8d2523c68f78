"""Hera: dags/on_exit. Task s1 has an exit handler; s2 runs after s1."""

from tiphys import dag, task, workflow


@task
def hello(s: str) -> None:
    print(f"Hello Hera, {s}")


@task
def bye() -> None:
    print("Bye Hera")


s1 = hello(s="from Task1").on_exit(bye())
s2 = hello(s="from Task2").after(s1)
task_exit_handler = workflow("task-exit-handler", dag(s1, s2))
