"""run_validate: exit codes, formats, multi-file batches, schema and CRD options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from validator_paths import NEGATIVE, need_shared

from tiphys.compiler.commands.validate import run_validate, validate_files
from tiphys.compiler.validator.crd import CrdSchema, load_crd
from tiphys.compiler.validator.schema_check import OfficialSchema

GOOD = """apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: ok-
spec:
  entrypoint: main
  templates:
    - name: main
      retryStrategy:
        limit: 2
      steps:
        - - name: a
            templateRef:
              name: lib
              template: echo
            arguments:
              parameters:
                - name: message
                  value: 3
"""
LIB = """apiVersion: v1
kind: ConfigMap
metadata:
  name: not-argo
---
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: lib
spec:
  templates:
    - name: echo
      inputs:
        parameters:
          - name: message
      container:
        image: alpine:3.19
        args: ["{{inputs.parameters.message}}"]
"""


def _write(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_clean_batch_across_files_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    files = (_write(tmp_path, "wf.yaml", GOOD), _write(tmp_path, "lib.yaml", LIB))
    assert run_validate(files) == 0
    assert capsys.readouterr().out == ""


def test_warning_only_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_validate((_write(tmp_path, "wf.yaml", GOOD),)) == 0
    out = capsys.readouterr().out
    assert "ARG304" in out and "wf.yaml:14:15:" in out


def test_errors_exit_1_with_positions(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    f = _write(tmp_path, "bad.yaml", GOOD.replace("template: echo", "template: ehco") + "---\n"
               + GOOD.replace("entrypoint: main", "entrypoint: nope"))
    lib = _write(tmp_path, "lib.yaml", LIB)
    assert run_validate((f, lib)) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{f}:15:15: ARG305 step 'a' of template 'main': WorkflowTemplate 'lib' has no template "
        "'ehco'; fix templateRef.template or add the template there",
        f"{f}:26:3: ARG102 entrypoint template 'nope' is not defined; fix the name or add the "
        "template",
    ]


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = _write(tmp_path, "bad.yaml", "a: [1\n")
    assert run_validate((f,), fmt="json") == 1
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["code"] == "ARG001" and rows[0]["severity"] == "error"
    assert rows[0]["line"] == 2


def test_yaml_error_keeps_earlier_documents(tmp_path: Path) -> None:
    f = _write(tmp_path, "x.yaml", GOOD.replace("entrypoint: main", "entrypoint: nope")
               + "---\nkey: [unclosed\n")
    codes = sorted(d.code for d in validate_files([f]))
    assert codes == ["ARG001", "ARG102", "ARG304"]


def test_unreadable_schema_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = _write(tmp_path, "wf.yaml", GOOD)
    bad = _write(tmp_path, "schema.json", "{not json")
    assert run_validate((f,), schema_path=bad) == 2
    assert "not JSON" in capsys.readouterr().err
    assert run_validate((f,), crd_paths=(str(tmp_path / "missing.yaml"),)) == 2
    notcrd = _write(tmp_path, "crd.yaml", "kind: ConfigMap\n")
    assert run_validate((f,), crd_paths=(notcrd,)) == 2


def test_unknown_cel_rule_is_reported_once() -> None:
    crd = str(NEGATIVE / "fixtures" / "mini-crd.yaml")
    f = str(NEGATIVE / "sch004-cel-not-checked.yaml")
    diags = validate_files([f, f], crd_paths=[crd])
    sch4 = [d for d in diags if d.code == "SCH004"]
    assert len(sch4) == 1 and "priority must be below 100" in sch4[0].message


def test_crd_conversion(tmp_path: Path) -> None:
    crd = _write(tmp_path, "crd.yaml", """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
spec:
  names: {kind: Workflow}
  versions:
    - name: v1alpha1
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
                note: {type: string, nullable: true, maxLength: 3}
                name: {type: string, pattern: '^[a-z]+$'}
                free: {type: object, x-kubernetes-preserve-unknown-fields: true}
                items: {type: array, maxItems: 1, items: {type: integer}}
""")
    schema = load_crd(crd)
    assert isinstance(schema, CrdSchema) and schema.kind == "Workflow"

    def errs(spec: dict[str, object]) -> list[tuple[tuple[str | int, ...], str]]:
        return schema.errors({"apiVersion": "argoproj.io/v1alpha1", "spec": spec})

    assert errs({"port": 80, "note": None, "name": "abc", "free": {"x": 1}, "items": [1]}) == []
    assert errs({"port": "http"}) == []
    assert [p for p, _ in errs({"port": 1.5})] == [("spec", "port")]
    assert [p for p, _ in errs({"note": "long"})] == [("spec", "note")]
    assert [p for p, _ in errs({"name": "ABC"})] == [("spec", "name")]
    assert [p for p, _ in errs({"items": [1, 2]})] == [("spec", "items")]
    assert [p for p, _ in errs({"nmae": "x"})] == [("spec", "nmae")]


def test_official_schema_is_loosened() -> None:
    argo = need_shared()
    schema = OfficialSchema(str(argo / "schema.json"))
    doc = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
           "metadata": {"generateName": "x-"},
           "spec": {"entrypoint": "m", "arguments": {"parameters": [
               {"name": "n", "value": 3, "default": True, "enum": [3, 4.5, "x"]}]},
               "templates": [{"name": "m", "activeDeadlineSeconds": 10,
                              "retryStrategy": {"limit": 2, "backoff": {"factor": 2}},
                              "container": {"image": "a"}}]}}
    assert schema.errors(doc) == []
    doc["spec"]["parallelism"] = "x"  # type: ignore[index]
    assert [p for p, _ in schema.errors(doc)] == [("spec", "parallelism")]


def test_non_utf8_file_is_a_diagnostic(tmp_path: Path) -> None:
    p = tmp_path / "latin1.yaml"
    p.write_bytes("kind: Workflow\nname: caf\xe9\n".encode("latin-1"))
    (d,) = validate_files([str(p)])
    assert d.code == "ARG001" and d.is_error


def test_official_schema_accepts_image_from_template_defaults() -> None:
    argo = need_shared()
    schema = OfficialSchema(str(argo / "schema.json"))
    doc = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
           "metadata": {"generateName": "x-"},
           "spec": {"entrypoint": "m", "templates": [{"name": "m", "container": {"args": ["a"]}}]}}
    assert [p for p, _ in schema.errors(doc)] == [("spec", "templates", 0, "container")]
    doc["spec"]["templateDefaults"] = {"container": {"image": "alpine"}}  # type: ignore[index]
    assert schema.errors(doc) == []
    assert validate_docs_ok(doc)


def validate_docs_ok(doc: dict[str, object]) -> bool:
    from tiphys.compiler.validator import check_documents

    return check_documents([doc]) == []


def test_crd_conversion_is_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIPHYS_CACHE_DIR", str(tmp_path / "cache"))
    crd = str(NEGATIVE / "fixtures" / "mini-crd.yaml")
    first = load_crd(crd)
    assert len(list((tmp_path / "cache").glob("crd-*.json"))) == 1
    second = load_crd(crd)
    assert [(r.message, r.covered_by) for r in first.rules] == [
        (r.message, r.covered_by) for r in second.rules]
    assert second.kind == "Workflow" and set(second.versions) == {"v1alpha1"}
    monkeypatch.setenv("TIPHYS_CACHE_DIR", "")
    assert load_crd(crd).kind == "Workflow"
