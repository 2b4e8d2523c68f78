"""Hera: upstream/handle_large_output_results. A list too large for a parameter travels as
an artifact, beside a parameter that says how long it is; a counted loop reads it, one index
per run. The count is a field of get_items' record return (an ``int``, output parameter
``count``), so ``sequence(count=got.output.size)`` is
``{{steps.get-items.outputs.parameters.count}}``."""

import json
from typing import Annotated, NamedTuple

from tiphys import InputArtifact, artifact_output, named_output, pipeline, sequence, task, workflow


class Items(NamedTuple):
    items: Annotated[str, artifact_output()]
    size: Annotated[int, named_output("count")]  # tuple has a method count()


@task
def get_items() -> Items:
    values = ["a", "b", "c"]
    return Items(items=json.dumps(values), size=len(values))


@task
def echo(items: InputArtifact, index: int) -> str:
    with open(items, encoding="utf-8") as f:
        value: str = json.load(f)[index]
    print(value)
    return value


got = get_items().named("get-items")
shown = echo.map(items=got.output.items, index=sequence(count=got.output.size)) \
    .named("sequence-param")

handle_large_output_results = workflow("handle-large-output-results", pipeline(got, shown))
