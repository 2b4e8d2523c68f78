"""Which diagnostics a lint run reports: ``# tiphys: ignore`` comments, ``--select``/``--ignore``.

A comment ``# tiphys: ignore[TPH210,TPH216]`` silences those codes on its own line; a bare
``# tiphys: ignore`` silences every code there. Comments are found with :mod:`tokenize`, so
the same text inside a string literal is not a suppression. Codes match by prefix, as ruff's
rule selectors do: ``TPH2`` means every ``TPH2xx`` code. When a code matches both ``--select``
and ``--ignore``, the more specific (longer) prefix decides; on a tie it is ignored.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tiphys.compiler.diagnostics import Diagnostic

#: ``tiphys: ignore`` or ``tiphys: ignore[A, B]`` anywhere in a comment (after ``noqa`` etc.).
_COMMENT = re.compile(r"#.*?\btiphys:\s*ignore\b(?:\[([^\]]*)\])?", re.IGNORECASE)
_CODE = re.compile(r"[A-Z]+[0-9]*")
_TPH_LITERAL = re.compile(r"[\"'](TPH[0-9]{3})[\"']")

#: Codes silenced on one line; ``None`` silences all of them.
LineRule = frozenset[str] | None


class CodeListError(ValueError):
    """A ``--select``/``--ignore`` value that is not a comma-separated list of codes."""


def parse_codes(value: str | Iterable[str]) -> tuple[str, ...]:
    """``"TPH2, arg301"`` → ``("TPH2", "ARG301")``; raise :class:`CodeListError` on junk."""
    parts = value.split(",") if isinstance(value, str) else list(value)
    out: list[str] = []
    for part in parts:
        code = part.strip().upper()
        if not code:
            continue
        if not _CODE.fullmatch(code):
            raise CodeListError(
                f"'{part.strip()}' is not a code or code prefix (like TPH210, TPH2 or ARG)"
            )
        out.append(code)
    return tuple(out)


@functools.cache
def known_codes() -> frozenset[str]:
    """Every code a run can report: the validator's table, and each ``"TPHnnn"`` literal of
    the compiler's own source (read, not imported: there is no hand-kept list to forget)."""
    from tiphys.compiler.validator.codes import CODES

    root = Path(__file__).resolve().parent.parent
    found = set(CODES)
    for path in root.rglob("*.py"):
        found.update(_TPH_LITERAL.findall(path.read_text(encoding="utf-8")))
    return frozenset(found)


def require_known(codes: Iterable[str]) -> None:
    """A selector that matches no code would silently select or ignore nothing (``--select
    TPX9`` hid every real error): raise :class:`CodeListError` for it."""
    codes = tuple(codes)
    if not codes:
        return  # nothing to look up: known_codes() reads every module's source (~10 ms)
    known = known_codes()
    for code in codes:
        if not any(k.startswith(code) for k in known):
            raise CodeListError(f"'{code}' matches no code (codes: docs/codes.md and "
                                "docs/validator-codes.md)")


def _longest_match(code: str, prefixes: Sequence[str]) -> int:
    """Length of the longest prefix in *prefixes* that *code* starts with; -1 if none."""
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


@dataclass(frozen=True, slots=True)
class Selection:
    """The codes a run reports, from ``--select`` and ``--ignore``."""

    #: Prefixes to report; empty means every code.
    select: tuple[str, ...] = ()
    #: Prefixes not to report.
    ignore: tuple[str, ...] = ()

    def wants(self, code: str) -> bool:
        chosen = _longest_match(code, self.select) if self.select else 0
        if chosen < 0:
            return False
        ignored = _longest_match(code, self.ignore)
        return ignored < 0 or chosen > ignored

    @classmethod
    def parse(cls, select: str | Iterable[str] = "", ignore: str | Iterable[str] = "") -> Selection:
        return cls(parse_codes(select), parse_codes(ignore))


def line_rules(text: str) -> dict[int, LineRule]:
    """1-based line → the codes its ``# tiphys: ignore`` comment silences.

    On a file that does not tokenize (a syntax error), the comments before the error still
    count; the rest of the file has no suppressions.
    """
    rules: dict[int, LineRule] = {}
    if "tiphys" not in text:  # the common case: no comment can match
        return rules
    import io
    import tokenize  # only when there is something to filter: it costs 2 ms to import

    readline = io.StringIO(text).readline
    try:
        for tok in tokenize.generate_tokens(readline):
            if tok.type != tokenize.COMMENT:
                continue
            match = _COMMENT.search(tok.string)
            if match is None:
                continue
            line = tok.start[0]
            if match.group(1) is None:
                rules[line] = None
                continue
            codes = frozenset(
                c.strip().upper() for c in match.group(1).split(",") if c.strip()
            )
            previous = rules.get(line, frozenset())
            rules[line] = None if previous is None else previous | codes
    except (tokenize.TokenError, SyntaxError):
        pass
    return rules


def suppressed(diagnostic: Diagnostic, rules: dict[int, LineRule]) -> bool:
    if not diagnostic.line or diagnostic.line not in rules:
        return False
    codes = rules[diagnostic.line]
    return codes is None or _longest_match(diagnostic.code, tuple(codes)) >= 0


@dataclass(frozen=True, slots=True)
class Filtered:
    #: What the run reports, in the order given.
    kept: list[Diagnostic]
    #: How many ``# tiphys: ignore`` comments silenced.
    suppressed: int
    #: How many ``--select``/``--ignore`` left out.
    deselected: int


def apply(
    diagnostics: Iterable[Diagnostic], selection: Selection,
    read: Callable[[str], str | None],
) -> Filtered:
    """Keep the diagnostics the selection wants and no comment silences.

    *read* gives a path's source text (None when it cannot be read: nothing there is
    suppressed); it is called, and :func:`line_rules` run, at most once per path.
    """
    rules_by_path: dict[str, dict[int, LineRule]] = {}
    kept: list[Diagnostic] = []
    n_suppressed = n_deselected = 0
    for d in diagnostics:
        if not selection.wants(d.code):
            n_deselected += 1
            continue
        rules = rules_by_path.get(d.path)
        if rules is None:
            text = read(d.path)
            rules = line_rules(text) if text is not None else {}
            rules_by_path[d.path] = rules
        if suppressed(d, rules):
            n_suppressed += 1
            continue
        kept.append(d)
    return Filtered(kept, n_suppressed, n_deselected)
