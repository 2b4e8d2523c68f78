"""Module-level import bindings, and how DSL names are recognised through them.

``from tiphys import task as t``, ``import tiphys``, ``import tiphys as tp`` and
``from tiphys.tasks import task`` all make the same DSL function visible under some local name;
:func:`canonical` turns a qualified name into the canonical ``tiphys.<name>`` it denotes.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

#: Submodules of the runtime package whose names are re-exported at the top.
_CANONICAL_MODULES = (
    "tiphys.tasks", "tiphys.graph", "tiphys.workflow", "tiphys.kinds", "tiphys.run_control",
    "tiphys.pods", "tiphys.env", "tiphys.outputs", "tiphys.containers",
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
    node: ast.alias


def import_bindings(stmt: ast.Import | ast.ImportFrom, index: int) -> list[ImportBinding]:
    """The bindings one import statement makes, one per name."""
    out: list[ImportBinding] = []
    if isinstance(stmt, ast.Import):
        for alias in stmt.names:
            full = alias.name
            if alias.asname is not None:
                local = alias.asname
                out.append(ImportBinding(local, full, True, f"import {full} as {local}",
                                         False, index, alias))
            else:
                # ``import a.b`` binds ``a``; carrying it re-imports the whole dotted path.
                local = full.split(".")[0]
                out.append(ImportBinding(local, local, True, f"import {full}", False, index,
                                         alias))
        return out
    dots = "." * stmt.level
    module = stmt.module or ""
    source = f"{dots}{module}"
    for alias in stmt.names:
        name = alias.name
        if name == "*":
            return out
        local = alias.asname if alias.asname is not None else name
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
