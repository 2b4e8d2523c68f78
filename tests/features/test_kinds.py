"""Suspend, resource and http templates, templateRef composition across the files of a run,
and their misuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from tiphys.compiler.check.composition import check
from tiphys.compiler.commands.compile import compile_paths
from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.lower.workflow import Settings

from compile_helpers import compile_text
from conftest import SAMPLES

HEAD = """from tiphys import task, dag, pipeline, workflow, suspend, resource, http, template_ref

@task
def hello(name: str) -> str:
    return "hi " + name
"""

JOB = '{"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "{{inputs.parameters.n}}"}}'


def template(doc: dict, name: str) -> dict:  # type: ignore[type-arg]
    return next(t for t in doc["spec"]["templates"] if t["name"] == name)


def test_kinds_emit_their_templates(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + f"""
gate = suspend("gate", outputs=["ok"])
pause = suspend("pause", duration=90)
job = resource("job", "create", {JOB}, inputs=["n"], outputs={{"uid": "{{.metadata.uid}}"}})
get = http("get", "https://example.com/x", method="post", body="{{{{inputs.parameters.b}}}}",
           inputs=["b"], headers={{"Accept": "text/plain"}})
g = gate()
wf = workflow("kinds", pipeline(g, pause(), job(n="x"), get(b=g.outputs["ok"])))
""")
    assert [d for d in diags if d.is_error] == [], diags
    doc = docs[0]
    assert template(doc, "gate")["suspend"] == {}
    assert template(doc, "gate")["outputs"]["parameters"][0]["valueFrom"] == {"supplied": {}}
    assert template(doc, "pause")["suspend"] == {"duration": "90"}
    res = template(doc, "job")["resource"]
    assert res["action"] == "create" and "kind: Job" in res["manifest"]
    assert template(doc, "job")["outputs"]["parameters"][0]["valueFrom"] == {
        "jsonPath": "{.metadata.uid}"}
    h = template(doc, "get")["http"]
    assert h["method"] == "POST" and h["headers"] == [{"name": "Accept", "value": "text/plain"}]


MISUSE = [
    ("bad-action", 'resource("r", "destroy", {"apiVersion": "v1", "kind": "Pod"})', "TPH453"),
    ("no-manifest", 'resource("r", "create")', "TPH454"),
    ("manifest-not-object", 'resource("r", "create", "just text")', "TPH455"),
    ("undeclared-input", f'resource("r", "create", {JOB})', "TPH451"),
    ("bad-url", 'http("h", "ftp://example.com")', "TPH456"),
    ("bad-method", 'http("h", "https://example.com", method="FETCH")', "TPH456"),
    ("bad-duration", 'suspend("s", duration="soon")', "TPH452"),
    ("bad-ref-template", 'template_ref("lib", "Not Valid")', "TPH460"),
]


@pytest.mark.parametrize("expr,code", [m[1:] for m in MISUSE], ids=[m[0] for m in MISUSE])
def test_misuse(tmp_path: Path, expr: str, code: str) -> None:
    docs, diags = compile_text(tmp_path, HEAD + f"\nk = {expr}\nwf = workflow('w', dag(k()))\n")
    found = [d for d in diags if d.code == code]
    assert found, [(d.code, d.message) for d in diags]
    assert found[0].line == HEAD.count("\n") + 2
    assert docs == []


LIB = """from tiphys import task, workflow, pipeline

@task
def greet(name: str, punctuation: str = "!") -> str:
    return f"hi {name}{punctuation}"

lib = workflow("lib", pipeline(greet(name="x")))
"""


def _run(tmp_path: Path, caller: str) -> list[tuple[str, str, int]]:
    (tmp_path / "lib.py").write_text(LIB)
    (tmp_path / "app.py").write_text(caller)
    results, diags = compile_paths([str(tmp_path)], Settings())
    check([r.summary for r in results if r.summary], diags)
    return [(d.code, Path(d.path).name, d.line) for d in diags.sorted()]


def test_template_ref_checked_against_the_run(tmp_path: Path) -> None:
    ok = """from tiphys import template_ref, workflow, pipeline
greet = template_ref("lib", "greet", inputs=["name"], outputs=["return"])
wf = workflow("app", pipeline(greet(name="y")))
"""
    assert _run(tmp_path, ok) == []


@pytest.mark.parametrize("call,use,code", [
    ('template_ref("lib", "gret", inputs=["name"])', 'greet(name="y")', "TPH461"),
    ('template_ref("lib", "greet", inputs=["name", "mood"])', 'greet(name="y", mood="z")',
     "TPH462"),
    ('template_ref("lib", "greet")', "greet()", "TPH463"),
    ('template_ref("lib", "greet", inputs=["name"], outputs=["answer"])', 'greet(name="y")',
     "TPH464"),
    ('template_ref("elsewhere", "greet", inputs=["name"])', 'greet(name="y")', "TPH465"),
])
def test_template_ref_mismatch(tmp_path: Path, call: str, use: str, code: str) -> None:
    caller = f"""from tiphys import template_ref, workflow, pipeline
greet = {call}
wf = workflow("app", pipeline({use}))
"""
    found = _run(tmp_path, caller)
    assert (code, "app.py", 2) in found, found


def test_samples_compose(tmp_path: Path) -> None:
    """template_kinds.py calls a template of quickstart.py: compiled together, it checks."""
    results, diags = compile_paths([str(SAMPLES / "template_kinds.py"),
                                    str(SAMPLES / "quickstart.py")], Settings())
    check([r.summary for r in results if r.summary], diags)
    assert [d for d in diags if d.code.startswith("TPH46")] == []
    diags = Diagnostics()
    results, _ = compile_paths([str(SAMPLES / "template_kinds.py")], Settings())
    check([r.summary for r in results if r.summary], diags)
    assert [d.code for d in diags] == ["TPH465"]


def test_template_refs_checked_by_compile_and_lint_also_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from tiphys.compiler.cli import main

    monkeypatch.setenv("TIPHYS_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "flows"
    src.mkdir()
    (src / "lib.py").write_text(LIB)
    (src / "app.py").write_text("""from tiphys import template_ref, workflow, pipeline
greet = template_ref("lib", "gret", inputs=["name"])
wf = workflow("app", pipeline(greet(name="y")))
""")
    for _ in range(2):  # cold, then every file from the cache
        result = CliRunner().invoke(main, ["compile", str(src)])
        assert result.exit_code == 1
        assert "app.py:2:9: TPH461" in result.stderr
    result = CliRunner().invoke(main, ["lint", str(src)])
    assert result.exit_code == 1 and "TPH461" in result.stdout
