"""Module-level import bindings, and how DSL names are recognised through them.

``from tiphys import task as t``, ``import tiphys``, ``import tiphys as tp`` and
``from tiphys.tasks import task`` all make the same DSL function visible under some local name;
:func:`qualified_name` turns an expression into the canonical ``tiphys.<name>`` it denotes.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

#: Submodules of the runtime package whose names are re-exported at the top.
_CANONICAL_MODULES = (
    "tiphys.tasks", "tiphys.graph", "tiphys.workflow", "tiphys.kinds", "tiphys.run_control",
    "tiphys.pods", "tiphys.env",
)


@dataclass(frozen=True, slots=True)
class ImportBinding:
    #: Local name bound by the import.
    local: str
    #: What it denotes: a module (``numpy``) or a module attribute (``os.path.join``).
    qualified: str
    #: True for ``import a.b`` style (binds a module), False for ``from a import b``.
    is_module: bool
    #: Source text that recreates just this binding, e.g. ``import numpy as np``.
    statement: str
    #: Relative imports (``from . import x``) cannot be carried into a task.
    relative: bool
    #: Index of the top-level statement and the alias node, for diagnostics.
    stmt: int
    node: cst.CSTNode


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def import_bindings(stmt: cst.Import | cst.ImportFrom, index: int) -> list[ImportBinding]:
    """The bindings one import statement makes, one per name."""
    out: list[ImportBinding] = []
    if isinstance(stmt, cst.Import):
        for alias in stmt.names:
            full = _dotted(alias.name)
            if alias.asname is not None:
                local = _dotted(alias.asname.name)
                out.append(ImportBinding(local, full, True, f"import {full} as {local}",
                                         False, index, alias))
            else:
                # ``import a.b`` binds ``a``; carrying it re-imports the whole dotted path.
                local = full.split(".")[0]
                out.append(ImportBinding(local, local, True, f"import {full}", False, index,
                                         alias))
        return out
    dots = "." * len(stmt.relative)
    module = _dotted(stmt.module) if stmt.module is not None else ""
    source = f"{dots}{module}"
    if isinstance(stmt.names, cst.ImportStar):
        return out
    for alias in stmt.names:
        name = _dotted(alias.name)
        local = _dotted(alias.asname.name) if alias.asname is not None else name
        text = f"from {source} import {name}" + (f" as {local}" if local != name else "")
        qualified = f"{module}.{name}" if module else name
        out.append(ImportBinding(local, qualified, False, text, bool(dots), index, alias))
    return out


def canonical(qualified: str) -> str:
    """``tiphys.tasks.task`` → ``tiphys.task``; other names are returned unchanged."""
    for prefix in _CANONICAL_MODULES:
        if qualified.startswith(prefix + "."):
            return "tiphys." + qualified[len(prefix) + 1:]
    return qualified
