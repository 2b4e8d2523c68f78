"""Hera: dags/conditional_on_task_status. One task runs if the first succeeds, another if it fails.

Hera's coin is unseeded; here the seed is an argument (default 1: it fails), so that a run
is reproducible (seed 2: it succeeds)."""

from tiphys import dag, task, workflow


@task
def random(seed: int = 2) -> None:
    import random

    random.seed(seed)
    p = random.random()
    if p <= 0.5:
        raise Exception("failure")


@task
def success() -> None:
    print("succeeded!")


@task
def failure() -> None:
    print("failed!")


r = random()
conditional_on_task_status = workflow("dag-conditional-on-task-status", dag(
    r, success().after(r.succeeded), failure().after(r.failed)))
