"""``{{...}}`` tag scanning and the DAG ``depends`` expression parser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler.validator.findings import PathT

TASK_RESULTS = frozenset({
    "Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned",
    "AnySucceeded", "AllFailed",
})


def scan_tags(text: str) -> tuple[list[str], bool]:
    """Tags between ``{{`` and ``}}`` (whitespace trimmed), and whether a ``{{`` is unterminated.

    Like Argo's template engine, a tag ends at the first ``}}`` after its ``{{``.
    """
    tags: list[str] = []
    pos = 0
    while True:
        start = text.find("{{", pos)
        if start < 0:
            return tags, False
        end = text.find("}}", start + 2)
        if end < 0:
            return tags, True
        tags.append(text[start + 2:end].strip())
        pos = end + 2


def walk_strings(value: Any, path: PathT) -> Iterator[tuple[PathT, str]]:
    """Every string (mapping keys included) inside *value* that contains ``{{``.

    The path of a node is built only for the strings found: large documents hold few tags
    among very many strings.
    """
    found: list[tuple[PathT, str]] = []
    trail: list[str | int] = list(path)

    def visit(v: Any) -> None:
        if isinstance(v, str):
            if "{{" in v:
                found.append((tuple(trail), v))
        elif isinstance(v, dict):
            for k, x in v.items():
                key_tag = isinstance(k, str) and "{{" in k
                if not key_tag and isinstance(x, str) and "{{" not in x:
                    continue
                trail.append(k)
                if key_tag:
                    found.append((tuple(trail), k))
                visit(x)
                trail.pop()
        elif isinstance(v, list):
            for i, x in enumerate(v):
                if isinstance(x, str) and "{{" not in x:
                    continue
                trail.append(i)
                visit(x)
                trail.pop()

    visit(value)
    return iter(found)


# ---------------------------------------------------------------- depends


class DependsError(ValueError):
    pass


@dataclass(slots=True)
class Depends:
    """A parsed ``depends`` expression: each task named, with the results it is tested for."""

    tasks: dict[str, set[str]] = field(default_factory=dict)

    def add(self, task: str, result: str | None) -> None:
        self.tasks.setdefault(task, set())
        if result is not None:
            self.tasks[task].add(result)


# Whitespace as str.isspace() sees it, then one token: an operator, a punctuation mark, a name.
_SPACE = re.compile(r"\s*")
_TOKEN = re.compile(r"(&&|\|\|)|([!().])|([A-Za-z0-9_-]+)")


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    n = len(text)
    i = _SPACE.match(text).end()  # type: ignore[union-attr]  # \s* always matches
    while i < n:
        m = _TOKEN.match(text, i)
        if m is None:
            raise DependsError(f"unexpected character '{text[i]}' at offset {i}")
        op, mark, name = m.groups()
        if op is not None:
            out.append(("op", op, i))
        elif mark is not None:
            out.append((mark, mark, i))
        else:
            out.append(("name", name, i))
        i = _SPACE.match(text, m.end()).end()  # type: ignore[union-attr]
    return out


# The form lowering writes (a task after several others) and most hand-written DAGs use.
_CONJUNCTION = re.compile(r"\s*[A-Za-z0-9_-]+(?:\s*&&\s*[A-Za-z0-9_-]+)*\s*")
_NAME = re.compile(r"[A-Za-z0-9_-]+")


def parse_depends(text: str) -> Depends:
    """Parse ``a && (b.Failed || !c.Skipped)``; raise :class:`DependsError` on bad syntax.

    Grammar: or := and ('||' and)*; and := unary ('&&' unary)*; unary := '!' unary | primary;
    primary := '(' or ')' | NAME ('.' NAME)?  Result names are checked by the caller.
    """
    if _CONJUNCTION.fullmatch(text):  # names joined by &&: what the parser below would give
        return Depends({name: set() for name in _NAME.findall(text)})
    return parse_depends_fully(text)


def parse_depends_fully(text: str) -> Depends:
    """:func:`parse_depends` without its shortcut for a plain conjunction of names."""
    toks = _tokens(text)
    result = Depends()
    pos = 0

    def peek() -> tuple[str, str, int] | None:
        return toks[pos] if pos < len(toks) else None

    def expect_end_of(what: str) -> DependsError:
        t = peek()
        where = f"'{t[1]}' at offset {t[2]}" if t else "end of expression"
        return DependsError(f"expected {what}, found {where}")

    def p_or() -> None:
        nonlocal pos
        p_and()
        while (t := peek()) is not None and t[1] == "||":
            pos += 1
            p_and()

    def p_and() -> None:
        nonlocal pos
        p_unary()
        while (t := peek()) is not None and t[1] == "&&":
            pos += 1
            p_unary()

    def p_unary() -> None:
        nonlocal pos
        t = peek()
        if t is not None and t[0] == "!":
            pos += 1
            p_unary()
            return
        p_primary()

    def p_primary() -> None:
        nonlocal pos
        t = peek()
        if t is None:
            raise expect_end_of("a task name or '('")
        if t[0] == "(":
            pos += 1
            p_or()
            t2 = peek()
            if t2 is None or t2[0] != ")":
                raise expect_end_of("')'")
            pos += 1
            return
        if t[0] != "name":
            raise expect_end_of("a task name or '('")
        pos += 1
        res: str | None = None
        t2 = peek()
        if t2 is not None and t2[0] == ".":
            pos += 1
            t3 = peek()
            if t3 is None or t3[0] != "name":
                raise expect_end_of("a task result after '.'")
            res = t3[1]
            pos += 1
        result.add(t[1], res)

    if not toks:
        raise DependsError("empty expression")
    p_or()
    if pos != len(toks):
        raise expect_end_of("'&&', '||' or ')'")
    return result
