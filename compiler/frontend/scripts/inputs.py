"""A Python task's inputs and output artifacts, read from its parameters' annotations."""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from tiphys.compiler import ir
from tiphys.compiler.frontend.calls.artifacts import ARTIFACT_TYPES
from tiphys.compiler.frontend.literals import NotLiteral, evaluate_literal
from tiphys.compiler.frontend.module_context import FunctionNode, ModuleContext
from tiphys.compiler.frontend.nodes import parameters
from tiphys.compiler.frontend.scripts.wrapper import encode_for_input
from tiphys.compiler.frontend.source import Span, name_span
from tiphys.compiler.ir.artifacts import ARTIFACT_DIR, ArtifactOutput
from tiphys.compiler.ir.types import text_decode

#: Reports a problem: (code, message, node).
Report = Callable[[str, str, object], None]

#: Annotations decoded from JSON; anything but ``str`` (and no annotation) is JSON.
_STR_ANNOTATIONS = frozenset({"str"})
_SIMPLE_TYPES = frozenset({"str", "int", "float", "bool", "list", "dict"})
_GENERIC_ALIASES = {"List": "list", "Dict": "dict", "Sequence": "list", "Mapping": "dict"}


def simple_type(ann: ast.expr | None) -> str | None:
    """``str``, ``int``, ``float``, ``bool``, ``list`` or ``dict`` for an annotation that is
    one of them (``list[int]`` and ``typing.List`` count as ``list``), else None."""
    name = _annotation_name(ann)
    if name is None:
        return None
    name = _GENERIC_ALIASES.get(name, name)
    return name if name in _SIMPLE_TYPES else None


def _item_type(ann: ast.expr | None) -> str | None:
    """The element type of ``list[X]``, simplified; None when absent or unknown."""
    if not isinstance(ann, ast.Subscript) or isinstance(ann.slice, (ast.Tuple, ast.Slice)):
        return None
    inner = ann.slice
    if isinstance(inner, ast.Name):
        return _GENERIC_ALIASES.get(inner.id, inner.id)
    if isinstance(inner, ast.Subscript) and isinstance(inner.value, ast.Name):
        return _GENERIC_ALIASES.get(inner.value.id, inner.value.id)
    return None


def _annotation_name(node: ast.expr | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        return node.value.id
    if isinstance(node, ast.Constant):
        if node.value is None or isinstance(node.value, bool):
            return str(node.value)  # the names None, True and False
        if isinstance(node.value, bytes):
            return None
        return node.value if isinstance(node.value, str) else ""
    return ""


def returns_none(fn: FunctionNode) -> bool:
    """The function is annotated ``-> None``."""
    return isinstance(fn.returns, ast.Constant) and fn.returns.value is None


def _artifact_kind(ann: ast.expr | None, ctx: ModuleContext) -> str | None:
    """"in" or "out" for a parameter annotated InputArtifact / OutputArtifact."""
    if ann is None:
        return None
    return ARTIFACT_TYPES.get(ctx.dsl_name(ann) or "")


def _named(fn: FunctionNode) -> list[tuple[ast.arg, ast.expr | None]]:
    """Named parameters (not ``*args``/``**kwargs``), with their defaults."""
    args = fn.args
    return [(p, d) for p, d in parameters(args) if p is not args.vararg and p is not args.kwarg]


def param_order(fn: FunctionNode) -> tuple[list[str], set[str]]:
    """(named parameters in order, the positional-only ones)."""
    return ([p.arg for p, _ in _named(fn)], {p.arg for p in fn.args.posonlyargs})


def _param_name(p: ast.arg) -> Span:
    return name_span(p.lineno, p.col_offset, p.arg)


def _is_output_artifact_call(node: ast.expr, ctx: ModuleContext) -> bool:
    """``OutputArtifact()``: the default that lets type checkers accept calls without the
    parameter (the wrapper passes the path; the default is never used)."""
    return isinstance(node, ast.Call) and not node.args and not node.keywords and \
        ARTIFACT_TYPES.get(ctx.dsl_name(node.func) or "") == "out"


def artifact_outputs(fn: FunctionNode, ctx: ModuleContext,
                     problem: Report) -> tuple[ArtifactOutput, ...]:
    out = []
    for p, default in _named(fn):
        if _artifact_kind(p.annotation, ctx) == "out":
            if default is not None and not _is_output_artifact_call(default, ctx):
                problem("TPH474", f"output artifact '{p.arg}' cannot have a default: "
                        "the wrapper passes the path to write to", default)
            out.append(ArtifactOutput(p.arg, f"{ARTIFACT_DIR}/out/{p.arg}"))
    return tuple(out)


def apply_specs(
    inputs: tuple[ir.Input, ...], outs: tuple[ArtifactOutput, ...],
    specs: Mapping[str, tuple[Any, object]], fname: str, problem: Report,
) -> tuple[tuple[ir.Input, ...], tuple[ArtifactOutput, ...]]:
    """``@task(artifacts={"name": artifact(...)})``: archive, location and optional."""
    known = {i.name for i in inputs if i.artifact} | {o.name for o in outs}
    for name, (_, node) in specs.items():
        if name not in known:
            problem("TPH475", f"task '{fname}' has no artifact parameter '{name}' (annotate "
                    "it InputArtifact or OutputArtifact)", node)
    new_inputs = tuple(
        replace(i, optional=specs[i.name][0].optional) if i.artifact and i.name in specs else i
        for i in inputs
    )
    new_outs = tuple(
        replace(o, archive=specs[o.name][0].archive, location=specs[o.name][0].location,
                optional=specs[o.name][0].optional) if o.name in specs else o
        for o in outs
    )
    return new_inputs, new_outs


def task_inputs(fn: FunctionNode, fname: str, problem: Report, star: Any,
                ctx: ModuleContext | None = None) -> tuple[ir.Input, ...]:
    """The task's inputs; *star* gives a ``*args``/``**kwargs`` parameter's position (from
    its star, which ``ast`` leaves out)."""
    args = fn.args
    if args.vararg is not None:
        problem("TPH205", f"task '{fname}' takes *{args.vararg.arg}: a task's "
                "inputs must be named parameters", star(args.vararg, "*"))
    if args.kwarg is not None:
        problem("TPH205", f"task '{fname}' takes **{args.kwarg.arg}: a task's "
                "inputs must be named parameters", star(args.kwarg, "**"))
    out: list[ir.Input] = []
    for p, default in _named(fn):
        pname = p.arg
        if not pname.isascii():
            problem("TPH206", f"parameter '{pname}' is not ASCII: Argo parameter and "
                    "environment variable names must be", _param_name(p))
        artifact = _artifact_kind(p.annotation, ctx) if ctx is not None else None
        if artifact == "out":
            continue  # not an input: the wrapper passes the path to write to
        if artifact == "in":
            out.append(ir.Input(pname, "artifact", artifact=True,
                                path=f"{ARTIFACT_DIR}/in/{pname}"))
            continue
        ann = _annotation_name(p.annotation)
        decode = "str" if ann is None or ann in _STR_ANNOTATIONS else "json"
        kind = simple_type(p.annotation)
        if decode == "json" and kind is None:
            # Any, unions such as `str | None`, other classes: the value may be JSON (another
            # task's output, a literal) or plain text (a string item of a loop, which Argo
            # substitutes unquoted): JSON when it parses, else the text as is.
            decode = "auto"
        if kind == "list" and _item_type(p.annotation) not in (None, "str"):
            # A list of JSON values may arrive as Argo's aggregate of a loop's outputs: a
            # JSON list of the encoded values, each a string. The wrapper decodes the items.
            decode = "json-items"
        if decode != "str" and p.annotation is not None:
            # str | None, Literal["a", "b"]: text (a str output is written as is), "null" for
            # None; JSON would read the text "1" as an int (tiphys.compiler.ir.types). A list
            # of them: each item so ("text-items"), as a loop's aggregated outputs arrive.
            decode = text_decode(ast.unparse(p.annotation), items=kind == "list") or decode
        if default is None:
            out.append(ir.Input(pname, decode, type=kind))
            continue
        try:
            value = evaluate_literal(default)
        except NotLiteral:
            out.append(ir.Input(pname, decode, required=True, type=kind))
            continue
        if value is None and decode == "str":
            out.append(ir.Input(pname, decode, required=True, type=kind))
            continue
        out.append(ir.Input(pname, decode, True, encode_for_input(value, decode), False, kind))
    return tuple(out)
