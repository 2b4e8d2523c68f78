"""Hera: dags/complex_deps. D runs after A and after either B or C succeeds."""

from tiphys import dag, task, workflow


@task
def foo(p: float) -> None:
    if p < 0.5:
        raise Exception(p)
    print(42)


a = foo(p=0.6)
b = foo(p=0.3).after(a)
c = foo(p=0.7).after(a)
d = foo(p=0.9).after(a, b.succeeded | c.succeeded)
complex_deps = workflow("complex-deps", dag(a, b, c, d))
