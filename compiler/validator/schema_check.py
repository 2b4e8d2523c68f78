"""JSON Schema validation: Argo's official schema.json, converted CRDs, a strict schema.

* Official schema: the definition is picked by ``kind`` through a small wrapper, and the
  schema's two quirks are loosened at load time: IntOrString (hard-coded to string) accepts
  integers, AnyString fields (Parameter value/default/enum/description, ValueFrom default)
  accept numbers and booleans, as Argo decodes them.
* CRDs: the ``openAPIV3Schema`` is converted to JSON Schema honouring
  ``x-kubernetes-int-or-string``, ``nullable``, ``x-kubernetes-preserve-unknown-fields``
  (elsewhere unknown fields are rejected, as ``kubectl --validate=strict`` does), patterns,
  enums and size limits. ``x-kubernetes-validations`` (CEL) rules whose meaning the semantic
  checks cover are dropped; the others are reported as skipped (SCH004).

Validators are compiled once per kind and cached; ``$ref`` resolution is lazy.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from tiphys.compiler.validator.findings import PathT

if TYPE_CHECKING:
    from tiphys.compiler.validator.crd import CrdSchema

INT_OR_STRING_DEF = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
_WF = "io.argoproj.workflow.v1alpha1."
#: Fields typed IntOrString, for a schema that inlines the type instead of referring to it.
INT_OR_STRING_FIELDS = (
    (_WF + "RetryStrategy", "limit"), (_WF + "Backoff", "factor"),
    (_WF + "Template", "activeDeadlineSeconds"), (_WF + "Sequence", "count"),
    (_WF + "Sequence", "start"), (_WF + "Sequence", "end"),
    ("io.k8s.api.core.v1.HTTPGetAction", "port"), ("io.k8s.api.core.v1.TCPSocketAction", "port"),
    ("io.k8s.api.policy.v1.PodDisruptionBudgetSpec", "minAvailable"),
    ("io.k8s.api.policy.v1.PodDisruptionBudgetSpec", "maxUnavailable"),
)
#: AnyString fields: strings in the schema, but numbers and booleans decode too.
ANY_STRING_FIELDS = (
    (_WF + "Parameter", "value"), (_WF + "Parameter", "default"),
    (_WF + "Parameter", "description"), (_WF + "ValueFrom", "default"),
)
_INT_OR_STRING = ["integer", "string"]
_ANY_STRING = ["string", "number", "boolean"]

class SchemaLoadError(Exception):
    """A schema or CRD file that cannot be used (exit code 2)."""


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise SchemaLoadError(f"cannot read {path}: {e}") from e


def _errors(validator: Draft202012Validator, doc: Any) -> Iterator[tuple[PathT, str]]:
    for err in validator.iter_errors(doc):
        yield from _flatten(err)


def _flatten(err: ValidationError) -> Iterator[tuple[PathT, str]]:
    path: PathT = tuple(err.absolute_path)
    if err.validator in ("anyOf", "oneOf") and err.context:
        # report the branch that got furthest
        best = max(err.context, key=lambda e: len(e.absolute_path))
        yield from _flatten(best)
        return
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        props = err.schema.get("properties", {}) if isinstance(err.schema, dict) else {}
        for key in err.instance:
            if key not in props:
                yield (*path, key), f"unknown field '{key}'; remove it or fix its spelling"
        return
    msg = err.message
    if len(msg) > 200:
        msg = msg[:200] + "..."
    hint = _HINTS.get(str(err.validator))
    yield path, f"{msg}; {hint}" if hint else msg


_HINTS = {
    "required": "add it",
    "type": "change the value to that type",
    "enum": "use one of the listed values",
    "const": "use the expected value",
    "pattern": "change the value to match the pattern",
    "maxLength": "shorten it",
    "minLength": "lengthen it",
    "maxItems": "remove entries",
    "minItems": "add entries",
    "maximum": "use a smaller number",
    "minimum": "use a larger number",
    "exclusiveMinimum": "use a larger number",
    "exclusiveMaximum": "use a smaller number",
}


class OfficialSchema:
    """Argo's ``api/jsonschema/schema.json``, loosened, one cached validator per kind."""

    def __init__(self, path: str) -> None:
        try:
            schema = json.loads(_read(path))
        except json.JSONDecodeError as e:
            raise SchemaLoadError(f"{path} is not JSON: {e}") from e
        defs = schema.get("definitions") if isinstance(schema, dict) else None
        if not isinstance(defs, dict):
            raise SchemaLoadError(f"{path} has no 'definitions'; is it Argo's schema.json?")
        self.path = path
        self.definitions: dict[str, Any] = defs
        self._loosen()
        self._validators: dict[str, Draft202012Validator | None] = {}

    def _loosen(self) -> None:
        defs = self.definitions
        if isinstance(defs.get(INT_OR_STRING_DEF), dict):
            defs[INT_OR_STRING_DEF] = {"type": _INT_OR_STRING}
        else:
            for d, prop in INT_OR_STRING_FIELDS:
                self._retype(d, prop, _INT_OR_STRING)
        for d, prop in ANY_STRING_FIELDS:
            self._retype(d, prop, _ANY_STRING)
        enum = defs.get(_WF + "Parameter", {}).get("properties", {}).get("enum")
        if isinstance(enum, dict) and isinstance(enum.get("items"), dict):
            enum["items"] = {"type": _ANY_STRING}

    def _retype(self, definition: str, prop: str, types: list[str]) -> None:
        props = self.definitions.get(definition, {}).get("properties", {})
        if isinstance(props.get(prop), dict):
            desc = props[prop].get("description")
            props[prop] = {"type": types} | ({"description": desc} if desc else {})

    def validator(self, kind: str) -> Draft202012Validator | None:
        if kind not in self._validators:
            ref = _WF + kind
            if ref not in self.definitions:
                self._validators[kind] = None
            else:
                wrapper = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                           "$id": f"urn:argo-workflows:schema:{kind}",
                           "$ref": f"#/definitions/{ref}", "definitions": self.definitions}
                self._validators[kind] = Draft202012Validator(wrapper)
        return self._validators[kind]

    def errors(self, doc: dict[str, Any]) -> list[tuple[PathT, str]]:
        v = self.validator(str(doc.get("kind")))
        if v is None:
            return []
        errs = list(_errors(v, doc))
        if _has_default_image(doc):
            # Argo lets templates omit the image when spec.templateDefaults provides one
            errs = [(p, m) for p, m in errs
                    if not (m.startswith("'image' is a required property")
                            and len(p) >= 2 and p[-1] in ("container", "script"))]
        return errs


def _has_default_image(doc: dict[str, Any]) -> bool:
    spec = doc.get("spec")
    if isinstance(spec, dict) and doc.get("kind") == "CronWorkflow":
        spec = spec.get("workflowSpec")
    defaults = spec.get("templateDefaults") if isinstance(spec, dict) else None
    if not isinstance(defaults, dict):
        return False
    return any(isinstance(defaults.get(k), dict) and defaults[k].get("image")
               for k in ("container", "script"))


def is_plain_json_schema(path: str) -> bool:
    """Whether *path* is a JSON Schema of its own (``$defs``, or no ``definitions``), such
    as tiphys' ``schemas/argo-strict.schema.json``, rather than Argo's ``schema.json``."""
    try:
        schema = json.loads(_read(path))
    except json.JSONDecodeError as e:
        raise SchemaLoadError(f"{path} is not JSON: {e}") from e
    if not isinstance(schema, dict):
        raise SchemaLoadError(f"{path} is not a JSON Schema object")
    return "definitions" not in schema and ("$defs" in schema or "properties" in schema)


def load_strict(path: str) -> Draft202012Validator:
    """The project's strict schema: any JSON Schema file (draft 2020-12 assumed)."""
    try:
        schema = json.loads(_read(path))
    except json.JSONDecodeError as e:
        raise SchemaLoadError(f"{path} is not JSON: {e}") from e
    if not isinstance(schema, dict):
        raise SchemaLoadError(f"{path} is not a JSON Schema object")
    return Draft202012Validator(schema)


def strict_errors(validator: Draft202012Validator, doc: Any) -> list[tuple[PathT, str]]:
    return list(_errors(validator, doc))


_CACHE: dict[tuple[str, str, float, int], Any] = {}


def _cached(kind: str, path: str, load: Any) -> Any:
    """Load each schema file once per process (keyed by path, mtime and size)."""
    import os

    try:
        st = os.stat(path)
    except OSError as e:
        raise SchemaLoadError(f"cannot read {path}: {e}") from e
    key = (kind, os.path.abspath(path), st.st_mtime, st.st_size)
    if key not in _CACHE:
        _CACHE[key] = load(path)
    return _CACHE[key]


def official_schema(path: str) -> OfficialSchema:
    result: OfficialSchema = _cached("official", path, OfficialSchema)
    return result


def crd_schema(path: str) -> CrdSchema:
    from tiphys.compiler.validator.crd import load_crd

    result: CrdSchema = _cached("crd", path, load_crd)
    return result


def strict_schema(path: str) -> Draft202012Validator:
    result: Draft202012Validator = _cached("strict", path, load_strict)
    return result
