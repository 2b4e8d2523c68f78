# mypy: ignore-errors
"""CloudHarness seed example: p3 runs after p1 and p2 finish (a pipeline of parallel groups)."""
from cloudharness.workflows import operations as ops
from cloudharness.workflows import tasks as t


def f():
    import time
    time.sleep(2)
    print('whatever')


p1 = t.PythonTask('p1', f)
p2 = t.PythonTask('p2', f)
p3 = t.PythonTask('p3', f)
op = ops.SimpleDagOperation('x-', (p1, p2), p3)
