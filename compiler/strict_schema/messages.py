"""Strict-schema violations, and jsonschema's errors turned into short, human messages.

A violation's ``path`` points at the offending value; for an unknown field, at the field itself
(with "did you mean" when a known field is close).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError


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



def explain(error: ValidationError) -> Iterator[SchemaViolation]:
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
            yield from explain(leaf)
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

