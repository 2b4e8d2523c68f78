"""Record returns: a Python task that returns a NamedTuple, a dataclass or a TypedDict
defined in the same file gets one output per field.

    class Stats(NamedTuple):
        mean: float
        count: Annotated[int, named_output("row-count")]    # an Argo name with a dash
        report: Annotated[str, artifact_output()]            # written to an output artifact

The class is read statically, and shipped to the pod as generated text: its base (or
``@dataclass``) as written, each field with its type as a string (so that neither the DSL's
markers nor the names the types use need to exist in the pod), and literal defaults.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from tiphys.compiler.frontend.literals import is_literal
from tiphys.compiler.frontend.module_context import ModuleContext, OtherBinding
from tiphys.compiler.ir.names import PARAM_NAME
from tiphys.compiler.ir.records import OutputField

#: Reports a problem: (code, message, node).
Report = Callable[[str, str, object], None]

_BASES = {
    "typing.NamedTuple": "NamedTuple", "typing_extensions.NamedTuple": "NamedTuple",
    "typing.TypedDict": "TypedDict", "typing_extensions.TypedDict": "TypedDict",
}
_DATACLASS = frozenset({"dataclasses.dataclass"})
_MARKERS = {"tiphys.named_output": False, "tiphys.artifact_output": True}
_ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})


@dataclass(frozen=True, slots=True)
class Record:
    name: str
    #: "NamedTuple", "TypedDict" or "dataclass".
    kind: str
    fields: tuple[OutputField, ...]
    node: ast.ClassDef
    #: The class as shipped in the script.
    text: str
    #: Module names the class statement needs (its base or decorator).
    needs: tuple[str, ...]


def _qualified(node: ast.expr, ctx: ModuleContext) -> str | None:
    return ctx.dsl_name(node)


def record_kind(cls: ast.ClassDef, ctx: ModuleContext) -> str | None:
    """"NamedTuple", "TypedDict" or "dataclass" when *cls* is one, else None."""
    for base in cls.bases:
        kind = _BASES.get(_qualified(base, ctx) or "")
        if kind:
            return kind
    for dec in cls.decorator_list:
        callee = dec.func if isinstance(dec, ast.Call) else dec
        if _qualified(callee, ctx) in _DATACLASS:
            return "dataclass"
    return None


def record_class(name: str, ctx: ModuleContext) -> ast.ClassDef | None:
    """The class *name* is bound to at module level, when it is a record class."""
    binding = ctx.bindings.get(name)
    if isinstance(binding, OtherBinding) and isinstance(binding.node, ast.ClassDef) and \
            ctx.bind_count.get(name, 0) == 1 and record_kind(binding.node, ctx):
        return binding.node
    return None


def returned_record(fn: ast.FunctionDef | ast.AsyncFunctionDef,
                    ctx: ModuleContext) -> ast.ClassDef | None:
    """The record class the function's return annotation names (``-> Stats``), if any."""
    ann = fn.returns
    if isinstance(ann, ast.Constant) and isinstance(ann.value, str):
        try:
            ann = ast.parse(ann.value, mode="eval").body
        except SyntaxError:
            return None
    if isinstance(ann, ast.Name):
        return record_class(ann.id, ctx)
    return None


def read_record(cls: ast.ClassDef, ctx: ModuleContext, problem: Report) -> Record | None:
    """The record's fields and shipped text; misuse is reported (TPH540-TPH545)."""
    kind = record_kind(cls, ctx)
    if kind is None:
        return None
    ok = True
    fields: list[OutputField] = []
    lines: list[str] = []
    for stmt in cls.body:
        if isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(
                stmt.value, ast.Constant) and isinstance(stmt.value.value, str)):
            continue  # a docstring
        if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
            problem("TPH541", f"record class '{cls.name}' is used by a task, so it may "
                    "only hold annotated fields ('name: type' or 'name: type = literal'): "
                    "its methods and other statements are not shipped to the pod", stmt)
            ok = False
            continue
        attr = stmt.target.id
        inner, marker = _unwrap(stmt.annotation, ctx)
        name, artifact = attr, False
        if marker is not None:
            artifact = _MARKERS[_qualified(marker.func, ctx) or ""]
            given = _marker_name(marker, problem)
            if given is not None:
                name = given
        if not PARAM_NAME.match(name):
            problem("TPH542", f"output name '{name}' of record '{cls.name}' must be letters, "
                    "digits, '-' and '_'", marker if marker is not None else stmt.target)
            ok = False
        if any(f.name == name for f in fields):
            problem("TPH542", f"record '{cls.name}' has two outputs named '{name}'",
                    marker if marker is not None else stmt.target)
            ok = False
        default = ""
        if stmt.value is not None:
            if kind == "TypedDict" or not is_literal(stmt.value):
                problem("TPH543", f"field '{attr}' of record '{cls.name}' has a default that "
                        "is not a literal (or is in a TypedDict, which has none): the class "
                        "is shipped to the pod without the module it is defined in",
                        stmt.value)
                ok = False
            default = f" = {ast.unparse(stmt.value)}"
        text = ast.unparse(inner)
        fields.append(OutputField(attr, name, text, artifact))
        lines.append(f"    {attr}: {text!r}{default}")
    if not fields and ok:
        problem("TPH541", f"record class '{cls.name}' has no fields: a task that returns it "
                "has no outputs", cls)
        ok = False
    if not ok:
        return None
    bases = ", ".join(ast.unparse(b) for b in cls.bases)
    head = f"class {cls.name}({bases}):" if bases else f"class {cls.name}:"
    decorators = [f"@{ast.unparse(d)}" for d in cls.decorator_list]
    text = "\n".join([*decorators, head, *lines]) + "\n"
    needs = sorted({n.id for part in [*cls.bases, *cls.decorator_list]
                    for n in ast.walk(part) if isinstance(n, ast.Name)})
    return Record(cls.name, kind, tuple(fields), cls, text, tuple(needs))


def _unwrap(ann: ast.expr, ctx: ModuleContext) -> tuple[ast.expr, ast.Call | None]:
    """``Annotated[T, named_output("x")]`` → (T, the marker call); anything else → (ann,
    None). Other ``Annotated`` metadata is left out of the shipped class too."""
    if not (isinstance(ann, ast.Subscript) and _qualified(ann.value, ctx) in _ANNOTATED and
            isinstance(ann.slice, ast.Tuple) and ann.slice.elts):
        return ann, None
    first, *meta = ann.slice.elts
    for m in meta:
        if isinstance(m, ast.Call) and (_qualified(m.func, ctx) or "") in _MARKERS:
            return first, m
    return first, None


def _marker_name(marker: ast.Call, problem: Report) -> str | None:
    """The name given to ``named_output("x")`` / ``artifact_output(name="x")``."""
    node: ast.expr | None = marker.args[0] if marker.args else next(
        (k.value for k in marker.keywords if k.arg == "name"), None)
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    problem("TPH542", "an output's name is a string literal", node)
    return None
