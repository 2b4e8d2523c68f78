"""Hera: dags/any_success_all_fail. t2 runs if any run of the t1 loop succeeded; t3 if every
run of t2 failed."""

from tiphys import dag, task, workflow


@task
def foo(a: int) -> None:
    print(a)


@task
def random_fail(a: int) -> None:
    import random

    random.seed(a)
    if random.random() < 0.5:
        raise Exception("Oh, no!")


@task
def fail(a: int) -> None:
    raise Exception(a)


t1 = random_fail.map(a=[1, 2, 3]).named("t1")
t2 = fail.map(a=[1, 2, 3]).named("t2").after(t1.any_succeeded)
t3 = foo.map(a=[1, 2, 3]).named("t3").after(t2.all_failed)
any_success_all_fail = workflow("any-success-all-fail", dag(t1, t2, t3))
