"""docs/codes.md documents every TPH code the compiler can emit, and its examples are right."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from compile_helpers import compile_text
from conftest import REPO

DOC = REPO / "docs" / "codes.md"
SECTION = re.compile(r"^## (TPH\d{3})\n\n(.*?)(?=^## |\Z)", re.S | re.M)
TABLE_ROW = re.compile(r"^\| \[(TPH\d{3})\]\(#(tph\d{3})\) \| ([a-z/]+) \| (.+) \|$", re.M)


def emitted_codes(root: Path) -> dict[str, str]:
    """Every ``"TPHnnn"`` string literal in the compiler's source → one place it occurs.
    String literals only (found with ``ast``), so comments and docstrings do not count."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    re.fullmatch(r"TPH\d{3}", node.value):
                found.setdefault(node.value, f"{path.relative_to(root.parent)}:{node.lineno}")
    return found


def sections(text: str) -> dict[str, str]:
    return dict(SECTION.findall(text))


def undocumented(emitted: dict[str, str], doc: str) -> list[str]:
    documented = sections(doc)
    return [f"{code} ({where})" for code, where in sorted(emitted.items())
            if code not in documented]


def test_every_emitted_code_is_documented() -> None:
    emitted = emitted_codes(REPO / "compiler")
    assert len(emitted) > 50  # the scan works
    missing = undocumented(emitted, DOC.read_text(encoding="utf-8"))
    assert not missing, "codes without a section in docs/codes.md: " + ", ".join(missing)


def test_the_check_fails_on_a_missing_section(tmp_path: Path) -> None:
    source = tmp_path / "compiler"
    source.mkdir()
    (source / "mod.py").write_text(
        '# "TPH998" in a comment does not count\n'
        'def f(d):\n    d.error("TPH999", "new problem")\n', encoding="utf-8")
    emitted = emitted_codes(source)
    assert emitted == {"TPH999": "compiler/mod.py:3"}
    assert undocumented(emitted, DOC.read_text(encoding="utf-8")) == [
        "TPH999 (compiler/mod.py:3)"]
    assert undocumented(emitted, "## TPH999\n\n*error*: new.\n") == []


def test_no_section_for_a_code_the_compiler_does_not_emit() -> None:
    stale = sorted(set(sections(DOC.read_text(encoding="utf-8")))
                   - set(emitted_codes(REPO / "compiler")))
    assert not stale, f"docs/codes.md documents codes nothing emits: {stale}"


def test_table_matches_the_sections() -> None:
    text = DOC.read_text(encoding="utf-8")
    found = sections(text)
    rows = TABLE_ROW.findall(text)
    assert [r[0] for r in rows] == list(found)  # same codes, same (sorted) order
    assert [r[0] for r in rows] == sorted(found)
    for code, anchor, severity, _title in rows:
        assert anchor == code.lower()
        first = found[code].splitlines()[0]
        assert first.startswith(f"*{severity.split('/')[0]}*"), (code, first)
    for code, body in found.items():
        for part in ("**Meaning.**", "**Why.**", "**Fix.**", "```"):
            assert part in body, f"{code} lacks {part}"


def examples() -> list[tuple[str, str]]:
    text = DOC.read_text(encoding="utf-8")
    return [(code, block) for code, body in SECTION.findall(text)
            for block in re.findall(r"```python\n(.*?)```", body, re.S)]


def test_there_are_examples_to_check() -> None:
    assert len(examples()) > 100


@pytest.mark.parametrize(("code", "example"), examples(), ids=[c for c, _ in examples()])
def test_example_reports_its_code(tmp_path: Path, code: str, example: str) -> None:
    _, diags = compile_text(tmp_path, example)
    assert code in [d.code for d in diags], [(d.code, d.message) for d in diags]
