"""tiphys' model of Argo's types, for strict decoding of documents tiphys did not write.

The model is the project's own strict schema (``schemas/argo-strict.schema.json``), read as
data, reduced to what Go's decoder checks (which fields exist, and the JSON type of each
value) and opened up where the schema is deliberately narrower than Argo's Go types: the
schema describes what tiphys emits, while ``tiphys validate`` reads what anyone wrote. Patterns,
enums, required fields and size limits are left to the semantic rules, which report them
with Argo's own wording (and would otherwise be reported twice).

The openings below were found by walking Argo v4.1's published schema.json beside the strict
schema (every property Argo has and the strict schema lacks); ``tests/validator`` re-checks
that list against ``../shared/argo/schema.json`` when it is present.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

SCHEMA_FILE = "argo-strict.schema.json"

#: "anything": a field Argo's Go type declares whose content tiphys does not model.
_ANY: dict[str, Any] = {}
_STRING: dict[str, Any] = {"type": "string"}
_BOOL: dict[str, Any] = {"type": "boolean"}
_INT: dict[str, Any] = {"type": "integer"}
_STRINGS: dict[str, Any] = {"type": "array", "items": _STRING}

#: The rest of Kubernetes' ObjectMeta (objects read back from a cluster carry these).
_OBJECT_META = {
    "name": _STRING, "generateName": _STRING, "namespace": _STRING, "uid": _STRING,
    "resourceVersion": _STRING, "generation": _INT, "selfLink": _STRING,
    "creationTimestamp": _ANY, "deletionTimestamp": _ANY, "deletionGracePeriodSeconds": _INT,
    "finalizers": _STRINGS, "ownerReferences": {"type": "array", "items": _ANY},
    "managedFields": {"type": "array", "items": _ANY},
    "labels": {"type": "object", "additionalProperties": _STRING},
    "annotations": {"type": "object", "additionalProperties": _STRING},
}  # fmt: skip

_PLUGIN_CONTAINER = {"$ref": "#/$defs/Container"}
_EXECUTOR_PLUGIN = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "metadata": {"type": "object", "additionalProperties": False,
                     "properties": dict(_OBJECT_META)},
        "spec": {"type": "object", "additionalProperties": False, "properties": {
            "sidecar": {"type": "object", "additionalProperties": False, "properties": {
                "container": _PLUGIN_CONTAINER, "automountServiceAccountToken": _BOOL}}}},
    },
}  # fmt: skip

_VOLUME_SOURCES = (
    "awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "fc", "flexVolume",
    "flocker", "gcePersistentDisk", "gitRepo", "glusterfs", "image", "iscsi",
    "photonPersistentDisk", "portworxVolume", "quobyte", "rbd", "scaleIO", "storageos",
    "vsphereVolume",
)
_CONTAINERS = ("Container", "ScriptTemplate", "UserContainer", "ContainerNode")

#: (JSON pointer of an object schema, properties to add). Argo's Go types have these fields;
#: the strict schema leaves them out because tiphys never writes them.
OPENINGS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("", {"status": _ANY}),
    ("/$defs/WorkflowSpec", {"executorPlugins": {"type": "array", "items": _EXECUTOR_PLUGIN}}),
    ("/$defs/WorkflowStep", {"inline": {"$ref": "#/$defs/Template"}}),
    ("/$defs/DAGTask", {"inline": {"$ref": "#/$defs/Template"}}),
    ("/$defs/Artifact", {"deleted": _BOOL}),
    ("/$defs/Outputs", {"exitCode": _STRING, "result": _STRING}),
    ("/$defs/EnvVar/properties/valueFrom", {"fileKeyRef": _ANY}),
    ("/$defs/Lifecycle", {"stopSignal": _STRING}),
    ("/$defs/Volume", dict.fromkeys(_VOLUME_SOURCES, _ANY)),
    ("/$defs/PersistentVolumeClaimTemplate",
     {"apiVersion": _STRING, "kind": _STRING, "status": _ANY}),
    ("/$defs/PersistentVolumeClaimTemplate/properties/metadata", _OBJECT_META),
    ("/$defs/PersistentVolumeClaimTemplate/properties/spec",
     {"dataSource": _ANY, "dataSourceRef": _ANY, "volumeAttributesClassName": _STRING}),
    ("/$defs/CronWorkflowSpec/properties/workflowMetadata", _OBJECT_META),
    *((f"/$defs/{c}", {"restartPolicy": _STRING, "restartPolicyRules": {"type": "array",
                                                                         "items": _ANY}})
      for c in _CONTAINERS),
    *((f"/$defs/{m}", _OBJECT_META) for m in (
        "NamespacedObjectMeta", "ClusterObjectMeta", "WorkflowObjectMeta",
        "CronWorkflowObjectMeta")),
)  # fmt: skip

#: (JSON pointer of a property schema, replacement): types the strict schema narrows.
RETYPED: tuple[tuple[str, dict[str, Any]], ...] = (
    # Argo's AnyString: tiphys writes a string, Go also decodes numbers and booleans
    ("/$defs/Parameter/properties/description", {"$ref": "#/$defs/AnyString"}),
)

#: Definitions whose values Go decodes with its own parser, not by JSON type alone.
_SPECIAL = {"Quantity": "quantity", "IntOrString": "int-or-string", "Port": "int-or-string",
            "AnyString": "any-string"}


@dataclass(slots=True, eq=False)
class Shape:
    """What Go's decoder accepts at one place of a document.

    ``kind`` is ``any``, ``object`` (``fields``; ``closed`` rejects others), ``map``
    (``value`` for every entry), ``list`` (``value`` for every item) or ``scalar``
    (``scalars``: the JSON types allowed; ``special`` for quantities and the like).
    """

    kind: str
    name: str = ""
    fields: dict[str, Shape] = field(default_factory=dict)
    closed: bool = True
    value: Shape | None = None
    scalars: frozenset[str] = frozenset()
    special: str = ""
    #: lower-cased field name -> field name, for case-insensitive matching (--no-strict)
    folded: dict[str, str] = field(default_factory=dict)
    #: A plain string scalar: any string value passes (the decoder's fast path; an attribute,
    #: not a property, as it is read for most fields of a document)
    takes_any_string: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.takes_any_string = (self.kind == "scalar" and not self.special
                                 and "string" in self.scalars)


ANY = Shape("any")


def _load_schema() -> dict[str, Any]:
    try:
        text = resources.files("tiphys.schemas").joinpath(SCHEMA_FILE).read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - source tree only
        text = (Path(__file__).resolve().parents[2] / "schemas" / SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def opened_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of the strict schema with :data:`OPENINGS` and :data:`RETYPED` applied."""
    out = copy.deepcopy(schema)
    for pointer, extra in OPENINGS:
        node: Any = out
        for part in pointer.split("/")[1:]:
            node = node[part]
        props = node.setdefault("properties", {})
        for key, sub in extra.items():
            props.setdefault(key, copy.deepcopy(sub))
    for pointer, replacement in RETYPED:
        *parents, last = pointer.split("/")[1:]
        node = out
        for part in parents:
            node = node[part]
        node[last] = copy.deepcopy(replacement)
    return out


class _Builder:
    def __init__(self, schema: dict[str, Any]) -> None:
        self.defs: dict[str, Any] = schema["$defs"]
        self.shapes: dict[str, Shape] = {}

    def ref(self, name: str) -> Shape:
        """The shape of one definition, built once (recursive definitions share it)."""
        got = self.shapes.get(name)
        if got is None:
            got = Shape("any", name=name)
            self.shapes[name] = got  # filled in place below, so cycles see it
            built = self.build(self.defs[name], name)
            for slot in Shape.__slots__:
                setattr(got, slot, getattr(built, slot))
            got.name = name
        return got

    def build(self, node: Any, name: str = "") -> Shape:
        if not isinstance(node, dict):
            return ANY
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = ref.rsplit("/", 1)[-1]
            if target in _SPECIAL:
                return _scalar_special(_SPECIAL[target], target)
            return self.ref(target)
        types = node.get("type")
        kinds = [types] if isinstance(types, str) else list(types or [])
        if not kinds and "properties" in node:
            kinds = ["object"]
        if not kinds and ("enum" in node or "const" in node):
            values = node.get("enum", [node.get("const")])
            kinds = sorted({_json_kind(v) for v in values})
        if not kinds or (len(kinds) > 1 and {"object", "array"} & set(kinds)):
            return ANY
        if kinds == ["object"]:
            return self._object(node, name)
        if kinds == ["array"]:
            items = node.get("items")
            return Shape("list", name=name, value=self.build(items) if items else ANY)
        scalars = set(kinds)
        if "integer" in scalars or "number" in scalars:
            scalars |= {"integer"}
        return Shape("scalar", name=name, scalars=frozenset(scalars))

    def _object(self, node: dict[str, Any], name: str) -> Shape:
        props = node.get("properties")
        extra = node.get("additionalProperties", True)
        if not isinstance(props, dict):
            if isinstance(extra, dict):
                return Shape("map", name=name, value=self.build(extra))
            return Shape("object", name=name, closed=False)
        fields: dict[str, Shape] = {}
        for key, sub in props.items():
            fields[key] = self.build(sub)
        return Shape("object", name=name, fields=fields, closed=extra is False,
                     folded={k.lower(): k for k in fields})


def _scalar_special(special: str, name: str) -> Shape:
    scalars = {"quantity": {"string", "number", "integer"},
               "int-or-string": {"string", "integer"},
               "any-string": {"string", "number", "integer", "boolean"}}[special]
    return Shape("scalar", name=name, scalars=frozenset(scalars), special=special)


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "any"


@lru_cache(maxsize=1)
def root_shapes() -> dict[str, Shape]:
    """The document shape of each Argo kind, by kind."""
    schema = opened_schema(_load_schema())
    builder = _Builder(schema)
    out: dict[str, Shape] = {}
    base_props = schema["properties"]
    for branch in schema.get("allOf", []):
        kind = branch.get("if", {}).get("properties", {}).get("kind", {}).get("const")
        then = branch.get("then", {}).get("properties", {})
        if not isinstance(kind, str):
            continue
        fields: dict[str, Shape] = {}
        for key, sub in base_props.items():
            fields[key] = builder.build(then.get(key, sub))
        fields["apiVersion"] = fields["kind"] = Shape("scalar", scalars=frozenset({"string"}))
        out[kind] = Shape("object", name=kind, fields=fields, closed=True,
                          folded={k.lower(): k for k in fields})
    return out
