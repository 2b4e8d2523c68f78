# mypy: ignore-errors
"""CloudHarness seed example: two Python tasks in parallel (compiles unchanged)."""
from cloudharness.workflows import operations, tasks


def f():
    import time
    time.sleep(2)
    print('whatever')


op = operations.ParallelOperation('test-parallel-op-', (tasks.PythonTask('p1', f), tasks.PythonTask('p2', f)))
