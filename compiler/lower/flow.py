"""Rendering control flow for Argo: ``when`` expressions, ``depends``, loops and hooks.

Conditions compile to Argo *expression* tags (``{{= ... }}``, evaluated with expr-lang)
rather than to govaluate text with values pasted in: a value with a space, a quote or a dash
would break the latter. Names are indexed (``steps['flip-coin']``) because expr reads a dash
as a minus sign (https://argo-workflows.readthedocs.io/en/latest/variables/#expression).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from tiphys.compiler.ir import flow as ir_flow

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")
#: expr-lang keywords, which cannot follow a dot.
_KEYWORDS = frozenset({"and", "or", "not", "in", "matches", "contains", "startsWith",
                       "endsWith", "true", "false", "nil", "let", "if", "else"})


def expr_path(tag: str) -> str:
    """``{{steps.flip-coin.outputs.parameters.return}}`` → the same value in expr syntax:
    ``steps['flip-coin'].outputs.parameters['return']``."""
    inner = tag.strip()
    if inner.startswith("{{") and inner.endswith("}}"):
        inner = inner[2:-2].strip()
    head, *rest = inner.split(".")
    out = head
    for part in rest:
        if _IDENT.match(part) and part not in _KEYWORDS and part != "return":
            out += f".{part}"
        else:
            out += f"[{json.dumps(part)}]"
    return out.replace('"', "'")


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "'true'" if value else "'false'"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _typed(path: str, kind: str | None, other: str | None) -> str:
    """An operand read as the type the comparison needs: Argo values are strings."""
    if kind in ("int", "float") or (kind is None and other in ("int", "float")):
        return f"asFloat({path})" if "float" in (kind, other) else f"asInt({path})"
    return path


def _operand_type(op: ir_flow.Operand) -> str | None:
    if isinstance(op, ir_flow.LiteralOperand):
        v = op.value
        if isinstance(v, bool):
            return "bool"
        if isinstance(v, int):
            return "int"
        if isinstance(v, float):
            return "float"
        return "str"
    if isinstance(op, ir_flow.WorkflowOperand):
        return "str"
    return op.type


Resolve = Callable[[ir_flow.Operand], str | None]


def render_condition(cond: ir_flow.Condition, resolve: Resolve) -> str | None:
    """An expr-lang boolean expression, or None when an operand could not be resolved."""
    if isinstance(cond, ir_flow.Compare):
        lt, rt = _operand_type(cond.left), _operand_type(cond.right)
        left = _side(cond.left, resolve, lt, rt)
        right = _side(cond.right, resolve, rt, lt)
        if left is None or right is None:
            return None
        return f"{left} {cond.op} {right}"
    if isinstance(cond, ir_flow.BoolOp):
        parts = [render_condition(item, resolve) for item in cond.items]
        if any(p is None for p in parts):
            return None
        return f" {cond.op} ".join(f"({p})" if " " in str(p) else str(p) for p in parts)
    if isinstance(cond, ir_flow.Not):
        inner = render_condition(cond.item, resolve)
        return None if inner is None else f"!({inner})"
    if isinstance(cond, ir_flow.Match):
        # expr-lang's `matches` (RE2), which `=~` is in Argo's older govaluate form.
        target = resolve(cond.operand)
        return None if target is None else f"{target} matches {_literal(cond.pattern)}"
    path = resolve(cond.operand)
    return None if path is None else f"{path} == 'true'"


def _side(op: ir_flow.Operand, resolve: Resolve, kind: str | None, other: str | None) -> str | None:
    if isinstance(op, ir_flow.LiteralOperand):
        # Numbers stay numbers (the other side is read with asInt/asFloat); booleans compare
        # with the text Argo holds ("true"/"false"); strings are quoted.
        return _literal(op.value)
    path = resolve(op)
    if path is None:
        return None
    return _typed(path, kind, other)


def when_tag(expression: str) -> str:
    return "{{=" + expression + "}}"


NameOf = Callable[[ir_flow.DepResult], str | None]


def render_depends(dep: ir_flow.Depends, name_of: NameOf) -> str | None:
    if isinstance(dep, ir_flow.DepResult):
        name = name_of(dep)
        if name is None:
            return None
        return name if dep.result is None else f"{name}.{dep.result}"
    if isinstance(dep, ir_flow.DepBool):
        parts = [render_depends(item, name_of) for item in dep.items]
        if any(p is None for p in parts):
            return None
        return "(" + f" {dep.op} ".join(str(p) for p in parts) + ")"
    inner = render_depends(dep.item, name_of)
    return None if inner is None else f"!{inner}" if " " not in inner else f"!({inner})"


def loop_fields(loop: ir_flow.Loop, source: str | None) -> dict[str, Any]:
    """The step's withItems / withSequence / withParam."""
    if loop.kind == "items":
        return {"withItems": list(loop.items)}
    if loop.kind == "sequence":
        seq: dict[str, str] = {}
        if loop.start is not None and (loop.count is None or loop.start != 0):
            seq["start"] = str(loop.start)
        if loop.count is not None:
            seq["count"] = str(loop.count)
        else:
            seq["end"] = str(loop.end)
        if loop.format is not None:
            seq["format"] = loop.format
        return {"withSequence": seq}
    return {"withParam": source} if source is not None else {}
