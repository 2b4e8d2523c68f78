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

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from tiphys.compiler.bounded_read import DEFAULT_MAX_INPUT_SIZE, read_bounded
from tiphys.compiler.commands.config_schema import SETTINGS_KEYS, dotted, validate_table
from tiphys.compiler.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from tiphys.compiler.lower.workflow import Settings


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
                                f"{dotted(prefix)} must be a table", shown, line, col))
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


