"""The server's analysis: what ``tiphys lint`` reports for the buffer, at LSP ranges, whether
the document is parsed incrementally or whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from tiphys.compiler.commands.lint import lint_text
from tiphys.compiler.commands.suppress import Selection
from tiphys.compiler.lower.workflow import Settings
from tiphys.compiler.lsp.analysis import DocumentAnalyser, analyse_document
from tiphys.compiler.lsp.positions import Span

from conftest import SAMPLES

BUGGY = '''from tiphys import task, workflow


@task
def fetch(url: str) -> str:
    note = "😀 é"
    return json.dumps({"url": url, "note": note})


wf = workflow("fetch", fetch(url="https://example.com"))
'''


def test_same_as_lint_on_samples_and_through_edits() -> None:
    settings = Settings()
    for path in sorted(SAMPLES.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        analyser = DocumentAnalyser()
        versions = [text, text.replace("def ", "def  ", 1), text + "\nbroken = undefined_name\n",
                    text.replace("return", "return missing_name or", 1), text]
        for version in versions:
            found = [f.diagnostic for f in analyser.analyse(str(path), version, settings)]
            assert found == lint_text(str(path), version, settings), (path, version[:80])


def test_incremental_and_whole_parse_agree_on_positions() -> None:
    analyser = DocumentAnalyser()
    first = analyser.analyse("f.py", BUGGY, Settings())
    edited = BUGGY.replace('"https://example.com"', '"https://example.org"')
    second = analyser.analyse("f.py", edited, Settings())
    assert analyser.parser.parsed == 1  # only the changed statement was parsed again
    assert [f.span for f in second] == [f.span for f in first]
    assert [f.diagnostic for f in second] == lint_text("f.py", edited, Settings())


def test_ranges_are_utf16_after_non_ascii() -> None:
    text = BUGGY.replace("return json.dumps", 'return "😀" + json.dumps')
    finding = next(f for f in analyse_document("f.py", text, Settings())
                   if f.diagnostic.code == "TPH210")
    line = text.splitlines()[6]
    col = line.index("json")  # code points
    assert finding.diagnostic.col == col + 1
    assert finding.span == Span(6, col + 1, 6, col + 5)  # the emoji is two UTF-16 units
    utf8 = analyse_document("f.py", text, Settings(), encoding="utf-8")[0]
    assert utf8.span.start_char == len(line[:col].encode("utf-8"))


def codes(text: str, selection: Selection | None = None) -> list[str]:
    return [f.diagnostic.code for f in analyse_document("f.py", text, Settings(), selection)]


def test_suppressions_and_selection_apply() -> None:
    assert "TPH210" in codes(BUGGY)
    silenced = BUGGY.replace('"note": note})', '"note": note})  # tiphys: ignore[TPH210]')
    assert "TPH210" not in codes(silenced)
    assert "TPH210" not in codes(BUGGY, Selection.parse(ignore="TPH2"))
    assert codes(BUGGY, Selection.parse(select="TPH210")) == ["TPH210"]


@pytest.mark.parametrize(
    ("text", "code", "span"),
    [
        ("from tiphys import task\ndef f(:\n    pass\n", "TPH003", Span(1, 6, 1, 7)),
        ("x = 1\n", None, None),  # not a DSL file: nothing to say
    ],
)
def test_whole_parse_paths(text: str, code: str | None, span: Span | None) -> None:
    found = analyse_document("f.py", text, Settings())
    assert [f.diagnostic.code for f in found] == ([code] if code else [])
    if span is not None:
        assert found[0].span == span


def test_a_path_that_does_not_exist_is_fine(tmp_path: Path) -> None:
    # An unsaved buffer: the text is all there is.
    found = analyse_document(str(tmp_path / "new.py"), BUGGY, Settings())
    assert found[0].diagnostic.code == "TPH210"
