"""The CloudHarness samples: golden files, stability, validity, and every script run.

The four seed examples (parallel, pipeline, simple DAG, CustomTask with env variables) and a
Flask controller that builds its operations from request values. Regenerate the golden files
with ``pytest tests/cloudharness --update-goldens`` and review ``git diff``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ch_helpers import (
    CH_GOLDEN,
    CH_SAMPLES,
    CONTROLLER,
    compile_path,
    no_sleep,
    official_errors,
    render,
    require_official,
    run_scripts,
)

SAMPLES = [*sorted(CH_SAMPLES.glob("*.py")), CONTROLLER]
IDS = [s.stem for s in SAMPLES]


def _compiled(sample: Path) -> list[tuple[str, str, dict]]:  # type: ignore[type-arg]
    # The seed examples sleep for 2 s: their scripts run in test_scripts_run, without sleeping.
    docs, diags = compile_path(sample, run=False)
    assert [d for d in diags if d.is_error] == []
    assert docs
    return [(_name(d), render(sample, d), d) for d in docs]


def _name(doc: dict) -> str:  # type: ignore[type-arg]
    meta = doc["metadata"]
    return str(meta.get("name") or meta["generateName"]).rstrip("-")


def test_the_seed_examples_are_all_there() -> None:
    assert {s.stem for s in SAMPLES} >= {"parallel", "pipeline", "simpledag", "custom_task",
                                          "workflows_controller"}


@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_golden(sample: Path, update_goldens: bool) -> None:
    for name, text, _ in _compiled(sample):
        golden = CH_GOLDEN / f"{name}.yaml"
        if update_goldens:
            golden.write_text(text, encoding="utf-8")
        assert golden.exists(), f"no golden file {golden}; run pytest --update-goldens"
        assert text == golden.read_text(encoding="utf-8"), (
            f"{sample.name} compiles differently from {golden.name}; if intended, rerun with "
            "--update-goldens and review the diff")


def test_every_golden_file_has_a_sample() -> None:
    produced = {name for s in SAMPLES for name, _, _ in _compiled(s)}
    assert {g.stem for g in CH_GOLDEN.glob("*.yaml")} == produced


@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_stable(sample: Path) -> None:
    assert [t for _, t, _ in _compiled(sample)] == [t for _, t, _ in _compiled(sample)]


@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_official_schema(sample: Path) -> None:
    require_official()
    for _, _, doc in _compiled(sample):
        assert official_errors(doc) == []


@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_scripts_run(sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_sleep(tmp_path, monkeypatch)
    shared = tmp_path / "shared"
    shared.mkdir()
    for _, _, doc in _compiled(sample):
        scripts = {t["name"] for t in doc["spec"]["templates"] if "script" in t}
        params = {p["name"]: "x" for p in doc["spec"].get("arguments", {}).get("parameters", [])}
        run = run_scripts(doc, shared, params)
        assert {name for name, _, _ in run.calls} == scripts
        containers = {t["name"] for t in doc["spec"]["templates"] if "container" in t}
        assert set(run.skipped) <= containers


def test_seed_parallel_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_sleep(tmp_path, monkeypatch)
    (_, _, doc), = _compiled(CH_SAMPLES / "parallel.py")
    assert run_scripts(doc).stdout == ["whatever\n", "whatever\n"]


def test_seed_pipeline_shares_a_directory(tmp_path: Path) -> None:
    (_, _, doc), = _compiled(CH_SAMPLES / "pipeline.py")
    run = run_scripts(doc, tmp_path)
    assert run.stdout == ["", "hello\n"]
    assert (tmp_path / "greeting").read_text() == "hello"


def test_controller_request_values_are_parameters() -> None:
    docs = {_name(d): d for _, _, d in _compiled(CONTROLLER)}
    sync = docs["test-sync-op-results"]["spec"]
    # a=1, b=2 are the controller function's defaults: parameters with those values.
    assert sync["arguments"]["parameters"] == [{"name": "a", "value": "1"},
                                               {"name": "b", "value": "2"}]
    env = sync["templates"][1]["container"]["env"]
    assert env[0] == {"name": "a", "value": "{{workflow.parameters.a}}"}
    connected = docs["test-custom-connected-op"]["spec"]
    # request.args.get('url') and the request body have no value: supplied with -p.
    assert connected["arguments"]["parameters"] == [{"name": "url"}, {"name": "payload"}]


@pytest.mark.parametrize("kind", ["WorkflowTemplate", "ClusterWorkflowTemplate"])
@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_templates_are_valid_too(sample: Path, kind: str) -> None:
    """compile_path checks the strict schema, Argo's rules and Argo's official schema."""
    docs, diags = compile_path(sample, kind=kind, run=False)
    assert [d for d in diags if d.is_error] == [] and docs
    for doc in docs:
        assert doc["kind"] == kind
        assert doc["metadata"]["name"] == _name(doc)
