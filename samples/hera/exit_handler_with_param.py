"""Hera: upstream/exit_handler_with_param. A step's exit handler receives the step's output.

Hera's output has a default (valueFrom.default "Foobar") used when the file is missing; a
container output in tiphys has no default yet."""

from tiphys import container, pipeline, task, workflow

output = container("output", "python:alpine3.6", command=["sh", "-c"],
                   args=["echo -n hello world > /tmp/hello_world.txt"],
                   outputs={"result": "/tmp/hello_world.txt"})


@task(name="exit", image="python:alpine3.6")
def exit_handler(message: str) -> None:
    print(message)


step_1 = output().named("step-1")
exit_handler_with_param = workflow(
    "exit-handler-with-param",
    pipeline(step_1.on_exit(exit_handler(message=step_1.outputs["result"]))),
    labels={"workflows.argoproj.io/test": "true"},
    annotations={"workflows.argoproj.io/description":
                 "onExitTemplate enables workflow to pass the arguments (parameters/Artifacts) "
                 "to exit handler template.\n",
                 "workflows.argoproj.io/version": ">= 3.1.0"},
)
