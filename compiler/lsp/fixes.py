"""Quick fixes for diagnostics, as libcst transformations of the source text.

Independent of pygls, so they are unit-tested on text and usable by any front end. A fix is
found from a diagnostic's code and start position alone (the name under the position, the
function around it), so it works on diagnostics a client sends back, whatever their ``data``.

TPH210  undefined name in a task: add ``import name`` as the first statement of the function
        (after its docstring), when the name is a standard-library module or is imported
        inside another function of the file (that import statement is reused).
TPH216  a task uses a module variable that is not a literal: make it a parameter of the task
        and, at every invocation of the task in the file, pass ``name=param("name")`` (the
        value then comes from a workflow parameter); ``param`` is imported if needed.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import libcst as cst

from tiphys.compiler.frontend import module_context
from tiphys.compiler.lsp.annotations import dotted as _dotted
from tiphys.compiler.lsp.annotations import infer_annotation
from tiphys.compiler.lsp.edits import FIXABLE as FIXABLE
from tiphys.compiler.lsp.edits import LineEdit as LineEdit
from tiphys.compiler.lsp.edits import edit_range as edit_range
from tiphys.compiler.lsp.edits import line_edits as line_edits


@dataclass(frozen=True, slots=True)
class Fix:
    code: str
    #: What the editor shows in its light-bulb menu.
    title: str
    #: The whole document after the fix.
    text: str


def fixes_for(source: str, code: str, line: int, col: int) -> list[Fix]:
    """The fixes for diagnostic *code* at 1-based *line*, *col* of *source*."""
    if code not in FIXABLE:
        return []
    name = _identifier_at(source, line, col)
    if name is None:
        return []
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return []
    function = _function_at(source, line)
    if function is None:
        return []
    if code == "TPH210":
        statement = import_statement_for(module, name)
        if statement is None:
            return []
        text = add_import_in_function(module, function, statement)
        title = f"Add '{statement}' inside '{function}'"
    else:
        text = make_task_parameter(module, function, name)
        title = f"Make '{name}' a parameter of task '{function}' (a workflow parameter)"
    return [Fix(code, title, text)] if text is not None and text != source else []


# ------------------------------------------------------------------------- locating


def _identifier_at(source: str, line: int, col: int) -> str | None:
    lines = source.splitlines()
    if not 0 < line <= len(lines):
        return None
    text = lines[line - 1]
    start = col - 1
    end = start
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    name = text[start:end]
    return name if name.isidentifier() else None


def _function_at(source: str, line: int) -> str | None:
    """Name of the module-level function whose lines include *line*."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            if first <= line <= (node.end_lineno or node.lineno):
                return node.name
    return None


def _module_function(module: cst.Module, name: str) -> tuple[int, cst.FunctionDef] | None:
    """The last module-level ``def name`` (the binding that counts)."""
    found = None
    for index, stmt in enumerate(module.body):
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value == name:
            found = (index, stmt)
    return found


# -------------------------------------------------------------- TPH210: add an import


class _FunctionImports(cst.CSTVisitor):
    """Import statements inside function bodies: local name → statement text."""

    def __init__(self) -> None:
        self.depth = 0
        self.found: dict[str, str] = {}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_Import(self, node: cst.Import) -> None:
        if not self.depth:
            return
        for alias in node.names:
            full = _dotted(alias.name)
            if alias.asname is not None:
                local = _dotted(alias.asname.name)
                self.found.setdefault(local, f"import {full} as {local}")
            else:
                self.found.setdefault(full.split(".")[0], f"import {full}")

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if not self.depth or node.relative or node.module is None or \
                isinstance(node.names, cst.ImportStar):
            return
        module = _dotted(node.module)
        for alias in node.names:
            name = _dotted(alias.name)
            if alias.asname is not None:
                local = _dotted(alias.asname.name)
                self.found.setdefault(local, f"from {module} import {name} as {local}")
            else:
                self.found.setdefault(name, f"from {module} import {name}")


def import_statement_for(module: cst.Module, name: str) -> str | None:
    """How to import *name*: as another function of the file does, else as the standard
    library module of that name; None when neither applies."""
    finder = _FunctionImports()
    module.visit(finder)
    if name in finder.found:
        return finder.found[name]
    if name in sys.stdlib_module_names and not name.startswith("_"):
        return f"import {name}"
    return None


def _is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def add_import_in_function(module: cst.Module, function: str, statement: str) -> str | None:
    """*module*'s code with *statement* as the first statement of module-level *function*
    (after its docstring)."""
    found = _module_function(module, function)
    if found is None:
        return None
    index, fn = found
    new_stmt = cst.parse_statement(statement + "\n")
    body = fn.body
    if isinstance(body, cst.IndentedBlock):
        at = 1 if body.body and _is_docstring(body.body[0]) else 0
        new_body: cst.BaseSuite = body.with_changes(
            body=(*body.body[:at], new_stmt, *body.body[at:]))
    elif isinstance(body, cst.SimpleStatementSuite):  # ``def f(): return x``
        new_body = cst.IndentedBlock(body=(
            new_stmt,
            cst.SimpleStatementLine(body=body.body, trailing_whitespace=body.trailing_whitespace),
        ))
    else:
        return None
    return _replace_statement(module, index, fn.with_changes(body=new_body))


def _replace_statement(module: cst.Module, index: int, stmt: cst.BaseStatement) -> str:
    return module.with_changes(body=(*module.body[:index], stmt, *module.body[index + 1:])).code


# ------------------------------------------------------- TPH216: a task parameter


def _is_task(task: str, ctx: module_context.ModuleContext) -> bool:
    binding = ctx.bindings.get(task)
    return isinstance(binding, module_context.FunctionBinding) and any(
        ctx.dsl_name(d.func if isinstance(d, ast.Call) else d) == "tiphys.task"
        for d in binding.node.decorator_list)


def _module_variable(module: cst.Module, name: str,
                     ctx: module_context.ModuleContext) -> tuple[bool, cst.Annotation | None]:
    """(whether *name* is a module variable, its annotation if it has one)."""
    binding = ctx.bindings.get(name)
    if not isinstance(binding, module_context.OtherBinding) or "variable" not in binding.what:
        return False, None
    inferred: cst.Annotation | None = None
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) \
                        and small.target.value == name:
                    return True, small.annotation
                if isinstance(small, cst.Assign) and any(
                        isinstance(t.target, cst.Name) and t.target.value == name
                        for t in small.targets):
                    inferred = infer_annotation(small.value, ctx.bindings)
    return True, inferred


_Item = TypeVar("_Item", cst.Param, cst.Arg)


def _append(
    items: Sequence[_Item], new: _Item,
    first_gap: cst.BaseParenthesizableWhitespace | cst.MaybeSentinel | None = None,
) -> tuple[_Item, ...]:
    """*items* + *new*, keeping the list's layout: the new last item takes the old last
    item's (possibly trailing) comma, and the old last item gets the separator the others
    use, so a one-per-line list stays one per line."""
    if not items:
        return (new,)
    last = items[-1]
    if len(items) >= 2 and isinstance(items[-2].comma, cst.Comma):
        between: cst.Comma | cst.MaybeSentinel = items[-2].comma
    elif isinstance(last.comma, cst.Comma) and first_gap is not None and \
            isinstance(first_gap, cst.ParenthesizedWhitespace):
        between = cst.Comma(whitespace_after=first_gap)
    else:
        between = cst.MaybeSentinel.DEFAULT
    out = list(items[:-1])
    out += [last.with_changes(comma=between), new.with_changes(comma=last.comma)]
    return tuple(out)


def _with_parameter(fn: cst.FunctionDef, param: cst.Param) -> cst.FunctionDef:
    params = fn.params
    gap = fn.whitespace_before_params
    if isinstance(params.star_arg, cst.Param) or params.kwonly_params:
        new = params.with_changes(kwonly_params=_append(params.kwonly_params, param, gap))
    elif params.star_kwarg is None and not any(p.default is not None for p in params.params) \
            and not isinstance(params.star_arg, cst.ParamStar):
        new = params.with_changes(params=_append(params.params, param, gap))
    else:  # after parameters with defaults (or before **kwargs): keyword-only
        new = params.with_changes(star_arg=cst.ParamStar(), kwonly_params=(param,))
    return fn.with_changes(params=new)


def _param_reference(module: cst.Module) -> tuple[str, cst.Module]:
    """How the module refers to ``tiphys.param``, importing it if it does not yet."""
    from_tiphys: tuple[int, int, cst.ImportFrom] | None = None
    last_import = -1
    for index, stmt in enumerate(module.body):
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for k, small in enumerate(stmt.body):
            if isinstance(small, cst.Import):
                last_import = index
                for alias in small.names:
                    if _dotted(alias.name) == "tiphys":
                        local = _dotted(alias.asname.name) if alias.asname else "tiphys"
                        return f"{local}.param", module
            elif isinstance(small, cst.ImportFrom):
                last_import = index
                if small.relative or small.module is None or \
                        _dotted(small.module) not in ("tiphys", "tiphys.graph"):
                    continue
                if isinstance(small.names, cst.ImportStar):
                    return "param", module
                for alias in small.names:
                    if _dotted(alias.name) == "param":
                        return (_dotted(alias.asname.name) if alias.asname else "param"), module
                if _dotted(small.module) == "tiphys" and from_tiphys is None:
                    from_tiphys = (index, k, small)
    if from_tiphys is not None:
        index, k, small = from_tiphys
        assert not isinstance(small.names, cst.ImportStar)
        names = list(small.names)
        ordered = [_dotted(a.name) for a in names]
        alias = cst.ImportAlias(cst.Name("param"))
        if ordered == sorted(ordered):  # keep a sorted list sorted
            at = sum(1 for n in ordered if n < "param")
            if at < len(names):
                sep = names[at - 1].comma if at else names[0].comma
                if not isinstance(sep, cst.Comma):
                    sep = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                new_names = (*names[:at], alias.with_changes(comma=sep), *names[at:])
            else:
                new_names = _append_alias(names, alias)
        else:
            new_names = _append_alias(names, alias)
        stmt = module.body[index]
        assert isinstance(stmt, cst.SimpleStatementLine)
        new_small = small.with_changes(names=new_names)
        new_stmt = stmt.with_changes(body=(*stmt.body[:k], new_small, *stmt.body[k + 1:]))
        return "param", module.with_changes(
            body=(*module.body[:index], new_stmt, *module.body[index + 1:]))
    at = last_import + 1 if last_import >= 0 else (
        1 if module.body and _is_docstring(module.body[0]) else 0)
    new_import = cst.parse_statement("from tiphys import param\n")
    return "param", module.with_changes(body=(*module.body[:at], new_import, *module.body[at:]))


def _append_alias(
    names: list[cst.ImportAlias], alias: cst.ImportAlias,
) -> tuple[cst.ImportAlias, ...]:
    last = names[-1]
    if len(names) >= 2 and isinstance(names[-2].comma, cst.Comma):
        between: cst.Comma | cst.MaybeSentinel = names[-2].comma
    else:
        between = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return (*names[:-1], last.with_changes(comma=between), alias.with_changes(comma=last.comma))


class _AddKeyword(cst.CSTTransformer):
    """At module level (not inside functions or classes), add ``keyword=value`` to every call
    of *task* that does not pass it yet."""

    def __init__(self, task: str, keyword: str, value: cst.BaseExpression) -> None:
        self.task = task
        self.keyword = keyword
        self.value = value
        self.depth = 0
        self.changed = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef,
                          updated_node: cst.FunctionDef) -> cst.FunctionDef:
        self.depth -= 1
        return updated_node

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.depth += 1

    def leave_ClassDef(self, original_node: cst.ClassDef,
                       updated_node: cst.ClassDef) -> cst.ClassDef:
        self.depth -= 1
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if self.depth or not isinstance(updated_node.func, cst.Name) or \
                updated_node.func.value != self.task:
            return updated_node
        if any(a.keyword is not None and a.keyword.value == self.keyword
               for a in updated_node.args):
            return updated_node
        arg = cst.Arg(
            value=self.value, keyword=cst.Name(self.keyword),
            equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                  whitespace_after=cst.SimpleWhitespace("")),
        )
        self.changed += 1
        return updated_node.with_changes(args=_append(updated_node.args, arg,
                                                      updated_node.whitespace_before_args))


def make_task_parameter(module: cst.Module, task: str, name: str) -> str | None:
    """*module*'s code with module variable *name* turned into a parameter of *task*, and
    ``name=param("name")`` passed at each invocation of *task* in the file."""
    found = _module_function(module, task)
    if found is None:
        return None
    index, fn = found
    try:  # what the module binds, by the front end's own analysis
        ctx = module_context.build_context(ast.parse(module.code))
    except (SyntaxError, ValueError):
        return None
    is_variable, annotation = _module_variable(module, name, ctx)
    if not is_variable or not _is_task(task, ctx):
        return None
    existing = [*fn.params.posonly_params, *fn.params.params, *fn.params.kwonly_params]
    if any(p.name.value == name for p in existing):
        return None
    param = cst.Param(cst.Name(name), annotation=annotation)
    module = module.with_changes(body=(
        *module.body[:index], _with_parameter(fn, param), *module.body[index + 1:]))
    reference, with_import = _param_reference(module)
    value = cst.parse_expression(f'{reference}("{name}")')
    out = with_import.visit(_AddKeyword(task, name, value))
    assert isinstance(out, cst.Module)
    return out.code
