"""The Finding type and the collector the rule modules report into."""

from __future__ import annotations

from dataclasses import dataclass

from tiphys.compiler.diagnostics import Severity
from tiphys.compiler.validator.codes import CODES, beyond_argo_note

PathT = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # e.g. "ARG301"
    severity: Severity  # from tiphys.compiler.diagnostics
    message: str  # says what is wrong and how to fix it
    doc_index: int  # which document of the batch
    path: tuple[str | int, ...]  # JSON path of the offending node inside that document


class Reporter:
    """Collects findings for one document; the severity comes from the code table."""

    __slots__ = ("doc_index", "items")

    def __init__(self, doc_index: int) -> None:
        self.doc_index = doc_index
        self.items: list[Finding] = []

    def add(self, code: str, path: PathT, message: str) -> None:
        self.items.append(Finding(code, CODES[code].severity, message + beyond_argo_note(code),
                                  self.doc_index, path))
