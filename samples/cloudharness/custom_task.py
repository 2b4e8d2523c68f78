# mypy: ignore-errors
"""CloudHarness seed example: a task running a project image, parametrised by env variables.

The image name 'myapp-mytask' comes from applications/myapp/tasks/mytask/Dockerfile.
"""
from cloudharness.workflows import operations, tasks

my_task = tasks.CustomTask('print-file', 'myapp-mytask', env_variable1="my variable", env_variable2=1)
op = operations.SingleTaskOperation('my-op-', my_task)
op.execute()
