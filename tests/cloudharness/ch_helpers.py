"""Helpers for the CloudHarness tests: compile source text, check every document, run scripts.

Every document a helper returns has passed tiphys' strict schema, Argo's semantic rules and,
when ``../shared`` is present, Argo's official JSON schema.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
import textwrap
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tiphys.compiler.commands.files import header_for
from tiphys.compiler.commands.pipeline import compile_file
from tiphys.compiler.diagnostics import Diagnostic
from tiphys.compiler.emit import dump_documents
from tiphys.compiler.lower.workflow import Settings
from tiphys.compiler.run import Run
from tiphys.compiler.strict_schema import check_strict
from tiphys.compiler.validator import check_documents

from conftest import REPO, SHARED
from run_helpers import run_doc

CH_SAMPLES = REPO / "samples" / "cloudharness"
CH_GOLDEN = Path(__file__).resolve().parent / "golden"
CONTROLLER = (CH_SAMPLES / "applications" / "samples" / "backend" / "samples" / "controllers"
              / "workflows_controller.py")
#: No values file, no applications folder: CloudHarness' defaults only.
NO_CONFIG: dict[str, Any] = {}

HEADER = "from cloudharness.workflows import operations, tasks\n"


def settings(table: dict[str, Any] | None = None, kind: str | None = None) -> Settings:
    return Settings(kind=kind, cloudharness=table)


def compile_path(path: Path, table: dict[str, Any] | None = None, kind: str | None = None,
                 run: bool = True) -> tuple[list[dict[str, Any]], list[Diagnostic]]:
    """Compile; every document is checked, and (with *run*) every script in it is run."""
    result = compile_file(str(path), settings(table, kind))
    docs = [wf.document for wf in result.workflows]
    diags = result.diagnostics.sorted()
    if not any(d.is_error for d in diags):
        for doc in docs:
            assert_valid(doc)
            if run:
                run_all_scripts(doc)
    return docs, diags


def run_all_scripts(doc: dict[str, Any]) -> None:
    """Every script template runs to completion (parameters without a value get 'x')."""
    scripts = {t["name"] for t in doc["spec"]["templates"] if "script" in t}
    if not scripts:
        return
    params = {p["name"]: "x" for p in doc["spec"].get("arguments", {}).get("parameters", [])}
    with tempfile.TemporaryDirectory(prefix="tiphys-ch-shared-") as shared:
        ran = {name for name, _, _ in run_scripts(doc, Path(shared), params).calls}
    assert ran == scripts


def compile_src(tmp_path: Path, body: str, table: dict[str, Any] | None = None,
                kind: str | None = None, header: str = HEADER, name: str = "app.py",
                run: bool = True) -> tuple[list[dict[str, Any]], list[Diagnostic]]:
    """Compile *body* (dedented, after the usual import line) as a file of its own."""
    path = tmp_path / name
    path.write_text(header + textwrap.dedent(body), encoding="utf-8")
    return compile_path(path, table, kind, run)


def compile_one(tmp_path: Path, body: str, table: dict[str, Any] | None = None,
                kind: str | None = None, header: str = HEADER,
                run: bool = True) -> dict[str, Any]:
    docs, diags = compile_src(tmp_path, body, table, kind, header, run=run)
    errors = [d for d in diags if d.is_error]
    assert not errors, errors
    assert len(docs) == 1, [d["metadata"] for d in docs]
    return docs[0]


def errors_of(diags: list[Diagnostic]) -> list[tuple[str, int, int]]:
    """(code, line, column) of each error, in order."""
    return [(d.code, d.line, d.col) for d in diags if d.is_error]


def codes(diags: list[Diagnostic]) -> list[str]:
    return [d.code for d in diags]


def render(path: Path, doc: dict[str, Any]) -> str:
    return dump_documents([doc], header_for([str(path)]))


# -- validity -------------------------------------------------------------------------------


@cache
def _official() -> dict[str, Any] | None:
    schema_file = SHARED / "argo" / "schema.json"
    if not schema_file.exists():
        return None
    schema: dict[str, Any] = json.loads(schema_file.read_text())
    key = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
    if key in schema["definitions"]:
        schema["definitions"][key] = {"type": ["integer", "string"]}
    return schema


@cache
def _official_validator(kind: str) -> Any:
    from jsonschema import Draft202012Validator

    schema = _official()
    assert schema is not None
    return Draft202012Validator({
        "$ref": f"#/definitions/io.argoproj.workflow.v1alpha1.{kind}",
        "definitions": schema["definitions"],
    })


def official_errors(doc: dict[str, Any]) -> list[str] | None:
    """Errors against Argo's official schema; None when ../shared is absent."""
    if _official() is None:
        return None
    return [f"{list(e.absolute_path)}: {e.message}"
            for e in _official_validator(doc["kind"]).iter_errors(doc)]


def assert_valid(doc: dict[str, Any]) -> None:
    assert check_strict(doc) == []
    errors = [f for f in check_documents([doc]) if f.severity.value == "error"
              and not (f.code == "ARG107" and doc["kind"] == "Workflow")]
    assert errors == []
    official = official_errors(doc)
    assert official in (None, []), official


def require_official() -> None:
    if _official() is None:
        pytest.skip(f"Argo's schema not found at {SHARED / 'argo' / 'schema.json'}")


# -- running scripts ------------------------------------------------------------------------


def run_scripts(doc: dict[str, Any], shared: Path | None = None,
                parameters: dict[str, str] | None = None) -> Run:
    """Run the document's scripts with tiphys run's engine. The downward-API env variable
    gets a pod-like name, and ``shared_directory`` points at a local folder."""
    doc = copy.deepcopy(doc)
    for t in doc["spec"]["templates"]:
        body = t.get("script") or t.get("container")
        if body is None:
            continue
        for e in body.get("env", []):
            if "valueFrom" in e:
                del e["valueFrom"]
                e["value"] = f"{doc['metadata'].get('generateName', 'wf-')}abcde-1234"
            if e["name"] == "shared_directory" and shared is not None:
                e["value"] = str(shared)
    return run_doc(doc, parameters)


def no_sleep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scripts run with ``time.sleep`` a no-op (the seed examples sleep for 2 s)."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text("import time\ntime.sleep = lambda s: None\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(site), *filter(None, [os.environ.get("PYTHONPATH")])]))
