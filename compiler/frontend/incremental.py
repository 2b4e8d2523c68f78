"""Parsing a document one top-level statement at a time, re-parsing only what changed.

The language server re-lints a document on every edit, and an edit touches one or two
top-level statements. This parser cuts the text into chunks that each start a top-level
statement (a line that starts at column 0 with code), parses each chunk with CPython's
``ast`` on its own, and keeps the parsed chunks of the latest version: an unchanged chunk is
reused (its line numbers shifted if lines were added or removed above it).

A cut is only a guess until the chunk parses: a column-0 line inside a triple-quoted string,
or a decorator's line, makes a chunk that does not parse alone, and it is then merged with
the next one. Two chunks that each parse alone are two runs of whole statements (each ends
at a line end outside any bracket or string), so their trees together are the tree of the
whole text. Whenever anything is unusual (a lone carriage return, a form feed, a syntax
error), the caller gets None and parses the whole text, as the compiler always does.
"""

from __future__ import annotations

import ast

#: How many cuts one chunk may swallow before the parser gives up on the text.
_MAX_MERGES = 8
#: Column-0 words that continue the statement above rather than start one.
_CONTINUATIONS = ("else", "elif", "except", "finally")


def _starts_statement(line: str) -> bool:
    if not line or line[0] in " \t#)]}@\\" or line[0] in "\"'":
        return False
    word = line.split(None, 1)[0].rstrip(":")
    return word not in _CONTINUATIONS


def _cuts(lines: list[str]) -> list[int]:
    """0-based indexes of the lines where a chunk may start (the first line always)."""
    cuts = [0]
    for i in range(1, len(lines)):
        line = lines[i]
        if _starts_statement(line) and not lines[i - 1].startswith("@"):
            cuts.append(i)
    return cuts


class IncrementalParser:
    """One document's parse cache: chunk text → its statements and the line they were
    parsed at, for the latest version only (memory stays proportional to the document)."""

    def __init__(self) -> None:
        self._chunks: dict[str, tuple[list[ast.stmt], int]] = {}
        #: Chunks parsed by the last call (for tests and the benchmark).
        self.parsed = 0

    def parse(self, text: str) -> ast.Module | None:
        """The module of *text*, or None when the caller should parse the whole text."""
        self.parsed = 0
        if "\r" in text or "\x0c" in text:
            return None
        lines = text.split("\n")
        cuts = _cuts(lines)
        cuts.append(len(lines))
        body: list[ast.stmt] = []
        fresh: dict[str, tuple[list[ast.stmt], int]] = {}
        i = 0
        while i < len(cuts) - 1:
            first = cuts[i]
            j = i + 1
            while True:
                chunk = "\n".join(lines[first:cuts[j]]) + "\n"
                stmts = self._statements(chunk, first + 1, fresh)
                if stmts is not None:
                    break
                j += 1
                if j == len(cuts) or j - i > _MAX_MERGES:
                    # A real syntax error (the caller reports it), or a long string full of
                    # column-0 lines: the whole text is parsed instead, never quadratically.
                    # Chunks reused so far were shifted to this text's lines: keep them so.
                    self._chunks.update(fresh)
                    return None
            body.extend(stmts)
            i = j
        self._chunks = fresh
        return ast.Module(body=body, type_ignores=[])

    def _statements(self, chunk: str, line: int,
                    fresh: dict[str, tuple[list[ast.stmt], int]]) -> list[ast.stmt] | None:
        cached = fresh.get(chunk) or self._chunks.get(chunk)
        if cached is not None and chunk not in fresh:
            stmts, at = cached
            if at != line:
                for stmt in stmts:
                    ast.increment_lineno(stmt, line - at)
            fresh[chunk] = (stmts, line)
            return stmts
        if cached is not None:  # the same text twice in one document: parse the copy
            cached = None
        try:
            tree = ast.parse(chunk)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        self.parsed += 1
        if line != 1:
            for stmt in tree.body:
                ast.increment_lineno(stmt, line - 1)
        if chunk not in fresh:
            fresh[chunk] = (tree.body, line)
        return tree.body
