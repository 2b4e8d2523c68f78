"""Variable scopes: a document full of legitimate references passes, and breaking any one
reference is caught with the right code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tiphys.compiler.commands.validate import validate_files

POSITIVE = Path(__file__).resolve().parent / "positive"


@pytest.mark.parametrize("path", sorted(POSITIVE.glob("*.yaml")), ids=lambda p: p.stem)
def test_positive_files_are_clean(path: Path) -> None:
    diags = validate_files([str(path)]).sorted()
    assert diags == [], "\n".join(f"{d.line}: {d.code} {d.message}" for d in diags)


@pytest.mark.parametrize("old, new, code", [
    ("{{steps.gen.status}}", "{{steps.gne.status}}", "ARG401"),
    ('value: "{{item}} {{steps.gen.outputs.result}}"', 'value: "{{steps.fan.id}}"', "ARG403"),
    ("{{item.a}}-{{item.b}}", "{{item.a}}-{{item.c}}", "ARG401"),
    ("{{steps.after.status}}", "{{steps.other2.status}}", "ARG401"),
    ('print("{{retries}} {{pod.name}}")', 'print("{{pod.nam}}")', "ARG401"),
    ("{{workflow.labels.team}}", "{{workflow.labels.owner}}", "ARG401"),
    ("{{workflow.outputs.parameters.glob}}", "{{workflow.outputs.parameters.nope}}", "ARG401"),
    ("{{workflow.creationTimestamp.Y}}", "{{workflow.parameters.nope}}", "ARG401"),
    ("{{tasks.A.outputs.parameters.o}} {{tasks.A.status}}", "{{tasks.A.outputs.parameters.p}}",
     "ARG401"),
    ('depends: "!B.Skipped && (A || B)"', 'depends: "!B.Skipped && (A || B"', "ARG609"),
    ('depends: "A.Succeeded || A.Failed"', "depends: C", "ARG605"),
    ("{{inputs.parameters.x}}", "{{inputs.parameters.y}}", "ARG401"),
    ("valueFrom: {parameter: \"{{steps.gen.outputs.result}}\"}",
     "valueFrom: {parameter: \"{{steps.gen.outputs.results}}\"}", "ARG401"),
    ("mountPath: /work}", "mountPath: /work}, {name: scratch, mountPath: /s}", "ARG902"),
    ("onExit: exit-handler", "onExit: exit-handlr", "ARG103"),
])
def test_mutations_are_caught(tmp_path: Path, old: str, new: str, code: str) -> None:
    text = (POSITIVE / "scopes.yaml").read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "mutant.yaml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    codes = [d.code for d in validate_files([str(p)]) if d.is_error]
    assert code in codes, codes
