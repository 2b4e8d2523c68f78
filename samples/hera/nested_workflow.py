"""Hera: upstream/nested_workflow. A steps template takes a parameter and an artifact, passes
them on to a step, and gives back a parameter and an artifact of another step, which the caller
then consumes."""

from tiphys import Composite, InputArtifact, composite, container, parallel, pipeline, workflow

generate = container(
    "generate", "busybox", command=["sh", "-c"],
    args=[" echo hello world | tee /tmp/my-output-artifact.txt && "
          "echo 'my-output-parameter' > /tmp/my-output-parameter.txt "],
    outputs={"out-parameter": "/tmp/my-output-parameter.txt"},
    output_artifacts={"out-artifact": "/tmp/my-output-artifact.txt"},
)
consume = container(
    "consume", "alpine:3.7", command=["sh", "-c"],
    args=[" echo 'input parameter value: {{inputs.parameters.in_parameter}}' && "
          "echo 'input artifact contents:' && cat /tmp/art "],
    inputs=["in_parameter"], input_artifacts={"in_artifact": "/tmp/art"},
)


@composite
def nested_wf(nested_in_parameter: str, nested_in_artifact: InputArtifact) -> Composite:
    inner = generate().named("generate")
    return parallel(
        consume(in_parameter=nested_in_parameter, in_artifact=nested_in_artifact),
        inner,
        outputs={"nested-out-parameter": inner.outputs["out-parameter"],
                 "nested-out-artifact": inner.outputs["out-artifact"]},
    )


first = generate().named("generate")
nested = nested_wf(nested_in_parameter=first.outputs["out-parameter"],
                   nested_in_artifact=first.outputs["out-artifact"]).named("nested-wf")
nested_workflow = workflow("nested-workflow", pipeline(
    first, nested,
    consume(in_parameter=nested.outputs["nested-out-parameter"],
            in_artifact=nested.outputs["nested-out-artifact"]),
))
