"""Check emitted Argo documents against tiphys' strict JSON schema.

The schema (``tiphys/schemas/argo-strict.schema.json``) is a closed, hand-written subset of Argo
Workflows v4.1: every object rejects unknown fields, names follow Argo's patterns, and
int-or-string fields take both JSON types. It is loaded once and compiled into one cached
validator; :func:`check_strict` turns jsonschema's errors into short :class:`SchemaViolation`
records whose ``path`` points at the offending value (for an unknown field, at the field itself).

The documents are plain JSON-like data: dicts (any ``Mapping``), lists or tuples, strings,
numbers, booleans and ``None``.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # jsonschema takes ~50 ms to import and only the slow path (an invalid document) needs it.
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

__all__ = [
    "SCHEMA_FILE",
    "SchemaViolation",
    "check_strict",
    "ecma_pattern",
    "is_strictly_valid",
    "load_schema",
    "strict_validator",
]

SCHEMA_PACKAGE = "tiphys.schemas"
SCHEMA_FILE = "argo-strict.schema.json"

# Longest rendering of a value inside a message.
_MAX_SHOWN = 60
# An unknown field lists the allowed ones when there are at most this many.
_MAX_LISTED = 16


@dataclass(frozen=True, slots=True)
class SchemaViolation:
    """One place where a document breaks the strict schema."""

    path: tuple[str | int, ...]
    """JSON path inside the document: keys and list indexes, outermost first."""
    message: str
    """Short and human, e.g. ``unknown field 'retrys' (did you mean 'retryStrategy'?)``."""

    @property
    def dotted_path(self) -> str:
        """The path as ``spec.templates[0].name`` (``<document>`` for the root)."""
        return format_path(self.path)

    def __str__(self) -> str:
        return f"{self.dotted_path}: {self.message}"


def format_path(path: Iterable[str | int]) -> str:
    """Render a JSON path as ``spec.templates[0].name``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "<document>"


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The strict schema, parsed once. Callers must not mutate it."""
    try:
        text = resources.files(SCHEMA_PACKAGE).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    except ModuleNotFoundError:
        # Running from a source tree where tiphys is not installed: schemas/ is next to compiler/.
        text = (Path(__file__).resolve().parents[1] / "schemas" / SCHEMA_FILE).read_text(
            encoding="utf-8"
        )
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """A schema ``pattern`` compiled with ECMA-262's (and Go's) meaning of ``$``: the end of
    the string. Python's ``$`` also matches before a final newline, so ``"name\\n"`` would
    pass ``^[-a-zA-Z0-9_]+$`` here and be rejected by Argo; ``$`` becomes ``\\Z``."""
    out = []
    i = 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "^":  # a negated class: its own "]" may follow
                out.append("[^")
                i += 2
                if pattern[i:i + 1] == "]":
                    out.append("]")
                    i += 1
                continue
            if pattern[i + 1:i + 2] == "]":
                out.append("[]")
                i += 2
                continue
        elif ch == "$":
            ch = "\\Z"
        out.append(ch)
        i += 1
    return re.compile("".join(out))


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    """jsonschema's ``pattern`` keyword, with :func:`ecma_pattern`'s ``$``."""
    from jsonschema.exceptions import ValidationError

    if isinstance(instance, str) and not ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _is_object(_checker: object, instance: object) -> bool:
    return isinstance(instance, Mapping)


def _is_array(_checker: object, instance: object) -> bool:
    return isinstance(instance, (list, tuple))


@lru_cache(maxsize=1)
def strict_validator() -> Validator:
    """The one compiled validator (no format checking: the schema uses no formats)."""
    from jsonschema import Draft202012Validator
    from jsonschema.validators import extend, validator_for

    schema = load_schema()
    base = validator_for(schema, default=Draft202012Validator)
    checker = base.TYPE_CHECKER.redefine_many({"object": _is_object, "array": _is_array})
    cls = extend(base, validators={"pattern": _pattern},  # type: ignore[no-untyped-call]
                 type_checker=checker)  # untyped in stubs
    validator: Validator = cls(schema, format_checker=None)
    return validator


def check_strict(doc: Mapping[str, Any]) -> list[SchemaViolation]:
    """Every strict-schema violation in ``doc``, sorted by path, without duplicates.

    A valid document (the usual case) is accepted by the fast checker alone; only an invalid one
    goes through jsonschema, which explains every error.
    """
    if is_strictly_valid(doc):
        return []
    found: dict[SchemaViolation, None] = {}
    for error in strict_validator().iter_errors(_without_valid_templates(doc)):
        for violation in _explain(error):
            found[violation] = None
    return sorted(found, key=_sort_key)


def _sort_key(v: SchemaViolation) -> tuple[tuple[tuple[int, int, str], ...], str]:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in v.path), v.message


# --- turning jsonschema errors into violations -------------------------------------------


def _explain(error: ValidationError) -> Iterator[SchemaViolation]:
    path: tuple[str | int, ...] = tuple(error.absolute_path)
    keyword = error.validator
    value: Any = error.validator_value
    instance: Any = error.instance
    schema: Any = error.schema

    if "propertyNames" in error.absolute_schema_path:
        # The instance is a map key; point at the key itself.
        inner = _message(error, keyword, value, instance, schema)
        yield SchemaViolation((*path, str(instance)), f"invalid key {_show(instance)}: {inner}")
        return
    if keyword == "additionalProperties" and value is False and isinstance(instance, Mapping):
        allowed = sorted(schema.get("properties", {}))
        for key in instance:
            if key not in allowed:
                yield SchemaViolation((*path, str(key)), _unknown_field(str(key), allowed))
        return
    if keyword == "required" and isinstance(instance, Mapping):
        for key in value:
            if key not in instance:
                yield SchemaViolation(path, f"missing required field '{key}'")
        return
    if keyword in ("oneOf", "anyOf"):
        names = _required_alternatives(value)
        if names is None and error.context:
            # Report the leaf error of the branch that came closest.
            from jsonschema.exceptions import best_match

            leaf = best_match(error.context)
            yield from _explain(leaf)
            return
        if names is not None:
            yield SchemaViolation(path, _alternatives_message(keyword, names, instance))
            return
    yield SchemaViolation(path, _message(error, keyword, value, instance, schema))


def _message(error: ValidationError, keyword: Any, value: Any, instance: Any, schema: Any) -> str:
    if keyword == "not" and value == {}:
        where = list(error.absolute_path)
        return f"field '{where[-1]}' is not allowed here" if where else "not allowed here"
    if keyword == "type":
        wanted = [value] if isinstance(value, str) else list(value)
        return f"expected {' or '.join(wanted)}, got {_json_type(instance)} {_show(instance)}"
    if keyword == "enum":
        options = ", ".join(_show(v) for v in value)
        return f"{_show(instance)} is not one of: {options}"
    if keyword == "const":
        return f"expected {_show(value)}, got {_show(instance)}"
    if keyword == "pattern":
        return f"{_show(instance)} does not match {value}"
    if keyword == "minLength":
        if value == 1:
            return "must not be empty"
        return f"{_show(instance)} is too short (at least {value} characters)"
    if keyword == "maxLength":
        return f"{_show(instance)} is too long ({len(instance)} characters, at most {value})"
    if keyword == "minItems":
        return f"needs at least {value} item{'s' if value != 1 else ''}, has {len(instance)}"
    if keyword == "maxItems":
        return f"has {len(instance)} items, at most {value} allowed"
    if keyword == "minimum":
        return f"{_show(instance)} is less than the minimum {value}"
    if keyword == "maximum":
        return f"{_show(instance)} is more than the maximum {value}"
    if keyword == "maxProperties" and isinstance(instance, Mapping):
        keys = ", ".join(f"'{k}'" for k in instance)
        return f"at most {value} field{'s' if value != 1 else ''} allowed here, found {keys}"
    if keyword == "minProperties":
        return f"needs at least {value} field{'s' if value != 1 else ''}"
    message: str = error.message
    return message if len(message) <= 200 else message[:197] + "..."


def _unknown_field(key: str, allowed: list[str]) -> str:
    guess = _closest(key, allowed)
    if guess is not None:
        return f"unknown field '{key}' (did you mean '{guess}'?)"
    if not allowed:
        return f"unknown field '{key}' (no fields allowed here)"
    if len(allowed) <= _MAX_LISTED:
        return f"unknown field '{key}' (allowed: {', '.join(allowed)})"
    return f"unknown field '{key}' (allowed: {', '.join(allowed[:_MAX_LISTED])}, ...)"


def _closest(key: str, allowed: list[str]) -> str | None:
    """The allowed name ``key`` most likely misspells: similar, or sharing a long prefix."""
    low = key.lower()
    best: tuple[float, str] | None = None
    for name in allowed:
        cand = name.lower()
        score = difflib.SequenceMatcher(None, low, cand).ratio()
        prefix = _common_prefix(low, cand)
        if prefix >= 4:
            score = max(score, prefix / len(low))
        if score >= 0.6 and (best is None or score > best[0]):
            best = (score, name)
    return None if best is None else best[1]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _required_alternatives(branches: Any) -> list[str] | None:
    """Names for a oneOf/anyOf whose every branch is just ``{"required": [name]}``."""
    names: list[str] = []
    for branch in branches:
        if not isinstance(branch, dict) or set(branch) != {"required"}:
            return None
        required = branch["required"]
        if len(required) != 1:
            return None
        names.append(required[0])
    return names


def _alternatives_message(keyword: str, names: list[str], instance: Any) -> str:
    listed = ", ".join(f"'{n}'" for n in names)
    present = [n for n in names if isinstance(instance, Mapping) and n in instance]
    if keyword == "oneOf" and len(present) > 1:
        found = ", ".join(f"'{n}'" for n in present)
        return f"only one of {listed} may be set, found {found}"
    if keyword == "oneOf":
        return f"exactly one of {listed} must be set"
    return f"one of {listed} is required"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return type(value).__name__


def _show(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{...}" if value else "{}"
    if isinstance(value, (list, tuple)):
        return "[...]" if value else "[]"
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 4] + "...'"


# --- the fast path -------------------------------------------------------------------------
#
# jsonschema spends most of its time resolving $refs and building validator objects, about a
# millisecond per template. The checks below compile the same schema once into plain closures
# that only answer "valid or not", roughly twenty times faster. They implement exactly the
# keywords this schema uses and refuse any other, so a schema edit cannot silently weaken them;
# tests compare their verdicts with jsonschema's.

_Check = Callable[[Any], bool]

# Keywords that carry no assertion.
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "$defs", "title", "description", "contentEncoding"}
)
_ASSERTIONS = frozenset(
    {
        "type", "enum", "const", "$ref", "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
        "properties", "additionalProperties", "required", "propertyNames", "minProperties",
        "maxProperties", "items", "minItems", "maxItems", "pattern", "minLength", "maxLength",
        "minimum", "maximum",
    }
)  # fmt: skip


def is_strictly_valid(doc: Mapping[str, Any]) -> bool:
    """Whether ``doc`` passes the strict schema (same verdict as jsonschema, much faster)."""
    return _fast_check()(doc)


@lru_cache(maxsize=1)
def _fast_compiler() -> _FastCompiler:
    return _FastCompiler(load_schema())


@lru_cache(maxsize=1)
def _fast_check() -> _Check:
    return _fast_compiler().compile(load_schema())


@cache
def _fast_check_of(ref: str) -> _Check:
    return _fast_compiler().compile({"$ref": ref})


# The schemas of one template and one DAG task, and tiny entries they accept.
_TEMPLATE_ITEM = "#/$defs/WorkflowSpec/properties/templates/items"
_TASK_ITEM = "#/$defs/DAGTask"
_TEMPLATE_STAND_IN: dict[str, Any] = {"name": "valid", "suspend": {}}
_TASK_STAND_IN: dict[str, Any] = {"name": "valid", "template": "valid"}


def _without_valid_templates(doc: Mapping[str, Any]) -> Mapping[str, Any]:
    """``doc`` with every template (and DAG task) that passes replaced by a valid stand-in.

    jsonschema then spends its time only on what is broken. The stand-ins keep the lists' lengths
    and indexes, and no schema rule looks across entries, so the errors and their paths are the
    same as for the whole document.
    """
    spec = doc.get("spec") if isinstance(doc, Mapping) else None
    if not isinstance(spec, Mapping):
        return doc
    cron = doc.get("kind") == "CronWorkflow"
    workflow_spec = spec.get("workflowSpec") if cron else spec
    if not isinstance(workflow_spec, Mapping):
        return doc
    templates = workflow_spec.get("templates")
    if not isinstance(templates, (list, tuple)):
        return doc
    passes = _fast_check_of(_TEMPLATE_ITEM)
    pruned = [_TEMPLATE_STAND_IN if passes(t) else _without_valid_tasks(t) for t in templates]
    new_workflow_spec = {**workflow_spec, "templates": pruned}
    new_spec = {**spec, "workflowSpec": new_workflow_spec} if cron else new_workflow_spec
    return {**doc, "spec": new_spec}


def _without_valid_tasks(template: Any) -> Any:
    dag = template.get("dag") if isinstance(template, Mapping) else None
    tasks = dag.get("tasks") if isinstance(dag, Mapping) else None
    if not isinstance(dag, Mapping) or not isinstance(tasks, (list, tuple)):
        return template
    passes = _fast_check_of(_TASK_ITEM)
    pruned = [_TASK_STAND_IN if passes(t) else t for t in tasks]
    return {**template, "dag": {**dag, "tasks": pruned}}


def _always(_instance: Any) -> bool:
    return True


def _never(_instance: Any) -> bool:
    return False


def _is_mapping(value: Any) -> bool:
    return type(value) is dict or isinstance(value, Mapping)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _type_test(name: str) -> _Check:
    tests: dict[str, _Check] = {
        "object": _is_mapping,
        "array": lambda v: isinstance(v, (list, tuple)),
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "number": _is_number,
        "integer": lambda v: (
            (isinstance(v, int) and not isinstance(v, bool))
            or (isinstance(v, float) and v.is_integer())
        ),
    }
    return tests[name]


def _json_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return type(a) is type(b) and a == b
    if _is_mapping(a) and _is_mapping(b):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _all_of(checks: list[_Check]) -> _Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    group = tuple(checks)

    def check(instance: Any) -> bool:
        for one in group:  # noqa: SIM110 - a plain loop is faster than all() over a generator
            if not one(instance):
                return False
        return True

    return check


class _FastCompiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, _Check] = {}

    def compile(self, schema: Any) -> _Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        unknown = set(schema) - _ANNOTATIONS - _ASSERTIONS
        if unknown:
            raise ValueError(f"fast checker does not implement {sorted(unknown)}")
        checks: list[_Check] = []
        if "type" in schema:
            kinds = [schema["type"]] if isinstance(schema["type"], str) else schema["type"]
            tests = tuple(_type_test(k) for k in kinds)
            checks.append(tests[0] if len(tests) == 1 else lambda v: any(t(v) for t in tests))
        if "enum" in schema or "const" in schema:
            checks.append(self._enum(schema["enum"] if "enum" in schema else [schema["const"]]))
        if "$ref" in schema:
            checks.append(self._ref(schema["$ref"]))
        checks.extend(self._object(schema))
        checks.extend(self._array(schema))
        checks.extend(self._string(schema))
        checks.extend(self._number(schema))
        checks.extend(self._logic(schema))
        return _all_of(checks)

    def _ref(self, ref: str) -> _Check:
        if ref in self.refs:
            return self.refs[ref]
        if not ref.startswith("#/"):
            raise ValueError(f"fast checker resolves only local references, not {ref!r}")
        target: Any = self.root
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        cell: list[_Check] = []
        self.refs[ref] = lambda v: cell[0](v)  # stands in while a recursive ref compiles
        compiled = self.compile(target)
        cell.append(compiled)
        self.refs[ref] = compiled
        return compiled

    def _enum(self, values: list[Any]) -> _Check:
        if all(isinstance(v, str) for v in values):
            allowed = frozenset(values)
            return lambda v: isinstance(v, str) and v in allowed
        options = tuple(values)
        return lambda v: any(_json_equal(v, o) for o in options)

    def _object(self, schema: dict[str, Any]) -> list[_Check]:
        keys = ("properties", "additionalProperties", "required", "propertyNames")
        if not any(k in schema for k in (*keys, "minProperties", "maxProperties")):
            return []
        props = {k: self.compile(v) for k, v in schema.get("properties", {}).items()}
        extra_schema = schema.get("additionalProperties", True)
        closed = extra_schema is False
        extra = None if extra_schema is True or closed else self.compile(extra_schema)
        names = self.compile(schema["propertyNames"]) if "propertyNames" in schema else None
        required = tuple(schema.get("required", ()))
        least = schema.get("minProperties", 0)
        most = schema.get("maxProperties")

        def check(instance: Any) -> bool:
            if not _is_mapping(instance):
                return True
            for key, value in instance.items():
                prop = props.get(key)
                if prop is not None:
                    if not prop(value):
                        return False
                elif closed or (extra is not None and not extra(value)):
                    return False
                if names is not None and not names(key):
                    return False
            for key in required:
                if key not in instance:
                    return False
            size = len(instance)
            return size >= least and (most is None or size <= most)

        return [check]

    def _array(self, schema: dict[str, Any]) -> list[_Check]:
        if not any(k in schema for k in ("items", "minItems", "maxItems")):
            return []
        item = self.compile(schema["items"]) if "items" in schema else None
        least = schema.get("minItems", 0)
        most = schema.get("maxItems")

        def check(instance: Any) -> bool:
            if not isinstance(instance, (list, tuple)):
                return True
            if len(instance) < least or (most is not None and len(instance) > most):
                return False
            if item is not None:
                for value in instance:
                    if not item(value):
                        return False
            return True

        return [check]

    def _string(self, schema: dict[str, Any]) -> list[_Check]:
        if not any(k in schema for k in ("pattern", "minLength", "maxLength")):
            return []
        search = ecma_pattern(schema["pattern"]).search if "pattern" in schema else None
        least = schema.get("minLength", 0)
        most = schema.get("maxLength")

        def check(instance: Any) -> bool:
            if not isinstance(instance, str):
                return True
            if len(instance) < least or (most is not None and len(instance) > most):
                return False
            return search is None or search(instance) is not None

        return [check]

    def _number(self, schema: dict[str, Any]) -> list[_Check]:
        if "minimum" not in schema and "maximum" not in schema:
            return []
        low = schema.get("minimum")
        high = schema.get("maximum")

        def check(instance: Any) -> bool:
            if not _is_number(instance):
                return True
            return (low is None or instance >= low) and (high is None or instance <= high)

        return [check]

    def _logic(self, schema: dict[str, Any]) -> list[_Check]:
        checks: list[_Check] = []
        if "allOf" in schema:
            checks.append(_all_of([self.compile(s) for s in schema["allOf"]]))
        if "anyOf" in schema:
            any_of = tuple(self.compile(s) for s in schema["anyOf"])
            checks.append(lambda v: any(c(v) for c in any_of))
        if "oneOf" in schema:
            one_of = tuple(self.compile(s) for s in schema["oneOf"])
            checks.append(lambda v: sum(1 for c in one_of if c(v)) == 1)
        if "not" in schema:
            negated = self.compile(schema["not"])
            checks.append(lambda v: not negated(v))
        if "if" in schema:
            condition = self.compile(schema["if"])
            then = self.compile(schema.get("then", True))
            otherwise = self.compile(schema.get("else", True))
            checks.append(lambda v: then(v) if condition(v) else otherwise(v))
        return checks
