"""Regressions: the strict schema's patterns mean what they mean in Argo (Go) and JSON Schema."""

from __future__ import annotations

from typing import Any

import pytest

from tiphys.compiler.strict_schema import check_strict, ecma_pattern, is_strictly_valid


def _doc(param: str) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1", "kind": "WorkflowTemplate",
        "metadata": {"name": "w"},
        "spec": {"entrypoint": "main", "arguments": {"parameters": [{"name": param}]},
                 "templates": [{"name": "main", "suspend": {}}]},
    }


def test_a_name_with_a_final_newline_is_not_a_name() -> None:
    # Python's "$" matches before a final newline; Go's and ECMA-262's do not.
    assert is_strictly_valid(_doc("p"))
    assert not is_strictly_valid(_doc("p\n"))
    [violation] = check_strict(_doc("p\n"))
    assert violation.path == ("spec", "arguments", "parameters", 0, "name")


@pytest.mark.parametrize(("pattern", "text", "matches"), [
    (r"^a$", "a", True),
    (r"^a$", "a\n", False),
    (r"^[$]$", "$", True),          # "$" in a class is a character
    (r"^a\$$", "a$", True),         # an escaped "$" too
    (r"^[^]$]$", "x", True),
])
def test_ecma_pattern(pattern: str, text: str, matches: bool) -> None:
    assert (ecma_pattern(pattern).search(text) is not None) is matches
