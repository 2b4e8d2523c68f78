"""Hera: upstream/exit_handler_with_param. A step's exit handler receives the step's own
output as its argument. Hera's output also has a default (Foobar) for when the file is
missing; a tiphys container output has no default."""

from tiphys import container, pipeline, task, workflow

output = container("output", "python:alpine3.6", command=["sh", "-c"],
                   args=["echo -n hello world > /tmp/hello_world.txt"],
                   outputs={"result": "/tmp/hello_world.txt"})


@task
def exit_message(message: str) -> None:
    print(message)


step_1 = output().named("step-1")
step_1 = step_1.on_exit(exit_message(message=step_1.outputs["result"]).named("exit"))
exit_handler_with_param = workflow(
    "exit-handler-with-param", pipeline(step_1),
    labels={"workflows.argoproj.io/test": "true"},
    annotations={"workflows.argoproj.io/version": ">= 3.1.0"})
