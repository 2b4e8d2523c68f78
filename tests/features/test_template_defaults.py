"""``workflow(template_defaults={"retries": N, "timeout": "30s"})``: Argo's
``spec.templateDefaults``, checked where written, and merged into every template when
``tiphys run`` runs the workflow (as Argo's controller does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compile_helpers import compile_text
from run_helpers import run_doc

HEAD = '''from tiphys import bash, pipeline, workflow

fail = bash("fail", "echo no; exit 3", image="bash:5.2"{own})
ok = bash("ok", "echo yes", image="bash:5.2")
'''


def _compile(tmp_path: Path, defaults: str, own: str = "") -> tuple[list[dict], list[str]]:  # type: ignore[type-arg]
    line = f'wf = workflow("w", pipeline(ok(), fail()), template_defaults={defaults})'
    docs, diags = compile_text(tmp_path, HEAD.format(own=own) + line + "\n")
    return docs, [f"{d.line}:{d.col} {d.code} {d.message}" for d in diags]


def test_the_defaults_are_written_once_in_the_spec(tmp_path: Path) -> None:
    docs, diags = _compile(tmp_path, '{"timeout": 90, "retries": 1}')
    assert not diags, diags
    spec = docs[0]["spec"]
    assert spec["templateDefaults"] == {"retryStrategy": {"limit": 1}, "timeout": "90s"}
    assert all("retryStrategy" not in t and "timeout" not in t for t in spec["templates"])


def _attempts(run: object, template: str) -> int:
    return sum(1 for n in run.nodes.values()  # type: ignore[attr-defined]
               if n.template == template and n.type == "Pod")


def test_a_run_retries_every_template_the_defaults_reach(tmp_path: Path) -> None:
    """retries=1 reaches the failing leaf (2 attempts) and the pipeline around it (which runs
    twice): 4 attempts in all, and the run fails."""
    docs, diags = _compile(tmp_path, '{"retries": 1}')
    assert not diags, diags
    run = run_doc(docs[0])
    assert run.phase == "Failed"
    assert _attempts(run, "fail") == 4
    assert _attempts(run, "ok") == 2


def test_a_template_s_own_setting_wins(tmp_path: Path) -> None:
    docs, diags = _compile(tmp_path, '{"retries": 1}', own=", retries=0")
    assert not diags, diags
    run = run_doc(docs[0])
    assert _attempts(run, "fail") == 2  # once per run of the pipeline


@pytest.mark.parametrize(("defaults", "at", "message"), [
    ('{"retries": -1}', "-1", "TPH141 the retry limit must be an integer >= 0"),
    ('{"timeout": "soon"}', '"soon"', "TPH131 'timeout' must be a positive number of seconds"),
    ('{"image": "x"}', '"image"', "TPH131 template_defaults takes 'retries' and 'timeout'"),
    ('{}', "{}", "TPH131 'template_defaults' must be a dict literal"),
])
def test_misuse_is_reported_where_written(tmp_path: Path, defaults: str, at: str,
                                          message: str) -> None:
    _, diags = _compile(tmp_path, defaults)
    line = f'wf = workflow("w", pipeline(ok(), fail()), template_defaults={defaults})'
    where = f"5:{line.index(at, line.index('template_defaults')) + 1}"
    assert any(d.startswith(f"{where} ") and message in d for d in diags), (where, diags)


def test_unpacking_is_reported_once_where_written(tmp_path: Path) -> None:
    _, diags = _compile(tmp_path, '{**{"retries": 1}}')
    assert len(diags) == 1 and "must be written out, without ** unpacking" in diags[0], diags
