"""Several outputs from one Python task: return a record.

    class Stats(NamedTuple):                 # or a @dataclass, or a TypedDict
        mean: float
        count: Annotated[int, named_output("row-count")]
        report: Annotated[str, artifact_output()]

    @task
    def summarise(values: list[float]) -> Stats: ...

    s = summarise(values=[1.0, 2.0])
    show(mean=s.output.mean, n=s.output.count)   # each field is an output of its own

The markers only name an output (an Argo name may have dashes, a Python field cannot) or send
it to an artifact; at run time they are plain records.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutputName:
    """What ``named_output`` and ``artifact_output`` return (for ``Annotated[...]``)."""

    name: str | None
    artifact: bool


def named_output(name: str) -> OutputName:
    """In ``Annotated[T, named_output("row-count")]``: the field's output parameter is called
    *name* in Argo (letters, digits, '-' and '_')."""
    return OutputName(name, False)


def artifact_output(name: str | None = None) -> OutputName:
    """In ``Annotated[T, artifact_output()]``: the field is written to an output artifact
    (called *name*, by default the field's name) instead of an output parameter."""
    return OutputName(name, True)
