"""Checking a ``[tool.tiphys]`` table against ``schemas/tiphys-config.schema.json``.

A small interpreter of the schema's keywords (:func:`conforms`) decides whether a table is
valid, so the common case never imports jsonschema; only an invalid table goes to jsonschema,
whose errors become (key path, code, message) triples. Flags given on the command line are
checked against the same schema (:func:`check_flag`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

SCHEMA_PACKAGE = "tiphys.schemas"
SCHEMA_FILE = "tiphys-config.schema.json"

#: Config key → field of :class:`tiphys.compiler.lower.workflow.Settings`.
SETTINGS_KEYS = {
    "image": "python_image",
    "bash-image": "bash_image",
    "registry": "registry",
    "tag": "tag",
    "namespace": "namespace",
    "service-account": "service_account",
    "kind": "kind",
    "argo-version": "argo_version",
    "cloudharness": "cloudharness",
    "max-input-size": "max_input_size",
}

#: What a value failing a key's ``pattern`` should look like, for the message.
_PATTERN_HINTS = {
    "image": "an image reference without spaces, e.g. python:3.12-slim",
    "bash-image": "an image reference without spaces, e.g. bash:5.2",
    "registry": "a registry host, optionally with a path, without spaces",
    "tag": "an image tag: letters, digits, '_', '.' and '-', at most 128 characters",
    "namespace": "a DNS-1123 label: lower-case letters, digits and '-', at most 63 characters",
    "service-account": "a DNS-1123 name: lower-case letters, digits, '-' and '.'",
    "argo-version": 'MAJOR.MINOR, e.g. "3.6"',
    "select": "a code or code prefix, e.g. TPH or TPH010",
    "ignore": "a code or code prefix, e.g. TPH or TPH010",
}


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The config schema, parsed once. Callers must not mutate it."""
    import importlib

    try:
        package = importlib.import_module(SCHEMA_PACKAGE)
        folders = list(getattr(package, "__path__", []))
    except ModuleNotFoundError:  # a source tree without tiphys installed
        folders = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas")]
    for folder in folders:  # a plain file read: importlib.resources costs milliseconds
        try:
            with open(os.path.join(folder, SCHEMA_FILE), encoding="utf-8") as f:
                return dict(json.loads(f.read()))
        except OSError:
            continue
    from importlib import resources  # packaged some other way (a zip)

    text = resources.files(SCHEMA_PACKAGE).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return dict(json.loads(text))


#: Keywords :func:`conforms` interprets; annotations it may ignore. A schema using anything
#: else must not be trusted to the fast path (tests check the shipped schema).
FAST_KEYWORDS = frozenset({
    "type", "enum", "pattern", "minLength", "minimum", "items", "properties",
    "additionalProperties",
})
ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "examples", "default"})

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "boolean": (bool,), "array": (list,), "object": (dict,),
    "integer": (int,), "number": (int, float),
}


def conforms(schema: dict[str, Any], value: Any) -> bool:
    """Whether *value* is valid against *schema* (the FAST_KEYWORDS subset of JSON Schema)."""
    kind = schema.get("type")
    if kind is not None:
        kinds = [kind] if isinstance(kind, str) else kind
        ok = any(isinstance(value, _TYPES[k]) and not (k in ("integer", "number") and
                 isinstance(value, bool)) for k in kinds)
        if not ok:
            return False
    if "enum" in schema and not any(
        type(value) is type(v) and value == v for v in schema["enum"]
    ):
        return False
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            return False
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return False
    if isinstance(value, int | float) and not isinstance(value, bool) and \
            value < schema.get("minimum", value):
        return False
    if isinstance(value, list) and "items" in schema:
        return all(conforms(schema["items"], v) for v in value)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        if schema.get("additionalProperties", True) is False and any(
            k not in props for k in value
        ):
            return False
        return all(conforms(props[k], v) for k, v in value.items() if k in props)
    return True


def validate_table(
    table: dict[str, Any], prefix: tuple[str, ...] = ("tool", "tiphys")
) -> list[tuple[tuple[str | int, ...], str, str]]:
    """(key path, code, message) for every problem of *table*; empty when valid."""
    schema = load_schema()
    if conforms(schema, table):
        return []
    import jsonschema

    out: list[tuple[tuple[str | int, ...], str, str]] = []
    validator = jsonschema.Draft202012Validator(schema)
    for err in sorted(validator.iter_errors(table), key=lambda e: [str(p) for p in e.path]):
        path = tuple(err.absolute_path)
        if err.validator == "additionalProperties":
            known = sorted(err.schema.get("properties", {}))
            for key in err.instance:
                if key not in known:
                    out.append(((*path, key), "TPH041",
                                _unknown_key(key, known, prefix + _str_keys(path))))
        else:
            out.append((path, "TPH042", _invalid_value(err, prefix)))
    return out


def check_flag(setting: str, value: Any) -> str | None:
    """Why a flag's *value* for Settings field *setting* is invalid (by the key's schema),
    or None when it is fine or the field has no key."""
    key = next((k for k, f in SETTINGS_KEYS.items() if f == setting), None)
    if key is None:
        return None
    schema = load_schema()["properties"][key]
    if conforms(schema, value):
        return None
    if "enum" in schema:
        return f"{value!r} is not one of {', '.join(map(str, schema['enum']))}"
    hint = _PATTERN_HINTS.get(key)
    return f"{value!r} is not valid" + (f": expected {hint}" if hint else "")


def _str_keys(path: tuple[str | int, ...]) -> tuple[str, ...]:
    return tuple(p for p in path if isinstance(p, str))


def dotted(parts: Sequence[str | int]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "the top level"


def _unknown_key(key: str, known: list[str], table: tuple[str, ...]) -> str:
    import difflib

    where = f"[{'.'.join(table)}]" if table else "the config file"
    message = f"unknown key '{key}' in {where}"
    kebab = key.replace("_", "-").lower()
    if kebab in known:
        return f"{message}; did you mean '{kebab}'? (keys are kebab-case)"
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"{message}; did you mean '{close[0]}'?"
    return f"{message}; valid keys: {', '.join(known)}"


_TOML_TYPE = {
    str: "a string", bool: "a boolean (true or false)", list: "an array", dict: "a table",
    int: "an integer", float: "a float",
}
_SCHEMA_TYPE = {
    "string": "a string", "boolean": "a boolean (true or false)", "array": "an array",
    "object": "a table", "integer": "an integer", "number": "a number",
}


def _invalid_value(err: Any, prefix: tuple[str, ...]) -> str:
    path = tuple(err.absolute_path)
    where = dotted(prefix + path)
    name = next((p for p in reversed(path) if isinstance(p, str)), where)
    value = err.instance
    if err.validator == "type":
        expected = err.validator_value
        expected = [expected] if isinstance(expected, str) else expected
        wanted = " or ".join(_SCHEMA_TYPE.get(t, t) for t in expected)
        got = _TOML_TYPE.get(type(value), type(value).__name__)
        message = f"{where} must be {wanted}, not {got}"
        if "string" in expected and isinstance(value, int | float) and not isinstance(
            value, bool
        ):
            message += f'; quote it: {name} = "{value}"'
        return message
    if err.validator == "enum":
        import difflib

        options = [str(v) for v in err.validator_value]
        message = f"{value!r} is not a valid {name}: expected one of {', '.join(options)}"
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        return message + (f"; did you mean '{close[0]}'?" if close else "")
    if err.validator == "pattern":
        hint = _PATTERN_HINTS.get(name, f"a string matching {err.validator_value}")
        return f"{value!r} is not a valid {name}: expected {hint}"
    if err.validator == "minLength":
        return f"{where} must not be empty"
    if err.validator == "minimum":
        return f"{where} must be at least {err.validator_value}, not {value}"
    return f"{where}: {err.message}"
