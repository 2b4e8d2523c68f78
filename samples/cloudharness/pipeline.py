# mypy: ignore-errors
"""CloudHarness seed example: a pipeline of two Python tasks sharing a directory."""
from cloudharness.workflows.operations import PipelineOperation
from cloudharness.workflows.tasks import PythonTask


def write():
    import os
    with open(os.path.join(os.environ['shared_directory'], 'greeting'), 'w') as f:  # noqa: SIM112
        f.write('hello')


def read():
    import os
    with open(os.path.join(os.environ['shared_directory'], 'greeting')) as f:  # noqa: SIM112
        print(f.read())


op = PipelineOperation('test-pipeline-op-', (PythonTask('step1', write), PythonTask('step2', read)),
                       shared_directory=True)
