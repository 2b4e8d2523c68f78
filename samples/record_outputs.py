"""Several outputs from one Python task: return a NamedTuple, a dataclass or a TypedDict.

Each field becomes an output parameter of its own (its own file in the pod), read downstream
as ``node.output.<field>`` (``node.output["<field>"]`` for a TypedDict), type-checked against
the consumer's annotation. ``named_output("...")`` gives a field an Argo name with dashes;
``artifact_output()`` sends a field to an output artifact instead.
"""

from dataclasses import dataclass
from typing import Annotated, NamedTuple, TypedDict

from tiphys import (
    InputArtifact,
    artifact,
    artifact_output,
    named_output,
    parallel,
    pipeline,
    task,
    workflow,
)


class Stats(NamedTuple):
    """Summary statistics of a list of numbers."""

    mean: float
    rows: Annotated[int, named_output("row-count")]
    report: Annotated[str, artifact_output()]


@dataclass
class Split:
    train: list[int]
    test: list[int]
    ratio: float = 0.8


class Verdict(TypedDict):
    passed: bool
    reason: str


@task
def summarise(values: list[float]) -> Stats:
    mean = sum(values) / len(values)
    lines = [f"{v:.2f}" for v in values]
    return Stats(mean=mean, rows=len(values), report="\n".join(lines))


@task
def split(n: int) -> Split:
    cut = int(n * 0.8)
    return Split(train=list(range(cut)), test=list(range(cut, n)))


@task
def judge(mean: float, count: int, test: list[int]) -> Verdict:
    ok = mean > 1.0 and count == 3 and len(test) == 2
    return {"passed": ok, "reason": f"mean={mean} count={count} test={test}"}


@task
def show(passed: bool, reason: str, report: InputArtifact) -> None:
    print(reason, "passed" if passed else "failed")
    with open(report) as f:
        print(f.read())


stats = summarise(values=[1.0, 2.5, 4.0])
parts = split(n=10)
verdict = judge(mean=stats.output.mean, count=stats.output.rows, test=parts.output.test)
records = workflow("record-outputs", pipeline(
    parallel(stats, parts),
    verdict,
    show(passed=verdict.output["passed"], reason=verdict.output["reason"],
         report=stats.outputs["report"]),
))


# What Hera's scripts/script_runner_io example means: one task writes an int to an artifact
# (not archived); the next reads it, takes an int and an object with defaults, and returns a
# parameter and an artifact, both named with dashes.
class Written(NamedTuple):
    value: Annotated[int, artifact_output("int-artifact")]


class Result(NamedTuple):
    param_int: Annotated[int, named_output("param-output")]
    artifact_int: Annotated[int, artifact_output("artifact-output")]


@task(artifacts={"int-artifact": artifact(archive="none")})
def writer() -> Written:
    return Written(value=100)


@task
def pydantic_io(artifact_input: InputArtifact, param_int: int = 42,
                an_object: dict[str, object] | None = None) -> Result:
    import json

    with open(artifact_input) as f:
        loaded = json.load(f)
    print(an_object or {"a_dict": {"my-key": "a-value"}, "a_str": "hello world!"})
    return Result(param_int=param_int, artifact_int=loaded)


written = writer()
script_runner_io = workflow("script-runner-io", pipeline(written, pydantic_io(
    artifact_input=written.outputs["int-artifact"], param_int=101,
    an_object={"a_dict": {"my-new-key": "my-new-value"}, "a_str": "a default string"},
)))


# What Hera's scripts/script_annotations_outputs example means: from one number, two output
# parameters and two output artifacts, some written by the body and some returned.
class Successors(NamedTuple):
    successor: int
    successor2: Annotated[int, artifact_output()]
    successor3: int
    successor4: Annotated[int, artifact_output()]


@task
def successors(a_number: int) -> Successors:
    return Successors(a_number + 1, a_number + 2, a_number + 3, a_number + 4)


script_annotations_outputs = workflow("test-output-annotations", successors(a_number=3))
