"""Composites that take and give artifacts.

An input annotated `InputArtifact` is a file the caller passes; inside the body it goes to the
tasks' artifact inputs (`{{inputs.artifacts.report}}`). `outputs=` names an inner task's output
artifact as the composite's own, read after the call like any output.
"""

from tiphys import (
    Composite,
    InputArtifact,
    OutputArtifact,
    composite,
    pipeline,
    task,
    workflow,
)


@task
def write_report(title: str, report: OutputArtifact = OutputArtifact()) -> None:
    with open(report, "w") as f:
        f.write(f"{title}\nall systems nominal\n")


@task
def stamp(report: InputArtifact, by: str, stamped: OutputArtifact = OutputArtifact()) -> None:
    with open(report) as src, open(stamped, "w") as dst:
        dst.write(src.read() + f"approved by {by}\n")


@task
def count_lines(report: InputArtifact) -> int:
    with open(report) as f:
        return len(f.read().splitlines())


@composite
def review(report: InputArtifact, reviewer: str) -> Composite:
    """Stamp a report and count its lines; the stamped copy is the composite's artifact."""
    signed = stamp(report=report, by=reviewer)
    lines = count_lines(report=signed.outputs["stamped"])
    return pipeline(signed, lines, outputs={"signed": signed.outputs["stamped"],
                                            "lines": lines.output})


draft = write_report(title="weekly status")
first = review(report=draft, reviewer="ann")
second = review(report=first.outputs["signed"], reviewer="bob")
final = count_lines(report=second).named("final")
reviews = workflow("composite-artifacts", pipeline(draft, first, second, final))
