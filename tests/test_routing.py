"""Which front end reads a file: an import decides, not a mention of a name."""

from __future__ import annotations

import pytest

from tiphys.compiler.commands.pipeline import uses_cloudharness, uses_dsl

CASES = [
    ("from tiphys import task", True, False),
    ("import tiphys", True, False),
    ("import os, tiphys", True, False),
    ("from tiphys.tasks import task as t", True, False),
    ("# tiphys is mentioned in a comment\nx = 1", False, False),
    ("s = 'from tiphys import task'", False, False),
    ("from cloudharness.workflows import operations, tasks", False, True),
    ("from cloudharness.workflows.operations import PipelineOperation as P", False, True),
    ("from cloudharness import workflows", False, True),
    ("from tiphys.cloudharness import operations", False, True),
    ("def f():\n    from cloudharness.workflows import operations\n", False, True),
    ("import cloudharness.workflows.operations", False, True),
]


@pytest.mark.parametrize("text,dsl,ch", CASES)
def test_routing(text: str, dsl: bool, ch: bool) -> None:
    assert (uses_dsl(text), uses_cloudharness(text)) == (dsl, ch)
