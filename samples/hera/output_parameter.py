"""Hera: upstream/output_parameter. A container writes a file that becomes an output parameter;
the next step reads it."""

from tiphys import container, pipeline, workflow

whalesay = container("whalesay", "docker/whalesay:latest", command=["sh", "-c"],
                     args=["echo -n hello world > /tmp/hello_world.txt"],
                     outputs={"hello-param": "/tmp/hello_world.txt"})
print_message = container("print-message", "docker/whalesay:latest", command=["cowsay"],
                          args=["$(message)"], inputs=["message"])

generate = whalesay().named("generate-parameter")
output_parameter = workflow("output-parameter", pipeline(
    generate,
    print_message(message=generate.outputs["hello-param"]).named("consume-parameter"),
))
