"""Where a key is in a TOML file: line and column for diagnostics about configuration.

tomllib returns values without positions; this scanner finds table headers and key
assignments in the text (quoted and dotted keys, inline tables, multi-line arrays and
strings skipped over), which is enough to point a diagnostic at the key a problem is about.
"""

from __future__ import annotations

import json
import re

_BARE = r"[A-Za-z0-9_-]+"
_BASIC = r'"(?:[^"\\\n]|\\.)*"'
_LITERAL = r"'[^'\n]*'"
_PART = rf"(?:{_BARE}|{_BASIC}|{_LITERAL})"
_DOTTED = rf"{_PART}(?:[ \t]*\.[ \t]*{_PART})*"
_PART_RE = re.compile(_PART)
_TABLE_RE = re.compile(rf"[ \t]*(\[\[?)[ \t]*({_DOTTED})[ \t]*\]")
_ASSIGN_RE = re.compile(rf"[ \t]*({_DOTTED})[ \t]*=")
_INLINE_KEY_RE = re.compile(rf"[{{,][ \t]*({_DOTTED})[ \t]*=")


def _parts(dotted: str) -> tuple[str, ...]:
    out = []
    for m in _PART_RE.finditer(dotted):
        token = m.group(0)
        if token.startswith('"'):
            try:
                token = json.loads(token)
            except ValueError:
                token = token[1:-1]
        elif token.startswith("'"):
            token = token[1:-1]
        out.append(token)
    return tuple(out)


def _scan_value(rest: str, depth: int, quote: str | None) -> tuple[int, str | None]:
    """Bracket depth and open multi-line string after scanning *rest* (strings and
    comments skipped), starting inside *quote* if set."""
    i, n = 0, len(rest)
    while i < n:
        if quote is not None:
            end = rest.find(quote, i)
            if end < 0:
                return depth, quote
            i, quote = end + len(quote), None
            continue
        c = rest[i]
        if c == "#":
            break
        if rest.startswith(('"""', "'''"), i):
            quote = rest[i:i + 3]
            i += 3
            continue
        if c in "\"'":
            end = rest.find(c, i + 1)
            while c == '"' and end > 0 and rest[end - 1] == "\\":
                end = rest.find(c, end + 1)
            i = n if end < 0 else end + 1
            continue
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
        i += 1
    return depth, quote


def key_positions(text: str) -> dict[tuple[str, ...], tuple[int, int]]:
    """Full key path → (line, column), 1-based, of where each table header or key first
    appears. An approximate scanner (TOML's grammar is not re-implemented): good for the
    usual layouts, and a path it misses falls back to its nearest located parent."""
    out: dict[tuple[str, ...], tuple[int, int]] = {}
    table: tuple[str, ...] = ()
    depth, quote = 0, None
    for lineno, line in enumerate(text.splitlines(), 1):
        if quote is not None or depth > 0:
            depth, quote = _scan_value(line, depth, quote)
            continue
        m = _TABLE_RE.match(line)
        if m:
            parts = _parts(m.group(2))
            if m.group(1) == "[[":
                table = (*parts, "[]")  # array of tables: nothing of ours lives there
            else:
                table = parts
                out.setdefault(parts, (lineno, m.start(2) + 1))
            continue
        m = _ASSIGN_RE.match(line)
        if not m:
            continue
        parts = table + _parts(m.group(1))
        for i in range(len(table) + 1, len(parts) + 1):
            out.setdefault(parts[:i], (lineno, m.start(1) + 1))
        rest = line[m.end():]
        if rest.lstrip().startswith("{"):
            base = m.end()
            for inner in _INLINE_KEY_RE.finditer(rest):
                out.setdefault(parts + _parts(inner.group(1)), (lineno, base + inner.start(1) + 1))
        depth, quote = _scan_value(rest, 0, None)
    return out


def locate(positions: dict[tuple[str, ...], tuple[int, int]],
           path: tuple[str, ...]) -> tuple[int, int]:
    """(line, col) of *path*, or of its nearest located parent; (0, 0) when none is."""
    for i in range(len(path), 0, -1):
        if path[:i] in positions:
            return positions[path[:i]]
    return 0, 0
