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
                src = lines[d.line - 1].expandtabs(1)
                gutter = f"{d.line:>5} | "
                out.append(f"{gutter}{src}\n")
                width = 1
                if d.end_line == d.line and d.end_col > d.col:
                    width = d.end_col - d.col
                out.append(" " * (len(gutter) - 2) + "| " + " " * max(d.col - 1, 0) + "^" * width + "\n")
    return "".join(out)


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
        location: dict[str, object] = {"artifactLocation": {"uri": d.path}}
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
                        "rules": [
                            {"id": code, "helpUri": f"{_TOOL_URI}/blob/main/docs/codes.md#{code.lower()}"}
                            for code in rule_ids
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


_FORMATTERS: dict[str, Callable[[Sequence[Diagnostic], Callable[[str], str | None]], str]] = {
    "concise": format_concise,
    "full": format_full,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
}


def _read_file(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None


def render(
    diagnostics: Sequence[Diagnostic],
    fmt: str = "concise",
    read: Callable[[str], str | None] = _read_file,
) -> str:
    """Render *diagnostics* (already sorted) in the named format."""
    return _FORMATTERS[fmt](diagnostics, read)
