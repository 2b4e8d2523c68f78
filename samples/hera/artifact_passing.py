"""Hera: upstream/artifact_passing. One step writes a file as an artifact; the next prints it."""

from tiphys import container, pipeline, workflow

whalesay = container("whalesay", "docker/whalesay:latest", command=["sh", "-c"],
                     args=["sleep 1; cowsay hello world | tee /tmp/hello_world.txt"],
                     output_artifacts={"hello-art": "/tmp/hello_world.txt"})
print_message = container("print-message", "alpine:latest", command=["sh", "-c"],
                          args=["cat /tmp/message"], input_artifacts={"message": "/tmp/message"})

generate = whalesay().named("generate-artifact")
artifact_passing = workflow("artifact-passing", pipeline(
    generate,
    print_message(message=generate.outputs["hello-art"]).named("consume-artifact"),
))
