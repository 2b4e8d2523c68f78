"""``suspend(outputs=[supplied(name, default=, enum=, description=)])``: Argo's intermediate
parameters (an input the UI shows, with its default and choices, and the output supplied on
resume), their misuse, and what ``tiphys run`` does with them."""

from __future__ import annotations

from pathlib import Path

import pytest

from compile_helpers import compile_text
from run_helpers import run_doc

HEAD = "from tiphys import bash, pipeline, supplied, suspend, workflow\n"

GATE = HEAD + '''
approval = suspend("approval", outputs=[supplied("approve", default="NO", enum=["YES", "NO"],
                                                  description="ship it?")])
report = bash("report", 'echo "answer: $answer"', inputs=["answer"])
gate = approval()
flow = workflow("gate", pipeline(gate, report(answer=gate.outputs["approve"])))
'''


def _template(doc: dict, name: str) -> dict:  # type: ignore[type-arg]
    return next(t for t in doc["spec"]["templates"] if t["name"] == name)


def test_an_intermediate_parameter_is_an_input_and_a_supplied_output(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, GATE)
    assert not diags, diags
    t = _template(docs[0], "approval")
    assert t["inputs"] == {"parameters": [
        {"name": "approve", "default": "NO", "enum": ["YES", "NO"], "description": "ship it?"}]}
    # The output's own default too: `argo resume` fills an unset supplied output from it.
    assert t["outputs"] == {"parameters": [
        {"name": "approve", "valueFrom": {"supplied": {}, "default": "NO"}}]}
    assert t["suspend"] == {}


def test_without_a_default_only_the_output_is_written(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + '''
gate = suspend("gate", outputs=["plain", supplied("why", description="the reason")])
flow = workflow("gate", gate())
''')
    assert not diags, diags
    t = _template(docs[0], "gate")
    assert "inputs" not in t
    assert t["outputs"]["parameters"] == [
        {"name": "plain", "valueFrom": {"supplied": {}}},
        {"name": "why", "valueFrom": {"supplied": {}}, "description": "the reason"},
    ]


@pytest.mark.parametrize(("supplied", "answer", "note"), [
    ({}, "NO", None),                         # the default the UI offers
    ({"approve": "YES"}, "YES", None),        # what the person resuming chose
    ({"approve": "MAYBE"}, "MAYBE", "approve = 'MAYBE' is not one of ['YES', 'NO']"),
])
def test_a_local_run_resumes_with_the_supplied_value_or_the_default(
        tmp_path: Path, supplied: dict[str, str], answer: str, note: str | None) -> None:
    docs, diags = compile_text(tmp_path, GATE)
    assert not diags, diags
    run = run_doc(docs[0], supplied=supplied)
    assert run.phase == "Succeeded", run.message
    gate = next(n for n in run.nodes.values() if n.template == "approval")
    assert gate.outputs["parameters.approve"] == answer
    assert (note in gate.message) if note else ("not one of" not in gate.message)
    report = next(n for n in run.nodes.values() if n.template == "report")
    assert report.stdout.strip() == f"answer: {answer}"


@pytest.mark.parametrize(("body", "at", "message"), [
    ('outputs=[supplied("a", enum=["YES", "NO"])]', '["YES"',
     "TPH457 supplied() with enum= needs a default= among its values"),
    ('outputs=[supplied("a", default="MAYBE", enum=["YES", "NO"])]', '"MAYBE"',
     "TPH457 the default 'MAYBE' is not one of enum= ('YES', 'NO')"),
    ('outputs=[supplied("a", default="NO", enum=[])]', "[])",
     "TPH457 enum= lists the values the person resuming may choose"),
    ('outputs=[supplied("a", default="NO", enum=["NO", "NO"])]', '["NO", "NO"]',
     "TPH457 enum= lists a value twice"),
    ('inputs=["a"], outputs=[supplied("a", default="NO")]', "[supplied",
     "TPH457 output 'a' has a default, which Argo shows as an input of the same name"),
    ('outputs=["x", supplied("x")]', '["x"', "TPH457 output 'x' is listed twice"),
    ('outputs=[3]', "3]", "TPH131 'outputs' must be output names or supplied(...)"),
    ('outputs=[supplied("bad name!")]', "[supplied",
     "TPH450 output name 'bad name!' must be letters, digits, '-' and '_'"),
])
def test_misuse_is_reported_at_its_place(tmp_path: Path, body: str, at: str,
                                         message: str) -> None:
    args = "a=\"x\"" if body.startswith("inputs") else ""
    line = f'gate = suspend("gate", {body})'
    _, diags = compile_text(tmp_path, HEAD + f"""
{line}
flow = workflow("gate", gate({args}))
""")
    where = f"3:{line.index(at) + 1}"
    shown = [f"{d.line}:{d.col} {d.code} {d.message}" for d in diags]
    assert any(s.startswith(f"{where} ") and message in s for s in shown), (where, shown)
