"""What compiling one file gives, and the checks every lowered document passes before it is
written: tiphys' strict schema (a failure there is a compiler bug, reported as one) and Argo's
semantic rules, mapped back to the Python source position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.lower.workflow import Lowered


@dataclass(slots=True)
class FileResult:
    path: str
    diagnostics: Diagnostics
    workflows: list[Lowered] = field(default_factory=list)
    #: True when the file does not use the DSL at all (no tiphys import).
    not_dsl: bool = False
    #: What the file provides to and needs from other files of the run (templateRefs), as
    #: JSON-able data: see :mod:`tiphys.compiler.check.composition`.
    summary: dict[str, Any] | None = None


def check_lowered(workflows: list[Lowered], diags: Diagnostics, path: str) -> None:
    # Imported on first use: a run whose files are all skipped or broken never loads them.
    from tiphys.compiler.strict_schema import check_strict
    from tiphys.compiler.validator import check_documents

    for lw in workflows:
        for v in check_strict(lw.document):
            _report(diags, lw, v.path, "TPH900",
                    f"internal error: the emitted document breaks tiphys' strict schema at "
                    f"{_dotted(v.path)}: {v.message}. This is a tiphys bug; please report it",
                    path)
    docs = [lw.document for lw in workflows]
    for finding in check_documents(docs):
        if finding.code == "ARG304":
            # "templateRef target not in this batch": for compiled output the run as a whole
            # decides, with the other files (composition.check, TPH465).
            continue
        lw = workflows[finding.doc_index]
        message = f"{finding.message} (Argo rule {finding.code} at {_dotted(finding.path)})"
        _report(diags, lw, finding.path, finding.code, message, path,
                error=finding.severity.value == "error")


def _report(
    diags: Diagnostics, lw: Lowered, jpath: tuple[str | int, ...], code: str, message: str,
    path: str, error: bool = True,
) -> None:
    loc = lw.locate(jpath)
    if loc is None:
        (diags.error if error else diags.warning)(code, message, path)
        return
    line, col, end_line, end_col = loc.position()
    (diags.error if error else diags.warning)(code, message, loc.path, line, col, end_line,
                                              end_col)


def _dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "<document>"
