"""The negative corpus: each file is wrong in exactly one way and says so in its header.

Header lines: ``# expect: CODE line N`` and optionally ``# schema: shared``,
``# crd: shared:<file>`` / ``# crd: <fixture>``, ``# strict: <fixture>``, ``# max-bytes: N``
(the size limit) and ``# no-strict: yes`` (as ``--no-strict``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from validator_paths import ARGO, DOCS, NEGATIVE, need_shared

from tiphys.compiler.commands.validate import validate_files
from tiphys.compiler.validator.codes import CODES

FILES = sorted(NEGATIVE.glob("*.yaml"))
_EXPECT = re.compile(r"^# expect: ([A-Z]{3}\d{3}) line (\d+)$")


def header(path: Path) -> tuple[str, int, dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    m = _EXPECT.match(lines[0])
    assert m, f"{path.name}: first line must be '# expect: CODE line N'"
    opts: dict[str, Any] = {"schema_path": None, "crd_paths": [], "strict_schema_path": None}
    keys = ("schema", "crd", "strict", "max-bytes", "no-strict")
    for line in lines[1:]:
        key, sep, value = line.removeprefix("# ").partition(": ")
        if not line.startswith("# ") or not sep or key not in keys:
            break
        if key == "max-bytes":
            opts["max_bytes"] = int(value)
        elif key == "no-strict":
            opts["strict"] = False
        elif key == "schema":
            opts["schema_path"] = str(need_shared() / "schema.json")
        elif key == "crd" and value.startswith("shared:"):
            opts["crd_paths"].append(str(need_shared() / "crds" / value.removeprefix("shared:")))
        elif key == "crd":
            opts["crd_paths"].append(str(NEGATIVE / value))
        else:
            opts["strict_schema_path"] = str(NEGATIVE / value)
    return m[1], int(m[2]), opts


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_negative_file(path: Path) -> None:
    code, line, opts = header(path)
    diags = validate_files([str(path)], **opts).sorted()
    shown = "\n".join(f"  {d.code} {d.severity.value} {d.line}:{d.col} {d.message}" for d in diags)
    hits = [d for d in diags if d.code == code and d.line == line]
    assert len(hits) == 1, f"expected exactly one {code} at line {line}, got:\n{shown}"
    others = [d for d in diags if d.is_error and d is not hits[0]]
    assert not others, f"unexpected other errors:\n{shown}"
    assert hits[0].severity is CODES[code].severity


def test_every_code_has_a_negative_file() -> None:
    covered = {header_code(p) for p in FILES}
    missing = sorted(set(CODES) - covered)
    assert not missing, f"codes without a negative corpus file: {missing}"


def header_code(path: Path) -> str:
    m = _EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert m, path.name
    return m[1]


def test_every_code_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [c for c in CODES if not re.search(rf"^## {c}\b", text, re.M)]
    assert not missing, f"codes missing from {DOCS.name}: {missing}"
    documented = set(re.findall(r"^## ([A-Z]{3}\d{3})\b", text, re.M))
    assert documented <= set(CODES), f"documented but unknown: {documented - set(CODES)}"


def test_negative_corpus_does_not_copy_argo_examples() -> None:
    if not (ARGO / "examples").is_dir():
        pytest.skip("Argo examples not available")
    ours = {p.read_text(encoding="utf-8") for p in FILES}
    theirs = {p.read_text(encoding="utf-8") for p in (ARGO / "examples").rglob("*.yaml")}
    assert not ours & theirs
