"""Fixes as text edits for the editor: whole-line replacements, at LSP positions.

Separate from :mod:`tiphys.compiler.lsp.fixes` (which builds the fixes with libcst) so that
the server imports libcst only when a code action is asked for.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from tiphys.compiler.lsp.positions import UTF16, units

#: Diagnostics with a quick fix.
FIXABLE = frozenset({"TPH210", "TPH216"})


@dataclass(frozen=True, slots=True)
class LineEdit:
    """Replace whole lines ``start`` to ``end`` (0-based, end exclusive) with ``text``."""

    start: int
    end: int
    text: str


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> list[str]:
    return _LINE.findall(text)


def line_edits(old: str, new: str) -> list[LineEdit]:
    """The smallest whole-line replacements that turn *old* into *new*."""
    a, b = _lines(old), _lines(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [
        LineEdit(i1, i2, "".join(b[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]


def edit_range(old: str, edit: LineEdit, encoding: str = UTF16) -> tuple[int, int, int, int]:
    """(start line, start char, end line, end char) of *edit* in LSP terms. The end is the
    start of the line after the replaced ones, or the end of the text when the last line has
    no line ending (there is no line after it to point at)."""
    lines = _lines(old)
    if edit.end < len(lines) or not lines or lines[-1].endswith(("\n", "\r")):
        return (edit.start, 0, edit.end, 0)
    last = lines[-1]
    return (edit.start, 0, len(lines) - 1, units(last, encoding))
