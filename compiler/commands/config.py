"""Configuration: the ``[tool.tiphys]`` table of ``pyproject.toml``.

Found the way black and ruff find theirs: from the common parent folder of the given paths
(or the working directory) upward, the first ``pyproject.toml`` that has a ``[tool.tiphys]``
table; the search stops at a repository root (a folder holding ``.git`` or ``.hg``) or the
filesystem root. ``--config FILE`` skips the search. Keys are kebab-case, like ruff's.
Relative paths in the table are resolved against the folder of the file that names them.

The table is checked against ``schemas/tiphys-config.schema.json``. A small interpreter of
the schema's keywords decides whether the table is valid, so the common case (a valid config
on a warm cache) never imports jsonschema; only an invalid table is handed to jsonschema,
whose errors become diagnostics at the key's line and column in the TOML file.

Codes: TPH040 unreadable file or invalid TOML, TPH041 unknown key, TPH042 invalid value,
TPH043 a configured source path does not exist, TPH044 ``--config`` file without a
``[tool.tiphys]`` table.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from tiphys.compiler.bounded_read import DEFAULT_MAX_INPUT_SIZE, read_bounded
from tiphys.compiler.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from tiphys.compiler.lower.workflow import Settings

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


@dataclass(frozen=True, slots=True)
class Config:
    """The configuration of one run, before flags are applied."""

    #: The file the table was read from (as shown in diagnostics); None: no config file.
    source: str | None = None
    #: Absolute folder of the project: the config file's folder, else the nearest folder up
    #: with .git, .hg or pyproject.toml (black's project root); None when there is none.
    root: str | None = None
    #: Source paths to compile when none are given on the command line (display form).
    paths: tuple[str, ...] = ()
    #: Output folder (display form).
    output: str | None = None
    #: None: default cache folder; False: no cache; True: default; str: this folder.
    cache: bool | str | None = None
    #: Settings field name → value, only for the keys the table sets.
    settings: dict[str, Any] = field(default_factory=dict, hash=False)
    lint_select: tuple[str, ...] = ()
    lint_ignore: tuple[str, ...] = ()


def settings_values(config: Config, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Settings field → value: the config's, then the flags that were given (not None)."""
    values = dict(config.settings)
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return values


def make_settings(config: Config, overrides: Mapping[str, Any] | None = None) -> Settings:
    """The :class:`Settings` of a run: flags over the config over the built-in defaults."""
    from tiphys.compiler.lower.workflow import Settings

    return Settings(**settings_values(config, overrides))


# ---------------------------------------------------------------------------- discovery


def _common_folder(paths: Sequence[str], cwd: str) -> str:
    folders = []
    for p in paths:
        full = os.path.realpath(os.path.join(cwd, p))
        folders.append(full if os.path.isdir(full) else os.path.dirname(full))
    if not folders:
        return os.path.realpath(cwd)
    try:
        return os.path.commonpath(folders)
    except ValueError:  # different drives on Windows
        return os.path.realpath(cwd)


def _mentions_table(text: str) -> bool:
    # Cheap pre-filter before parsing a pyproject.toml met on the way up.
    return "tiphys" in text


def discover(paths: Sequence[str], cwd: str) -> tuple[str | None, str | None]:
    """(pyproject.toml with a [tool.tiphys] table or None, project root or None)."""
    probe = _common_folder(paths, cwd)
    root: str | None = None
    while True:
        candidate = os.path.join(probe, "pyproject.toml")
        if os.path.isfile(candidate):
            if root is None:
                root = probe
            try:
                with open(candidate, encoding="utf-8") as f:
                    text = f.read()
            except (OSError, UnicodeDecodeError):
                text = ""
            if _mentions_table(text) and _has_table(text):
                return candidate, probe
        if os.path.exists(os.path.join(probe, ".git")) or os.path.isdir(
            os.path.join(probe, ".hg")
        ):
            return None, root or probe
        parent = os.path.dirname(probe)
        if parent == probe:
            return None, root
        probe = parent


@lru_cache(maxsize=8)
def _parse(text: str) -> tuple[dict[str, Any] | None, str]:
    """(the parsed document, "") or (None, the error message); discovery and loading both
    need it, and parsing twice would cost a warm run its milliseconds. Callers must not
    mutate the document."""
    import tomllib

    try:
        return tomllib.loads(text), ""
    except tomllib.TOMLDecodeError as exc:
        return None, str(exc)


def _has_table(text: str) -> bool:
    """True when the TOML text has a [tool.tiphys] table; a file that does not parse counts
    (so that its syntax error is reported rather than the file silently skipped)."""
    data, _ = _parse(text)
    if data is None:
        return True
    tool = data.get("tool")
    return isinstance(tool, dict) and "tiphys" in tool


# ------------------------------------------------------------------------------ loading


def load_config(
    paths: Sequence[str] = (), config_path: str | None = None, cwd: str | None = None
) -> tuple[Config, list[Diagnostic]]:
    """The configuration for a run over *paths*; errors are diagnostics (TPH04x)."""
    cwd = cwd or os.getcwd()
    if config_path is not None:
        found: str | None = os.path.join(cwd, config_path)
        root: str | None = os.path.dirname(os.path.realpath(found or "."))
    else:
        found, root = discover(paths, cwd)
    if found is None:
        return Config(root=root), []
    shown = _display(found, cwd)
    diags: list[Diagnostic] = []
    table, text, prefix = _read_table(found, shown, config_path is not None, diags)
    if table is None:
        return Config(root=root), diags
    folder = os.path.dirname(os.path.realpath(found))
    positions: dict[tuple[str, ...], tuple[int, int]] = {}

    def report(code: str, message: str, key_path: tuple[str | int, ...]) -> None:
        from tiphys.compiler.commands.toml_positions import key_positions, locate

        if not positions:  # scanned only when there is something to report
            positions.update(key_positions(text))
        line, col = locate(positions, prefix + tuple(k for k in key_path if isinstance(k, str)))
        diags.append(Diagnostic(code, Severity.ERROR, message, shown, line, col))

    for key_path, code, message in validate_table(table, prefix):
        report(code, message, key_path)
    if diags:
        return Config(source=shown, root=folder), diags

    def resolve(p: str) -> str:
        return _display(os.path.join(folder, os.path.expanduser(p)), cwd)

    src = tuple(resolve(p) for p in table.get("paths", ()))
    for i, (raw, p) in enumerate(zip(table.get("paths", ()), src, strict=True)):
        if not os.path.exists(os.path.join(cwd, p)):
            report("TPH043", f"path '{raw}' in paths does not exist (resolved against "
                   f"{_display(folder, cwd)})", ("paths", i))
    cache = table.get("cache")
    lint = table.get("lint", {})
    config = Config(
        source=shown,
        root=folder,
        paths=src,
        output=resolve(table["output"]) if "output" in table else None,
        cache=resolve(cache) if isinstance(cache, str) else cache,
        settings={SETTINGS_KEYS[k]: v for k, v in table.items() if k in SETTINGS_KEYS},
        lint_select=tuple(lint.get("select", ())),
        lint_ignore=tuple(lint.get("ignore", ())),
    )
    return config, diags


def _display(path: str, cwd: str) -> str:
    """A path as shown to the user: relative to the working directory when possible."""
    full = os.path.normpath(os.path.join(cwd, path))
    try:
        return os.path.relpath(full, cwd)
    except ValueError:
        return full


def _read_table(
    path: str, shown: str, explicit: bool, diags: list[Diagnostic]
) -> tuple[dict[str, Any] | None, str, tuple[str, ...]]:
    """(the tiphys table, the file's text, the table's key path) or (None, ...) on error."""
    try:
        # A FIFO or a device given with --config must not hang the run.
        raw = read_bounded(path, DEFAULT_MAX_INPUT_SIZE, "the size limit of a config file")
        text = raw.decode("utf-8")
    except OSError as exc:
        diags.append(Diagnostic("TPH040", Severity.ERROR,
                                f"cannot read config file: {exc.strerror}", shown))
        return None, "", ()
    except UnicodeDecodeError as exc:
        diags.append(Diagnostic("TPH040", Severity.ERROR,
                                f"config file is not valid UTF-8 (byte {exc.start})", shown))
        return None, "", ()
    data, error = _parse(text)
    if data is None:
        message, line, col = _toml_error(error, text)
        diags.append(Diagnostic("TPH040", Severity.ERROR, f"invalid TOML: {message}", shown,
                                line, col))
        return None, text, ()
    tool = data.get("tool")
    if isinstance(tool, dict) and "tiphys" in tool:
        prefix: tuple[str, ...] = ("tool", "tiphys")
        table = tool["tiphys"]
    elif explicit and os.path.basename(path) != "pyproject.toml":
        prefix, table = (), data  # a standalone tiphys.toml: the keys at the top level
    else:
        diags.append(Diagnostic("TPH044", Severity.ERROR,
                                "config file has no [tool.tiphys] table", shown))
        return None, text, ()
    if not isinstance(table, dict):
        from tiphys.compiler.commands.toml_positions import key_positions, locate

        line, col = locate(key_positions(text), prefix)
        diags.append(Diagnostic("TPH042", Severity.ERROR,
                                f"{_dotted(prefix)} must be a table", shown, line, col))
        return None, text, ()
    return table, text, prefix


def _toml_error(message: str, text: str) -> tuple[str, int, int]:
    m = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if m:
        return message[: m.start()], int(m.group(1)), int(m.group(2))
    m = re.search(r"\s*\(at end of document\)$", message)
    if m:
        lines = text.splitlines() or [""]
        return message[: m.start()], len(lines), len(lines[-1]) + 1
    return message, 0, 0


# ---------------------------------------------------------------------------- validation


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


def _dotted(parts: Sequence[str | int]) -> str:
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
    where = _dotted(prefix + path)
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
