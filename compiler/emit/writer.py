"""The emitter's own writer: block-style YAML for the plain data lowering produces.

It gives, byte for byte, what PyYAML's C dumper (libyaml) writes with the settings of
``pyyaml_dumper`` (tests/test_emit_fast.py compares the two): dicts (non-empty at the top),
lists, ints, booleans, None and strings, keys being strings. A string is written plain when
libyaml would (nothing in it reads as YAML syntax and it reads back as a string), else
single-quoted, or double-quoted with libyaml's escapes when it holds characters libyaml does
not write as they are; a multi-line value a literal block can hold is one (``literal_block``).
Anything else raises ``Unusual``: a float, a string with a line break that is neither
(U+2028, U+2029), a lone surrogate, a key of another type, a multi-line key, a key longer
than 128 bytes (libyaml writes it as an explicit ``? `` key).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

__all__ = ["NOT_IN_BLOCK", "Unusual", "literal_block", "write_documents"]

# Characters a literal block scalar cannot carry verbatim: YAML normalises line breaks
# (\r, \x85, \u2028, \u2029) and forbids most C0/C1 controls and the BOM in content.
NOT_IN_BLOCK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


# A first character that makes a plain scalar mean something else (a comment, a flow
# collection, an anchor, an alias, a tag, a block scalar, a quote, a directive, reserved).
_INDICATOR_FIRST = frozenset("#,[]{}&*!|>'\"%@`")

# Plain scalars starting with a letter that a YAML 1.1 reader (and PyYAML's resolver with the
# y/n addition of pyyaml_dumper) types as a boolean or null rather than a string.
_YAML11_WORDS = frozenset({
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE",
    "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL",
})

# First characters of plain scalars that may read as numbers, timestamps, null (``~``), merge
# keys (``<<``) or the value key (``=``): PyYAML's resolver decides those (rare in output).
_RESOLVER_FIRST = frozenset("-+0123456789.<=~")

#: libyaml writes a mapping key longer than this (in UTF-8 bytes) as an explicit ``? `` key.
_SIMPLE_KEY_MAX = 128

#: The placeholder prefix of pyyaml_dumper's block scalars: a string holding it goes there,
#: so that both paths keep giving the same bytes.
_PLACEHOLDER_MARK = "TIPHYS_BLOCK_"


class Unusual(Exception):
    """The document holds something outside the subset written here."""


def literal_block(text: str, indent: int) -> str:
    """A literal block scalar for *text*, its content indented by *indent* spaces."""
    if text.endswith("\n\n") or text == "\n":
        chomp = "+"
    elif text.endswith("\n"):
        chomp = ""
    else:
        chomp = "-"
    body = text[:-1] if text.endswith("\n") else text
    lines = body.split("\n")
    first = next((ln for ln in lines if ln.strip(" ")), "")
    # An explicit indentation indicator when the content itself starts with a space, or
    # when leading lines are blank/space-only (the parser would guess the indent from them).
    needs_indicator = first.startswith(" ") or not lines[0].strip(" ")
    header = "|" + ("2" if needs_indicator else "") + chomp
    pad = " " * indent
    out = [header]
    for ln in lines:
        out.append(pad + ln if ln else "")
    return "\n".join(out)


def _plain_allowed(s: str) -> bool:
    """Whether libyaml may write *s* (non-empty, one line, every character printable) as a
    plain scalar in block context: nothing in it reads as YAML syntax."""
    first = s[0]
    if first in _INDICATOR_FIRST or first == " " or s[-1] == " ":
        return False
    if first in "-?:" and (len(s) == 1 or s[1] == " "):
        return False  # a sequence entry, a complex key, a value indicator
    if s.startswith(("---", "...")):
        return False  # document markers
    # ": " and a final ":" end a key; " #" starts a comment.
    return not (": " in s or " #" in s or s[-1] == ":")


def _plain_is_string(s: str) -> bool:
    """Whether the plain scalar *s* reads back as a string (not a bool, null, number...)."""
    if s[0] in _RESOLVER_FIRST:
        from tiphys.compiler.emit.pyyaml_dumper import plain_is_string

        return plain_is_string(s)
    return s not in _YAML11_WORDS


#: Line breaks as libyaml sees them; a string holding one is not a simple key.
_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")

#: How libyaml escapes a character in a double-quoted scalar, beside \xXX, \uXXXX, \UXXXXXXXX.
_ESCAPE_LETTERS = {"\0": "0", "\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f",
                   "\r": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\u2028": "L",
                   "\u2029": "P"}


@cache
def _character_classes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(characters libyaml does not write as they are, which makes it double-quote the
    string: controls, tab, C1, byte-order mark and non-characters, beyond the Basic
    Multilingual Plane; characters it escapes there; surrogates, which it cannot encode).
    Compiled on first use: most documents are printable ASCII."""
    return (re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff\U00010000-\U0010ffff]"),
            re.compile('["\\\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff'
                       '\U00010000-\U0010ffff]'),
            re.compile("[\ud800-\udfff]"))


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    letter = _ESCAPE_LETTERS.get(ch)
    if letter is not None:
        return "\\" + letter
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def _inline(s: str, key: bool) -> str:
    """*s* as a plain, single- or double-quoted scalar, as libyaml writes it; a multi-line
    value here is one a literal block cannot hold."""
    if not (s.isascii() and s.isprintable()):  # else the common case, below
        special, escaped, surrogate = _character_classes()
        if surrogate.search(s):
            raise Unusual(s)
        if special.search(s):
            if key and any(b in s for b in _BREAKS):
                raise Unusual(s)  # an explicit "? " key
            return '"' + escaped.sub(_escape, s) + '"'
        if any(b in s for b in _BREAKS):
            raise Unusual(s)  # single-quoted over several lines
    if s and _plain_allowed(s) and _plain_is_string(s):
        return s
    return "'" + s.replace("'", "''") + "'"


class _Writer:
    """Block-style YAML for dicts, lists, strings, ints, booleans and None, line by line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        #: String → its scalar, for keys and for values other than literal blocks: both
        #: repeat throughout a document.
        self.keys: dict[str, str] = {}
        self.scalars: dict[str, str] = {}

    def key(self, k: Any) -> str:
        if type(k) is not str:
            raise Unusual(k)
        text = self.keys.get(k)
        if text is None:
            text = self.keys[k] = _inline(k, True)
        if len(k) > _SIMPLE_KEY_MAX // 4 and len(k.encode()) > _SIMPLE_KEY_MAX:
            raise Unusual(k)
        return text

    def scalar(self, v: Any, column: int) -> str:
        """*v* as a scalar starting at *column* (where a block's content is indented)."""
        t = type(v)
        if t is str:
            text = self.scalars.get(v)
            if text is not None:
                return text
            if "\n" in v and not NOT_IN_BLOCK.search(v):
                return literal_block(v, column)
            text = self.scalars[v] = _inline(v, False)
            return text
        if t is bool:
            return "true" if v else "false"
        if t is int:
            return str(v)
        if v is None:
            return "null"
        raise Unusual(v)

    def mapping(self, data: dict[Any, Any], first: str, indent: str) -> None:
        """A non-empty mapping whose first key follows *first* (indentation, ``- `` marks)
        and whose other keys follow *indent*."""
        lines = self.lines
        lead = first
        inner = indent + "  "
        for k, v in data.items():
            key = self.key(k)
            t = type(v)
            if t is dict:
                if v:
                    lines.append(f"{lead}{key}:")
                    self.mapping(v, inner, inner)
                else:
                    lines.append(f"{lead}{key}: {{}}")
            elif t is list:
                if v:
                    lines.append(f"{lead}{key}:")
                    self.sequence(v, indent, indent)  # libyaml does not indent these
                else:
                    lines.append(f"{lead}{key}: []")
            else:
                lines.append(f"{lead}{key}: {self.scalar(v, len(inner))}")
            lead = indent

    def sequence(self, data: list[Any], first: str, indent: str) -> None:
        """A non-empty sequence, its first ``- `` after *first*, the others after *indent*."""
        lines = self.lines
        lead = first
        inner = indent + "  "
        for v in data:
            t = type(v)
            if t is dict:
                if v:
                    self.mapping(v, lead + "- ", inner)
                else:
                    lines.append(f"{lead}- {{}}")
            elif t is list:
                if v:
                    self.sequence(v, lead + "- ", inner)
                else:
                    lines.append(f"{lead}- []")
            else:
                lines.append(f"{lead}- {self.scalar(v, len(inner))}")
            lead = indent


def write_documents(documents: Sequence[Any]) -> str:
    """The YAML stream of *documents*, each starting with ``---``; ``Unusual`` when
    something in them is outside the subset written here."""
    writer = _Writer()
    for document in documents:
        if type(document) is not dict or not document:
            raise Unusual(document)
        writer.lines.append("---")
        writer.mapping(document, "", "")
    if not writer.lines:
        raise Unusual(documents)
    writer.lines.append("")
    text = "\n".join(writer.lines)
    if _PLACEHOLDER_MARK in text:
        raise Unusual(_PLACEHOLDER_MARK)
    return text
