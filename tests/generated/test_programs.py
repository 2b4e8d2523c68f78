"""Generated programs (issue 12): every well-typed program compiles clean, passes the strict and
Argo's official schema, and runs with every input decoded as annotated; one planted mistake is
reported with the right code at the planted line.

``TIPHYS_PROGRAMS`` sets how many programs each property tries (default 300). On a failure,
Hypothesis prints the seed and the shrunk example; the program's text is in the message.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is in the test extra")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from jsonschema import Draft202012Validator  # noqa: E402

from tests.compile_helpers import compile_text  # noqa: E402
from tests.conftest import SHARED  # noqa: E402
from tests.generated.programs import (  # noqa: E402
    NAMES,
    TYPES,
    WRONG,
    WRONG_OUTPUT,
    Arg,
    Invocation,
    Program,
    Task,
    programs,
)
from tests.generated.stand_in import run_to_completion  # noqa: E402

COUNT = int(os.environ.get("TIPHYS_PROGRAMS", "300"))
SETTINGS = settings(max_examples=COUNT, deadline=None, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])
_OFFICIAL: list[Any] = []


def official_validator(kind: str) -> Draft202012Validator | None:
    path = SHARED / "argo" / "schema.json"
    if not path.exists():
        return None
    if not _OFFICIAL:
        schema = json.loads(path.read_text(encoding="utf-8"))
        defs = schema["definitions"]
        defs["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] = {"type": ["integer", "string"]}
        _OFFICIAL.append(defs)
    return Draft202012Validator({"$ref": f"#/definitions/io.argoproj.workflow.v1alpha1.{kind}",
                                 "definitions": _OFFICIAL[0]})


def compile_program(tmp: Path, text: str) -> tuple[list[dict[str, Any]], list[Any]]:
    tmp.mkdir(parents=True, exist_ok=True)
    return compile_text(tmp, text)


@SETTINGS
@given(program=programs())
def test_a_well_typed_program_compiles_clean_and_runs(tmp_path_factory: Any,
                                                      program: Program) -> None:
    text, _ = program.render()
    docs, diags = compile_program(tmp_path_factory.mktemp("p"), text)
    assert diags == [], f"{[(d.code, d.line, d.message) for d in diags]}\n{text}"
    assert len(docs) == 1
    validator = official_validator(docs[0]["kind"])
    if validator is not None:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(docs[0])]
        assert errors == [], f"{errors}\n{text}"
    try:
        run_to_completion(docs[0])
    except Exception as exc:
        raise AssertionError(f"the program failed in tiphys run's engine: {exc}\n{text}") from exc


def _plant(program: Program, mistake: str, draw: Any) -> tuple[str, int] | None:
    """Change *program* in place to hold one *mistake*: (expected code, invocation index)."""
    invs = program.invocations
    if mistake == "literal":
        spots = [(i, a) for i, inv in enumerate(invs) for a in inv.args
                 if a.kind == "literal" and inv.loop != a.param and _type(inv, a) in WRONG]
        if not spots:
            return None
        i, arg = draw(st.sampled_from(spots))
        arg.text = WRONG[_type(invs[i], arg)]
        return "TPH190", i
    if mistake == "misspelled":
        spots = [(i, a) for i, inv in enumerate(invs) for a in inv.args]
        if not spots:
            return None
        i, arg = draw(st.sampled_from(spots))
        arg.param = arg.param[0] + arg.param[2:]  # drop a letter: "alpha" → "apha"
        return "TPH100", i
    # A new producer and a new consumer reading it, appended (nothing reads them).
    annotation = draw(st.sampled_from(sorted(WRONG_OUTPUT)))
    consumer = Task("planted_reader", [(NAMES[0], annotation)], "None", None)
    if mistake == "output":
        returns = WRONG_OUTPUT[annotation]
        producer = Task("planted_source", [], returns, draw(TYPES[returns][0]))
        program.tasks += [producer, consumer]
        invs.append(Invocation("planted_src", producer, []))
    else:  # a read of a skippable output
        producer = Task("planted_source", [], annotation, draw(TYPES[annotation][0]))
        program.tasks += [producer, consumer]
        invs.append(Invocation("planted_src", producer, [], when=(len(invs) - 1, "0")))
        if invs[-2].task.returns != "int" or invs[-2].loop or program.skippable(len(invs) - 2):
            gate = Task("planted_gate", [], "int", 1)
            program.tasks.append(gate)
            invs.insert(len(invs) - 1, Invocation("planted_gate", gate, []))
            invs[-1].when = (len(invs) - 2, "0")
    invs.append(Invocation("planted_use", consumer,
                           [Arg(NAMES[0], "output", "planted_src", len(invs) - 1)]))
    return ("TPH191" if mistake == "output" else "TPH407"), len(invs) - 1


def _type(inv: Invocation, arg: Arg) -> str:
    return dict(inv.task.params)[arg.param]


@SETTINGS
@given(program=programs(), mistake=st.sampled_from(["literal", "output", "skippable",
                                                    "misspelled"]), data=st.data())
def test_one_planted_mistake_is_reported_at_its_line(
    tmp_path_factory: Any, program: Program, mistake: str, data: st.DataObject,
) -> None:
    planted = _plant(program, mistake, data.draw)
    hypothesis.assume(planted is not None)
    assert planted is not None
    code, index = planted
    text, lines = program.render()
    _, diags = compile_program(tmp_path_factory.mktemp("p"), text)
    errors = sorted({(d.code, d.line) for d in diags if d.is_error})
    # Reported, and only at the planted line (a misspelled loop argument may also leave the
    # .map() looping over another argument: a second error there).
    assert (code, lines[index]) in errors, f"{mistake}: {errors}\n{text}"
    assert {line for _, line in errors} == {lines[index]}, f"{mistake}: {errors}\n{text}"
