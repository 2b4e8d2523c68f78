"""Regressions: a file checked out with CRLF (or CR) line ends compiles to the same documents.

The shipped Python function kept its "\\r\\n" line ends, so a Windows checkout produced other
YAML (a double-quoted scalar full of \\r\\n) than a Linux one: `tiphys compile --check` in CI
failed for output regenerated on Windows. With lone "\\r" line ends (which Python reads as
line ends too) the file was not recognised as a DSL file at all, and positions were wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import sample_files
from tiphys.compiler.commands.compile import compile_paths, render_outputs
from tiphys.compiler.lower.workflow import Settings


def _yaml(path: Path) -> str:
    results, diags = compile_paths([str(path)], Settings())
    assert not [d for d in diags if d.is_error], diags
    return "".join(o.text.split("\n", 1)[1] for o in render_outputs(results))  # no header


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
@pytest.mark.parametrize("sample", [p for p in sample_files() if p.stem in ("etl", "module_names")],
                         ids=lambda p: p.stem)
def test_line_ends_do_not_change_the_output(tmp_path: Path, sample: Path, ending: str) -> None:
    text = sample.read_text(encoding="utf-8")
    converted = tmp_path / sample.name
    converted.write_bytes(text.replace("\n", ending).encode("utf-8"))
    expected = _yaml(sample)
    assert "\r" not in _yaml(converted)
    assert _yaml(converted) == expected


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_positions_with_any_line_end(tmp_path: Path, ending: str) -> None:
    text = ending.join([
        "from tiphys import task, workflow", "", "@task", "def f() -> None:",
        "    print(undefined_x)", "", "w = workflow('w', f())", ""])
    path = tmp_path / "flow.py"
    path.write_bytes(text.encode("utf-8"))
    _, diags = compile_paths([str(path)], Settings())
    assert [(d.code, d.line, d.col) for d in diags.sorted() if d.code == "TPH210"] == [
        ("TPH210", 5, 11)]
