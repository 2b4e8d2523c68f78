"""Diagnostics: the values every stage collects instead of raising.

A diagnostic names a stable code, a severity, a message that says how to fix the problem, and
the position (1-based line and column) of the offending node in the user's file, Python or YAML.
Stages append to a :class:`Diagnostics` collector; nothing in the compiler raises for a problem
in the user's input.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    #: Stable code, e.g. ``TPH201`` (compiler) or ``ARG301`` (Argo rules).
    code: str
    severity: Severity
    #: One sentence: what is wrong and how to fix it.
    message: str
    #: Path as the user gave it (relative paths stay relative).
    path: str
    #: 1-based line; 0 when the problem has no position (a whole file).
    line: int = 0
    #: 1-based column.
    col: int = 0
    end_line: int = 0
    end_col: int = 0

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.col, self.code, self.message)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


@dataclass(slots=True)
class Diagnostics:
    """A collector passed along the pipeline; stages add to it and carry on."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    def error(
        self, code: str, message: str, path: str, line: int = 0, col: int = 0,
        end_line: int = 0, end_col: int = 0,
    ) -> None:
        self.items.append(
            Diagnostic(code, Severity.ERROR, message, path, line, col, end_line, end_col)
        )

    def warning(
        self, code: str, message: str, path: str, line: int = 0, col: int = 0,
        end_line: int = 0, end_col: int = 0,
    ) -> None:
        self.items.append(
            Diagnostic(code, Severity.WARNING, message, path, line, col, end_line, end_col)
        )

    def info(self, code: str, message: str, path: str, line: int = 0, col: int = 0) -> None:
        self.items.append(Diagnostic(code, Severity.INFO, message, path, line, col))

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        """Deduplicated, in file/position order: the order users read them in."""
        return sorted(set(self.items), key=Diagnostic.sort_key)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)
