"""Hera: scripts/script_annotations_outputs. One Python task with four outputs: two output
parameters and two output artifacts, computed from one input. Hera names them with
`Annotated[..., Parameter/Artifact(output=True)]` and writes two through paths it is given;
here every output is a field of the returned record, and `artifact_output()` sends a field
to an artifact."""

from typing import Annotated, NamedTuple

from tiphys import artifact_output, pipeline, task, workflow


class Successors(NamedTuple):
    successor: int
    successor2: Annotated[int, artifact_output()]
    successor3: int
    successor4: Annotated[int, artifact_output()]


@task
def script_param_artifact_in_function_signature_and_return_type(a_number: int) -> Successors:
    return Successors(successor=a_number + 1, successor2=a_number + 2,
                      successor3=a_number + 3, successor4=a_number + 4)


script_annotations_outputs = workflow(
    "script-annotations-outputs",
    pipeline(script_param_artifact_in_function_signature_and_return_type(a_number=3)))
