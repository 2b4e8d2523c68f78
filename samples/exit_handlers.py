"""Exit handlers and lifecycle hooks: on the workflow and on one step."""

from tiphys import hook, pipeline, task, workflow, workflow_name, workflow_status


@task
def train(epochs: int) -> float:
    return 0.9 + epochs / 1000


@task
def notify(status: str, run: str) -> None:
    print(f"workflow {run} finished: {status}")


@task
def log(event: str) -> None:
    print(event)


model = train(epochs=3).on_exit(log(event="training step finished"))

training = workflow(
    "exit-handlers",
    pipeline(model),
    on_exit=notify(status=workflow_status, run=workflow_name),
    hooks={"started": hook(log(event="workflow running"), when=workflow_status == "Running")},
)
