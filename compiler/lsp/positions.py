"""Positions between tiphys (1-based line, 1-based column in code points) and the Language
Server Protocol (0-based line, 0-based character in the negotiated encoding's code units:
UTF-16 unless client and server agreed on UTF-8 or UTF-32).

A character outside the Basic Multilingual Plane (an emoji, say) is one code point, two
UTF-16 code units and four UTF-8 bytes; an accented letter is one code point, one UTF-16
unit and two UTF-8 bytes. Getting this wrong shifts every squiggle after such a character.
"""

from __future__ import annotations

from dataclasses import dataclass

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"


def units(text: str, encoding: str = UTF16) -> int:
    """Length of *text* in the encoding's code units."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def to_client(line: str, col: int, encoding: str = UTF16) -> int:
    """Code-point offset *col* (0-based) in *line* → code units."""
    return units(line[:col], encoding)


def from_client(line: str, character: int, encoding: str = UTF16) -> int:
    """Code-unit offset *character* in *line* → code-point offset (0-based), clamped to the
    line; an offset inside a character counts as that character's start."""
    if encoding == UTF32 or line.isascii():
        return min(character, len(line))
    count = 0
    for index, ch in enumerate(line):
        size = units(ch, encoding)
        if count + size > character:
            return index
        count += size
    return len(line)


def split_lines(text: str) -> list[str]:
    """The document's lines without their line endings, as LSP numbers them (``\\n``,
    ``\\r\\n`` and ``\\r`` all end a line)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@dataclass(frozen=True, slots=True)
class Span:
    """A range in LSP terms: 0-based lines, characters in the client's code units."""

    start_line: int
    start_char: int
    end_line: int
    end_char: int


def _identifier_end(line: str, col: int) -> int:
    end = col
    while end < len(line) and (line[end].isalnum() or line[end] == "_"):
        end += 1
    return end


def span_for(
    lines: list[str], line: int, col: int, end_line: int = 0, end_col: int = 0,
    encoding: str = UTF16,
) -> Span:
    """The LSP range of a diagnostic at 1-based (*line*, *col*) to (*end_line*, *end_col*).

    Without a usable end, the range covers the identifier at the start (or one character),
    so the editor has something to underline; a diagnostic without a position (a whole-file
    problem) covers the first line."""
    if not lines:
        return Span(0, 0, 0, 0)
    if line <= 0:
        return Span(0, 0, 0, units(lines[0], encoding))
    sl = min(line, len(lines)) - 1
    sc = min(max(col - 1, 0), len(lines[sl]))
    if end_line > 0 and (end_line, end_col) > (line, col):
        el = min(end_line, len(lines)) - 1
        ec = min(max(end_col - 1, 0), len(lines[el]))
    else:
        el = sl
        ec = _identifier_end(lines[sl], sc)
        if ec == sc:
            ec = min(sc + 1, len(lines[sl]))
    return Span(sl, to_client(lines[sl], sc, encoding), el, to_client(lines[el], ec, encoding))


def to_tiphys(lines: list[str], line: int, character: int, encoding: str = UTF16) -> tuple[int, int]:
    """LSP (0-based line, character in code units) → tiphys (1-based line, 1-based column)."""
    if not lines:
        return (1, 1)
    ln = min(max(line, 0), len(lines) - 1)
    return (ln + 1, from_client(lines[ln], character, encoding) + 1)
