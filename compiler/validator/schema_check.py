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
from dataclasses import dataclass, field
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from tiphys.compiler.validator.findings import PathT

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

#: Meanings of the CRDs' CEL rules, by message, and the semantic code that checks each.
CEL_COVERED = {
    "template must have at most one template type": "ARG204",
    "timeout cannot be applied to steps or dag templates": "ARG210",
    "activeDeadlineSeconds is only valid for leaf templates": "ARG211",
    "cannot use both 'depends' and 'dependencies'": "ARG607",
    "cannot use 'continueOn' when using 'depends'": "ARG608",
    "task name cannot begin with a digit when using 'depends' or 'dependencies'": "ARG606",
    "only one of count or end can be defined": "ARG504",
    "only one of manifest or manifestFrom can be specified": "ARG217",
    "at most one artifact location can be specified": "ARG220",
    "'resourcesDuration.*' metrics cannot be used in real-time gauges": "ARG219",
}


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


@dataclass(slots=True)
class CelRule:
    path: str
    message: str
    rule: str
    covered_by: str | None


@dataclass(slots=True)
class CrdSchema:
    path: str
    kind: str
    versions: dict[str, Draft202012Validator] = field(default_factory=dict)
    rules: list[CelRule] = field(default_factory=list)

    def errors(self, doc: dict[str, Any]) -> list[tuple[PathT, str]]:
        version = str(doc.get("apiVersion", "")).rpartition("/")[2]
        v = self.versions.get(version) or next(iter(self.versions.values()), None)
        return [] if v is None else list(_errors(v, doc))


#: Bump when convert_openapi changes, so cached conversions are not reused.
_CONVERTER_VERSION = "1"


def _cache_file(text: str) -> str | None:
    """Where the conversion of a CRD with this text is cached (None: caching disabled).

    ``TIPHYS_CACHE_DIR`` overrides the folder (empty disables); default
    ``$XDG_CACHE_HOME/tiphys`` or ``~/.cache/tiphys``.
    """
    import hashlib
    import os

    folder = os.environ.get("TIPHYS_CACHE_DIR")
    if folder is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "tiphys")
    if not folder:
        return None
    digest = hashlib.sha256((_CONVERTER_VERSION + text).encode("utf-8")).hexdigest()
    return os.path.join(folder, f"crd-{digest[:32]}.json")


def _load_cached(cache: str | None) -> dict[str, Any] | None:
    if cache is None:
        return None
    try:
        with open(cache, encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None


def _store_cached(cache: str | None, data: dict[str, Any]) -> None:
    if cache is None:
        return
    import os
    import tempfile

    try:
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(cache), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
        os.replace(tmp, cache)
    except OSError:
        pass  # caching is best effort


def load_crd(path: str) -> CrdSchema:
    text = _read(path)
    cache = _cache_file(text)
    data = _load_cached(cache)
    if data is None:
        data = _convert_crd(path, text)
        _store_cached(cache, data)
    out = CrdSchema(path, str(data["kind"]))
    out.rules = [CelRule(r[0], r[1], r[2], CEL_COVERED.get(r[1])) for r in data["rules"]]
    for name, schema in data["versions"].items():
        out.versions[name] = Draft202012Validator(schema)
    return out


def _convert_crd(path: str, text: str) -> dict[str, Any]:
    """The CRD's kind, converted schemas by version, and CEL rules, as plain JSON data."""
    try:
        crd = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        raise SchemaLoadError(f"{path} is not YAML: {e}") from e
    spec = crd.get("spec") if isinstance(crd, dict) else None
    kind = spec.get("names", {}).get("kind") if isinstance(spec, dict) else None
    if not isinstance(spec, dict) or crd.get("kind") != "CustomResourceDefinition" \
            or not isinstance(kind, str):
        raise SchemaLoadError(f"{path} is not a CustomResourceDefinition")
    rules: list[CelRule] = []
    versions: dict[str, Any] = {}
    for ver in spec.get("versions") or []:
        schema = ((ver or {}).get("schema") or {}).get("openAPIV3Schema")
        if not isinstance(schema, dict):
            continue
        conv = convert_openapi(schema, "", rules)
        for implicit in ("apiVersion", "kind", "metadata"):  # always allowed at the root
            conv.setdefault("properties", {}).setdefault(implicit, {})
        conv["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        versions[str(ver.get("name"))] = conv
    if not versions:
        raise SchemaLoadError(f"{path} has no openAPIV3Schema")
    return {"kind": kind, "versions": versions,
            "rules": [[r.path, r.message, r.rule] for r in rules]}


_KEEP = ("pattern", "maxLength", "minLength", "maxItems", "minItems", "maximum", "minimum",
         "maxProperties", "minProperties", "uniqueItems", "multipleOf", "required")


def convert_openapi(node: dict[str, Any], path: str, rules: list[CelRule]) -> dict[str, Any]:
    """A Kubernetes structural schema node as JSON Schema (2020-12)."""
    out: dict[str, Any] = {}
    for key in _KEEP:
        if key in node:
            out[key] = node[key]
    if "enum" in node:
        out["enum"] = list(node["enum"])
    typ = node.get("type")
    if node.get("x-kubernetes-int-or-string"):
        typ = _INT_OR_STRING
    if typ is not None:
        types = list(typ) if isinstance(typ, list) else [typ]
        if node.get("nullable"):
            types.append("null")
            if "enum" in out:
                out["enum"].append(None)
        out["type"] = types[0] if len(types) == 1 else types
    if node.get("exclusiveMinimum") is True and "minimum" in out:
        out["exclusiveMinimum"] = out.pop("minimum")
    if node.get("exclusiveMaximum") is True and "maximum" in out:
        out["exclusiveMaximum"] = out.pop("maximum")
    props = node.get("properties")
    if isinstance(props, dict):
        out["properties"] = {k: convert_openapi(v, f"{path}.{k}", rules)
                             for k, v in props.items() if isinstance(v, dict)}
        if not node.get("x-kubernetes-preserve-unknown-fields"):
            out["additionalProperties"] = False
    items = node.get("items")
    if isinstance(items, dict):
        out["items"] = convert_openapi(items, f"{path}[]", rules)
    addl = node.get("additionalProperties")
    if isinstance(addl, dict):
        out["additionalProperties"] = convert_openapi(addl, f"{path}.*", rules)
    elif isinstance(addl, bool):
        out["additionalProperties"] = addl
    if not node.get("x-kubernetes-int-or-string"):
        for comb in ("anyOf", "allOf", "oneOf"):
            if isinstance(node.get(comb), list):
                out[comb] = [convert_openapi(s, path, rules) for s in node[comb]
                             if isinstance(s, dict)]
    if isinstance(node.get("not"), dict):
        out["not"] = convert_openapi(node["not"], path, rules)
    for r in node.get("x-kubernetes-validations") or []:
        if isinstance(r, dict):
            msg = str(r.get("message") or r.get("rule"))
            rules.append(CelRule(path or ".", msg, str(r.get("rule")), CEL_COVERED.get(msg)))
    return out


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
    result: CrdSchema = _cached("crd", path, load_crd)
    return result


def strict_schema(path: str) -> Draft202012Validator:
    result: Draft202012Validator = _cached("strict", path, load_strict)
    return result
