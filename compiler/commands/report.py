"""Render diagnostics in the formats shared by ``compile``, ``lint`` and ``validate``.

concise  ``path:line:col: CODE message``
full     concise, then the source line and a caret under the column
json     a JSON array of objects
github   GitHub Actions workflow commands (``::error file=…,line=…::message``)
sarif    SARIF 2.1.0
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from tiphys.compiler.diagnostics import Diagnostic, Severity

FORMATS = ("concise", "full", "json", "github", "sarif")

_TOOL_URI = "https://github.com/tiphys/tiphys"
#: Where each family of codes is documented (a heading per code; the anchor is lower-case).
_DOCS = {"TPH": "docs/codes.md", "ARG": "docs/validator-codes.md",
         "SCH": "docs/validator-codes.md"}


def help_uri(code: str) -> str:
    """The documentation of *code*: its heading in docs/codes.md (compiler codes) or
    docs/validator-codes.md (Argo rules and schemas)."""
    page = _DOCS.get(code[:3], "docs/codes.md")
    return f"{_TOOL_URI}/blob/main/{page}#{code.lower()}"


def _location(d: Diagnostic) -> str:
    if d.line:
        return f"{d.path}:{d.line}:{d.col}"
    return d.path


def format_concise(diagnostics: Sequence[Diagnostic], read: Callable[[str], str | None]) -> str:
    return "".join(f"{_location(d)}: {d.code} {d.message}\n" for d in diagnostics)


def format_full(diagnostics: Sequence[Diagnostic], read: Callable[[str], str | None]) -> str:
    out: list[str] = []
    for d in diagnostics:
        out.append(f"{_location(d)}: {d.severity.value}: {d.code} {d.message}\n")
        text = read(d.path) if d.line else None
        if text is not None:
            lines = text.splitlines()
            if 0 < d.line <= len(lines):
                # Tabs shown as one space, so that the caret's column (in characters)
                # lines up; wide (East Asian) characters take two cells.
                src = lines[d.line - 1].expandtabs(1)
                gutter = f"{d.line:>5} | "
                out.append(f"{gutter}{src}\n")
                start = max(d.col - 1, 0)
                end = start + 1
                if d.end_line == d.line and d.end_col > d.col:
                    end = d.end_col - 1
                pad = _cells(src[:start])
                width = max(_cells(src[start:end]), 1)
                out.append(" " * (len(gutter) - 2) + "| " + " " * pad + "^" * width + "\n")
    return "".join(out)


def _cells(text: str) -> int:
    """Terminal cells *text* takes: two for wide and full-width characters, else one."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def format_json(diagnostics: Sequence[Diagnostic], read: Callable[[str], str | None]) -> str:
    rows = [
        {
            "path": d.path,
            "line": d.line,
            "column": d.col,
            "end_line": d.end_line or d.line,
            "end_column": d.end_col or d.col,
            "code": d.code,
            "severity": d.severity.value,
            "message": d.message,
        }
        for d in diagnostics
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _gh_escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_prop(s: str) -> str:
    return _gh_escape_data(s).replace(":", "%3A").replace(",", "%2C")


_GH_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def format_github(diagnostics: Sequence[Diagnostic], read: Callable[[str], str | None]) -> str:
    out = []
    for d in diagnostics:
        props = [f"file={_gh_escape_prop(d.path)}"]
        if d.line:
            props += [f"line={d.line}", f"col={d.col}"]
            if d.end_line:
                props += [f"endLine={d.end_line}", f"endColumn={d.end_col}"]
        props.append(f"title={_gh_escape_prop(d.code)}")
        out.append(f"::{_GH_LEVEL[d.severity]} {','.join(props)}::{_gh_escape_data(d.message)}\n")
    return "".join(out)


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def format_sarif(diagnostics: Sequence[Diagnostic], read: Callable[[str], str | None]) -> str:
    from tiphys.compiler.version import VERSION

    rule_ids = sorted({d.code for d in diagnostics})
    results = []
    for d in diagnostics:
        region: dict[str, int] = {}
        if d.line:
            region = {"startLine": d.line, "startColumn": max(d.col, 1)}
            if d.end_line:
                region["endLine"] = d.end_line
                region["endColumn"] = max(d.end_col, 1)
        location: dict[str, object] = {"artifactLocation": {"uri": _uri(d.path)}}
        if region:
            location["region"] = region
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": rule_ids.index(d.code),
                "level": _SARIF_LEVEL[d.severity],
                "message": {"text": d.message},
                "locations": [{"physicalLocation": location}],
            }
        )
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tiphys",
                        "version": VERSION,
                        "informationUri": _TOOL_URI,
                        "rules": [{"id": code, "helpUri": help_uri(code)} for code in rule_ids],
                    }
                },
                # Columns count characters (code points), not SARIF's default UTF-16 units.
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _uri(path: str) -> str:
    """A path as a SARIF artifact URI: forward slashes, percent-encoded (a relative reference
    stays relative, resolved against the folder the run started in)."""
    from urllib.parse import quote

    return quote(path.replace("\\", "/"))


_FORMATTERS: dict[str, Callable[[Sequence[Diagnostic], Callable[[str], str | None]], str]] = {
    "concise": format_concise,
    "full": format_full,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
}


def _read_file(path: str) -> str | None:
    """The source a diagnostic points into (for the ``full`` format's excerpt); never a FIFO
    or a device, never more than the default input limit."""
    from tiphys.compiler.bounded_read import DEFAULT_MAX_INPUT_SIZE, read_bounded

    try:
        return read_bounded(path, DEFAULT_MAX_INPUT_SIZE).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def render(
    diagnostics: Sequence[Diagnostic],
    fmt: str = "concise",
    read: Callable[[str], str | None] = _read_file,
) -> str:
    """Render *diagnostics* (already sorted) in the named format."""
    return _FORMATTERS[fmt](diagnostics, read)
