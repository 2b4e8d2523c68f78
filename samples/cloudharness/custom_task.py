# mypy: ignore-errors
"""CloudHarness seed example: a task running a project image, parametrised by env variables.

The image name 'samples-sum' comes from applications/samples/tasks/sum/Dockerfile.
"""
from cloudharness.workflows import operations, tasks

task = tasks.CustomTask('my-task', 'samples-sum', env_variable1="my variable", env_variable2=1)
op = operations.SingleTaskOperation('my-op-', task)
