"""Argo's CRDs as JSON Schema: the ``openAPIV3Schema`` of each version converted honouring
``x-kubernetes-int-or-string``, ``nullable``, ``x-kubernetes-preserve-unknown-fields``
(elsewhere unknown fields are rejected, as ``kubectl --validate=strict`` does), patterns, enums
and size limits; ``x-kubernetes-validations`` (CEL) rules whose meaning the semantic checks
cover are dropped, the others reported as skipped (SCH004). Conversions are cached on disk."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from tiphys.compiler.validator.findings import PathT
from tiphys.compiler.validator.schema_check import (
    _INT_OR_STRING,
    SchemaLoadError,
    _errors,
    _read,
)

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
