"""Strict decoding (``argo lint``'s default): unknown fields, value types, quantities, durations.

No flag is needed: ``tiphys validate`` decodes strictly by default; ``--no-strict`` behaves as
``argo lint --strict=false``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from validator_paths import ARGO, DOCS

from tiphys.compiler.commands.validate import validate_files
from tiphys.compiler.diagnostics import Diagnostic, Severity
from tiphys.compiler.validator.codes import BEYOND_ARGO
from tiphys.compiler.validator.typemodel import ANY, Shape, root_shapes

HEAD = """apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: t-
spec:
  entrypoint: main
"""


def run(tmp_path: Path, text: str, **kw: Any) -> list[Diagnostic]:
    f = tmp_path / "doc.yaml"
    f.write_text(text, encoding="utf-8")
    return validate_files([str(f)], **kw).sorted()


def codes(diags: list[Diagnostic]) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in diags]


@pytest.mark.parametrize("body, line, guess", [
    ("  templates:\n  - name: main\n    retrys: 3\n    container: {image: busybox}\n", 9,
     "retryStrategy"),
    ("  templates:\n  - name: main\n    container:\n      image: busybox\n      comand: [x]\n", 11,
     "command"),
    ("  templates:\n  - name: main\n    steps:\n    - - name: a\n        template: c\n"
     "        argument: {}\n  - name: c\n    container: {image: busybox}\n", 12, "arguments"),
    ("  templates:\n  - name: main\n    steps:\n    - - name: a\n        template: c\n"
     "        withParm: '[1]'\n  - name: c\n    container: {image: busybox}\n", 12, "withParam"),
])
def test_misspelt_field_is_an_error_at_the_field(tmp_path: Path, body: str, line: int,
                                                 guess: str) -> None:
    diags = run(tmp_path, HEAD + body)
    hits = [d for d in diags if d.code == "ARG005"]
    assert [(d.line, d.severity) for d in hits] == [(line, Severity.ERROR)], diags
    assert f"did you mean '{guess}'?" in hits[0].message


def test_wrong_types_and_quantities(tmp_path: Path) -> None:
    diags = run(tmp_path, HEAD + "  parallelism: four\n  templates:\n  - name: main\n"
                "    steps:\n    - name: a\n      template: c\n  - name: c\n    container:\n"
                "      image: busybox\n      resources:\n        limits: {memory: lots}\n")
    assert ("ARG006", 7) in codes(diags)  # parallelism
    assert ("ARG006", 11) in codes(diags)  # a flat steps list: the group is not a list
    assert ("ARG007", 17) in codes(diags)
    flat = next(d for d in diags if d.line == 11)
    assert "'- - name: a'" in flat.message


@pytest.mark.parametrize("value", [
    "{limit: 3}", "{limit: '3'}", "{limit: 2.0}", "{retryPolicy: Always, limit: null}",
])
def test_int_or_string_and_null_decode(tmp_path: Path, value: str) -> None:
    diags = run(tmp_path, HEAD + "  templates:\n  - name: main\n    retryStrategy: " + value
                + "\n    container: {image: busybox}\n")
    assert [d for d in diags if d.is_error] == []


@pytest.mark.parametrize("value, ok", [
    ("500m", True), ("1.5", True), ("2Gi", True), ("1e3", True), ("0.5", True), (".5", True),
    ("lots", False), ("2GB", False), ("'{{inputs.parameters.mem}}'", False), ("''", False),
])
def test_quantities(tmp_path: Path, value: str, ok: bool) -> None:
    diags = run(tmp_path, HEAD + "  templates:\n  - name: main\n    container:\n"
                f"      image: busybox\n      resources:\n        requests: {{memory: {value}}}\n")
    assert (not any(d.code == "ARG007" for d in diags)) is ok, diags


def test_any_string_parameters_take_numbers_and_booleans(tmp_path: Path) -> None:
    diags = run(tmp_path, HEAD + "  arguments:\n    parameters:\n    - {name: n, value: 3}\n"
                "    - {name: b, value: true, enum: [true, false]}\n  templates:\n"
                "  - name: main\n    container: {image: busybox}\n")
    assert [d for d in diags if d.is_error] == []


def test_huge_integer_is_reported_not_raised(tmp_path: Path) -> None:
    diags = run(tmp_path, HEAD + "  parallelism: " + "9" * 5000 + "\n  templates:\n"
                "  - name: main\n    container: {image: busybox}\n")
    assert ("ARG006", 7) in codes(diags)
    assert all(len(d.message) < 300 for d in diags)


def test_no_strict_is_argo_lint_strict_false(tmp_path: Path) -> None:
    text = (HEAD.replace("  entrypoint: main", "  Entrypoint: main") + "  templates:\n"
            "  - name: main\n    container:\n      image: busybox\n      Command: [echo]\n"
            "      colour: red\n")
    strict = run(tmp_path, text)
    assert {d.code for d in strict if d.is_error} == {"ARG005", "ARG101"}
    loose = run(tmp_path, text, strict=False)
    # names match case-insensitively, so entrypoint is set; the unknown field only warns
    assert [(d.code, d.severity, d.line) for d in loose] == [
        ("ARG005", Severity.WARNING, 12)]


def test_no_strict_duplicates_are_warnings(tmp_path: Path) -> None:
    text = HEAD + "  entrypoint: main\n  templates:\n  - name: main\n    container: {image: x}\n"
    assert [d.code for d in run(tmp_path, text) if d.is_error] == ["ARG002"]
    assert [d.severity for d in run(tmp_path, text, strict=False)] == [Severity.WARNING]


def test_inline_templates_and_executor_plugins_are_modelled(tmp_path: Path) -> None:
    diags = run(tmp_path, HEAD + "  templates:\n  - name: main\n    dag:\n      tasks:\n"
                "      - name: a\n        inline:\n          container:\n            image: x\n"
                "            comand: [y]\n")
    assert codes(diags) == [("ARG005", 15)]


def test_durations_are_beyond_argo(tmp_path: Path) -> None:
    diags = run(tmp_path, HEAD + "  podGC: {strategy: OnPodCompletion, deleteDelayDuration: "
                "soon}\n  templates:\n  - name: main\n    suspend: {duration: '{{inputs."
                "parameters.d}}'}\n    inputs: {parameters: [{name: d, value: '20'}]}\n")
    assert codes(diags) == [("ARG904", 7)]
    assert "[beyond argo lint: rejected by the workflow controller" in diags[0].message


# --- the model against Argo's own schema ---------------------------------------------------


def _resolve(defs: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _unknown_to_model(defs: dict[str, Any], node: Any, shape: Shape, path: str,
                      seen: set[tuple[int, int]], out: list[str]) -> None:
    node = _resolve(defs, node)
    if shape is ANY or shape.kind == "any" or not isinstance(node, dict):
        return
    if (id(node), id(shape)) in seen:
        return
    seen.add((id(node), id(shape)))
    if node.get("type") == "array" and shape.kind == "list" and shape.value is not None:
        _unknown_to_model(defs, node.get("items"), shape.value, path + "[]", seen, out)
    elif isinstance(node.get("properties"), dict) and shape.kind == "object":
        for key, sub in node["properties"].items():
            if key in shape.fields:
                _unknown_to_model(defs, sub, shape.fields[key], f"{path}.{key}", seen, out)
            elif shape.closed:
                out.append(f"{path}.{key}")
    elif isinstance(node.get("additionalProperties"), dict) and shape.kind == "map" \
            and shape.value is not None:
        _unknown_to_model(defs, node["additionalProperties"], shape.value, path + ".*", seen,
                          out)


@pytest.mark.parametrize("kind", ["Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate",
                                  "CronWorkflow"])
def test_model_knows_every_field_of_argos_schema(kind: str) -> None:
    """Strict decoding must never call a field unknown that Argo's Go types have."""
    schema_file = ARGO / "schema.json"
    if not schema_file.is_file():
        pytest.skip(f"Argo's schema not found at {schema_file}")
    defs = json.loads(schema_file.read_text(encoding="utf-8"))["definitions"]
    root = defs[f"io.argoproj.workflow.v1alpha1.{kind}"]
    out: list[str] = []
    _unknown_to_model(defs, root, root_shapes()[kind], kind, set(), out)
    assert out == []


_INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
_QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
_WF = "io.argoproj.workflow.v1alpha1."
#: AnyString properties: strings in Argo's schema, numbers and booleans decode too.
_ANY_STRING = {(_WF + "Parameter", p) for p in ("value", "default", "description")} | {
    (_WF + "ValueFrom", "default")}


def _narrower_than_argo(defs: dict[str, Any], node: Any, shape: Shape, path: str,
                        seen: set[tuple[int, int]], out: list[str],
                        owner: str | None = None, prop: str | None = None) -> None:
    """Where the model refuses a JSON type that Go's decoder accepts."""
    ref = None
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"].rsplit("/", 1)[-1]
        node = defs[ref]
    if shape.kind == "any" or not isinstance(node, dict) or (id(node), id(shape)) in seen:
        return
    seen.add((id(node), id(shape)))
    kind = node.get("type")
    allowed: set[str] | None = None
    if ref == _INT_OR_STRING:
        allowed = {"integer", "string"}
    elif ref == _QUANTITY:
        allowed = {"string", "number"}
    elif (owner, prop) in _ANY_STRING:
        allowed = {"string", "number", "boolean"}
    elif kind in ("string", "integer", "number", "boolean"):
        allowed = {kind}
    if allowed is not None:
        missing = allowed - set(shape.scalars) if shape.kind == "scalar" else allowed
        if missing:
            out.append(f"{path}: {sorted(missing)}")
    elif kind == "array" and shape.kind == "list" and shape.value is not None:
        _narrower_than_argo(defs, node.get("items"), shape.value, path + "[]", seen, out)
    elif isinstance(node.get("properties"), dict) and shape.kind == "object":
        for key, sub in node["properties"].items():
            if key in shape.fields:
                _narrower_than_argo(defs, sub, shape.fields[key], f"{path}.{key}", seen, out,
                                    ref, key)
    elif isinstance(node.get("additionalProperties"), dict) and shape.kind == "map" \
            and shape.value is not None:
        _narrower_than_argo(defs, node["additionalProperties"], shape.value, path + ".*",
                            seen, out)


@pytest.mark.parametrize("kind", ["Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate",
                                  "CronWorkflow"])
def test_model_types_are_never_narrower_than_argos(kind: str) -> None:
    """Strict decoding must never refuse a value type that Argo's Go types decode."""
    schema_file = ARGO / "schema.json"
    if not schema_file.is_file():
        pytest.skip(f"Argo's schema not found at {schema_file}")
    defs = json.loads(schema_file.read_text(encoding="utf-8"))["definitions"]
    out: list[str] = []
    _narrower_than_argo(defs, defs[_WF + kind], root_shapes()[kind], kind, set(), out)
    assert out == []


def test_beyond_argo_codes_are_documented_as_such() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for code, who in BEYOND_ARGO.items():
        section = text.split(f"## {code}\n", 1)[1].split("\n## ", 1)[0]
        assert f"**Beyond argo lint:** rejected by {who}" in section, code
