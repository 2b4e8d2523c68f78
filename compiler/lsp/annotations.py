"""The annotation a quick fix writes for a new task parameter, inferred from the value it
receives (libcst nodes: the quick fixes edit with libcst).

An unannotated task parameter receives text, so a value computed as ``int(...)`` would reach
the pod as a str; the fix annotates the parameter so the wrapper decodes it as that type.
"""

from __future__ import annotations

from collections.abc import Container

import libcst as cst


def dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{dotted(node.value)}.{node.attr.value}"
    return ""


_CONVERSIONS = frozenset({"int", "float", "str", "bool", "list", "dict"})
_ENV_READS = frozenset({"os.getenv", "os.environ.get", "environ.get", "getenv"})


def infer_annotation(value: cst.BaseExpression,
                     bound: Container[str]) -> cst.Annotation | None:
    """The annotation a new task parameter needs to receive what *value* computes, so the
    pod decodes it as that type (an unannotated parameter receives text): ``int(...)`` →
    ``int``, ``os.environ.get(...)`` → ``str``, a literal → its type; None when unclear.
    *bound*: the names the module binds (``int`` may not be the builtin)."""
    name: str | None = None
    if isinstance(value, cst.Call):
        callee = dotted(value.func)
        if callee in _CONVERSIONS and callee not in bound:
            name = callee
        elif callee in _ENV_READS or callee == "len":
            name = "str" if callee != "len" else "int"
    elif isinstance(value, cst.Subscript) and dotted(value.value) in ("os.environ", "environ"):
        name = "str"
    elif isinstance(value, cst.Integer):
        name = "int"
    elif isinstance(value, cst.Float):
        name = "float"
    elif isinstance(value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        name = "str"
    elif isinstance(value, cst.Comparison) or (
            isinstance(value, cst.Name) and value.value in ("True", "False")):
        name = "bool"
    elif isinstance(value, (cst.List, cst.ListComp)):
        name = "list"
    elif isinstance(value, (cst.Dict, cst.DictComp)):
        name = "dict"
    return cst.Annotation(cst.Name(name)) if name else None
