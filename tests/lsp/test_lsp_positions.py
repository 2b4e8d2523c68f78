"""Positions: tiphys (1-based, code points) ↔ LSP (0-based, UTF-16/UTF-8/UTF-32 units)."""

from __future__ import annotations

from tiphys.compiler.lsp.positions import (
    UTF8,
    UTF16,
    UTF32,
    Span,
    from_client,
    span_for,
    split_lines,
    to_client,
    to_tiphys,
    units,
)

LINE = 'x = "😀é"; y = missing'  # an astral emoji (2 UTF-16 units), a BMP accent (1)
MISSING = LINE.index("missing")  # 14 code points in


def test_units_per_encoding() -> None:
    assert units("😀é", UTF16) == 3
    assert units("😀é", UTF8) == 6
    assert units("😀é", UTF32) == 2
    assert units("abc") == 3


def test_round_trip_after_non_ascii() -> None:
    assert to_client(LINE, MISSING, UTF16) == MISSING + 1
    assert to_client(LINE, MISSING, UTF8) == MISSING + 4
    assert to_client(LINE, MISSING, UTF32) == MISSING
    for enc in (UTF8, UTF16, UTF32):
        assert from_client(LINE, to_client(LINE, MISSING, enc), enc) == MISSING


def test_from_client_clamps_and_snaps_inside_a_character() -> None:
    assert from_client(LINE, 10_000) == len(LINE)
    emoji = LINE.index("😀")
    # The second UTF-16 unit of the emoji is inside it: it maps to the emoji's start.
    assert from_client(LINE, emoji + 1) == emoji


def test_span_of_a_diagnostic_after_an_emoji() -> None:
    lines = split_lines(f"import os\n{LINE}\n")
    span = span_for(lines, 2, MISSING + 1, 2, MISSING + 8)
    assert span == Span(1, MISSING + 1, 1, MISSING + 8)


def test_span_without_an_end_covers_the_identifier() -> None:
    lines = ["    return missing_name + 1"]
    assert span_for(lines, 1, 12) == Span(0, 11, 0, 23)
    # On punctuation: one character.
    assert span_for(lines, 1, 25) == Span(0, 24, 0, 25)


def test_span_of_a_whole_file_problem_and_out_of_range_positions() -> None:
    lines = split_lines("first line\nsecond\n")
    assert span_for(lines, 0, 0) == Span(0, 0, 0, 10)
    assert span_for(lines, 99, 99) == Span(2, 0, 2, 0)
    assert span_for([], 3, 3) == Span(0, 0, 0, 0)


def test_split_lines_like_lsp() -> None:
    assert split_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]


def test_to_tiphys() -> None:
    lines = split_lines(f"{LINE}\n")
    assert to_tiphys(lines, 0, MISSING + 1) == (1, MISSING + 1)
    assert to_tiphys(lines, 5, 0) == (2, 1)
