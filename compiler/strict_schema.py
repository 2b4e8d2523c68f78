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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator
from jsonschema.validators import extend, validator_for

__all__ = ["SCHEMA_FILE", "SchemaViolation", "check_strict", "load_schema", "strict_validator"]

SCHEMA_PACKAGE = "tiphys.schemas"
SCHEMA_FILE = "argo-strict.schema.json"

# Longest rendering of a value inside a message.
_MAX_SHOWN = 60
# An unknown field lists the allowed ones when there are at most this many.
_MAX_LISTED = 12


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


def _is_object(_checker: object, instance: object) -> bool:
    return isinstance(instance, Mapping)


def _is_array(_checker: object, instance: object) -> bool:
    return isinstance(instance, (list, tuple))


@lru_cache(maxsize=1)
def strict_validator() -> Validator:
    """The one compiled validator (no format checking: the schema uses no formats)."""
    schema = load_schema()
    base = validator_for(schema, default=Draft202012Validator)
    checker = base.TYPE_CHECKER.redefine_many({"object": _is_object, "array": _is_array})
    cls = extend(base, type_checker=checker)  # type: ignore[no-untyped-call]  # untyped in stubs
    validator: Validator = cls(schema, format_checker=None)
    return validator


def check_strict(doc: Mapping[str, Any]) -> list[SchemaViolation]:
    """Every strict-schema violation in ``doc``, sorted by path, without duplicates."""
    found: dict[SchemaViolation, None] = {}
    for error in strict_validator().iter_errors(doc):
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
