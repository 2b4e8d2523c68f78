"""Which diagnostics lint reports: code lists, prefix selection, ``# tiphys: ignore`` comments."""

from __future__ import annotations

import pytest

from tiphys.compiler.commands.suppress import (
    CodeListError,
    Selection,
    apply,
    line_rules,
    parse_codes,
    suppressed,
)
from tiphys.compiler.diagnostics import Diagnostic, Severity


def diag(code: str, line: int = 1, path: str = "f.py") -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, "m", path, line, 1)


def test_parse_codes_normalises_and_rejects_junk() -> None:
    assert parse_codes(" tph2, ARG301 ,,") == ("TPH2", "ARG301")
    assert parse_codes(["sch"]) == ("SCH",)
    assert parse_codes("") == ()
    with pytest.raises(CodeListError, match="'TPH-1'"):
        parse_codes("TPH-1")
    with pytest.raises(CodeListError):
        parse_codes("210")


@pytest.mark.parametrize(
    ("select", "ignore", "wanted", "unwanted"),
    [
        ("", "", ["TPH210", "ARG301"], []),
        ("TPH2", "", ["TPH210", "TPH216"], ["TPH310", "ARG301"]),
        ("", "TPH", ["ARG301", "SCH001"], ["TPH210"]),
        # The more specific prefix decides...
        ("TPH210", "TPH2", ["TPH210"], ["TPH216"]),
        ("TPH", "TPH21", ["TPH201", "TPH310"], ["TPH210", "TPH216"]),
        # ...and a tie is ignored.
        ("TPH210", "TPH210", [], ["TPH210"]),
    ],
)
def test_selection_by_prefix_and_specificity(
    select: str, ignore: str, wanted: list[str], unwanted: list[str],
) -> None:
    s = Selection.parse(select, ignore)
    assert [c for c in wanted if s.wants(c)] == wanted
    assert [c for c in unwanted if s.wants(c)] == []


def test_line_rules_bare_and_listed() -> None:
    text = (
        "x = 1  # tiphys: ignore\n"
        "y = 2  # tiphys: ignore[TPH210, tph216]\n"
        "z = 3  # noqa: E501  # tiphys:ignore[ARG]\n"
        "w = 4  # tiphys says nothing here\n"
    )
    rules = line_rules(text)
    assert rules[1] is None
    assert rules[2] == frozenset({"TPH210", "TPH216"})
    assert rules[3] == frozenset({"ARG"})
    assert 4 not in rules


def test_a_comment_inside_a_string_suppresses_nothing() -> None:
    text = 's = "# tiphys: ignore"\nt = """\n# tiphys: ignore\n"""\n'
    assert line_rules(text) == {}


def test_suppressions_before_a_syntax_error_still_count() -> None:
    text = "a = 1  # tiphys: ignore[TPH210]\nb = (\n"
    assert line_rules(text) == {1: frozenset({"TPH210"})}


def test_suppressed_matches_by_line_and_code() -> None:
    rules = line_rules("a  # tiphys: ignore[TPH21]\nb  # tiphys: ignore\n")
    assert suppressed(diag("TPH210", 1), rules)
    assert not suppressed(diag("TPH301", 1), rules)
    assert suppressed(diag("ARG301", 2), rules)
    assert not suppressed(diag("TPH210", 3), rules)
    assert not suppressed(diag("TPH210", 0), rules)  # a whole-file problem has no line


def test_apply_counts_and_reads_each_file_once() -> None:
    reads: list[str] = []
    texts = {"a.py": "x  # tiphys: ignore[TPH210]\ny\n", "b.py": "z\n"}

    def read(path: str) -> str | None:
        reads.append(path)
        return texts.get(path)

    items = [diag("TPH210", 1, "a.py"), diag("TPH216", 1, "a.py"), diag("TPH210", 2, "a.py"),
             diag("ARG301", 1, "b.py"), diag("TPH210", 1, "c.py")]
    out = apply(items, Selection.parse("TPH"), read)
    assert [(d.path, d.code, d.line) for d in out.kept] == [
        ("a.py", "TPH216", 1), ("a.py", "TPH210", 2), ("c.py", "TPH210", 1)]
    assert (out.suppressed, out.deselected) == (1, 1)
    assert reads == ["a.py", "c.py"]
