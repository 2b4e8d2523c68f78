"""A PythonTask's function → the script Argo runs, with the core's free-name analysis.

CloudHarness ships ``inspect.getsource(func)`` plus a bare ``func()`` call: not dedented, no
imports, no helpers, broken for decorated functions and lambdas. Here the function goes through
the same builder as a tiphys ``@task``
(:func:`tiphys.compiler.frontend.scripts.python_script.build_python_task`): the function as
written (a nested one dedented), the module imports, literal constants and helper functions it
uses, then a call with no arguments, as CloudHarness makes it. A name that belongs to an
enclosing function (a closure variable) cannot exist in the pod and is reported.
"""

from __future__ import annotations

import ast
import inspect
import symtable
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from tiphys.compiler import ir
from tiphys.compiler.cloudharness.model import Problem, error
from tiphys.compiler.cloudharness.syntax import param_name, parameters
from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.frontend.module_context import ModuleContext, build_context
from tiphys.compiler.frontend.scripts.python_script import build_python_task
from tiphys.compiler.frontend.scripts.symbols import def_names, first_read
from tiphys.compiler.frontend.source import SourceFile, read_source
from tiphys.compiler.ir.loc import Loc

#: ``cloudharness`` is installed in the CloudHarness base image: its imports are carried.
DSL_PACKAGES = frozenset({"tiphys"})

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def script_for(
    fn: FunctionNode, stmt: int, ctx: ModuleContext, source: SourceFile, task: str,
    closure: frozenset[str] | None,
) -> tuple[str | None, list[Problem]]:
    """The script for *fn* (top-level statement *stmt*). *closure*: the enclosing function's
    variables that *fn* reads, or None to compute them from the source."""
    fname = fn.name
    problems: list[Problem] = []
    if fn.decorator_list:
        problems.append(error(
            "TPH621", f"PythonTask '{task}': function '{fname}' is decorated; CloudHarness ships "
            "only the function's source (its decorator line breaks the indentation and the "
            "decorator is undefined in the pod): remove the decorator, or apply it inside the "
            "body", Loc(source, stmt, source.decorator(fn.decorator_list[0]))))
        return None, problems
    for p, default in parameters(fn.args):
        if default is None:
            problems.append(error(
                "TPH623", f"PythonTask '{task}': CloudHarness calls '{fname}' with no arguments, "
                f"so parameter '{p.arg}' needs a default; pass values as task keyword "
                "arguments instead (they become environment variables)",
                Loc(source, stmt, param_name(p))))
    if closure is None:
        closure = closure_names(fn, stmt, source) if source.body[stmt] is not fn \
            else frozenset()
    code = source.function_text(fn)
    for name in sorted(set(def_names(fn, code).free) & closure):
        problems.append(error(
            "TPH624", f"PythonTask '{task}': '{name}' is a variable of the function enclosing "
            f"'{fname}'; only '{fname}' itself is shipped, so it would be undefined in the pod: "
            "define it inside the function, or pass it as a task keyword argument (an "
            "environment variable)", Loc(source, stmt, first_read(fn, name, source))))
    built = build_python_task(fn, stmt, task, ir.TaskOptions(), ctx, source, bare_call=True,
                              closure=closure, dsl_packages=DSL_PACKAGES)
    problems += [error(p.code, p.message, p.loc) for p in built.problems]
    if problems or built.task is None:
        return None, problems
    return built.task.script, problems


def closure_names(fn: FunctionNode, stmt: int, source: SourceFile) -> frozenset[str]:
    """Names *fn* (nested in top-level statement *stmt*) takes from enclosing functions, from
    CPython's own symbol table of that statement (it parses, it runs nothing)."""
    top_node = source.body[stmt]
    first = min([top_node.lineno, *(d.lineno for d in getattr(top_node, "decorator_list", ()))])
    last = top_node.end_lineno if top_node.end_lineno is not None else top_node.lineno
    text = "\n".join(source.lines[first - 1:last]) + "\n"
    try:
        top = symtable.symtable(text, "<statement>", "exec")
    except (SyntaxError, ValueError):
        return frozenset()
    line = fn.lineno - first + 1
    for table in _tables(top):
        if table.get_type() == "function" and table.get_name() == fn.name and \
                table.get_lineno() == line and isinstance(table, symtable.Function):
            return frozenset(table.get_frees())
    return frozenset()


def _tables(table: symtable.SymbolTable) -> Iterator[symtable.SymbolTable]:
    for child in table.get_children():
        yield child
        yield from _tables(child)


# -- run time --------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _parsed(path: str, text: str) -> tuple[SourceFile, ModuleContext] | None:
    source = read_source(path, Diagnostics(), text)
    if source is None:
        return None
    return source, build_context(source.tree)


def runtime_script(func: Callable[..., Any], task: str) -> tuple[str | None, list[Problem]]:
    """The script for a live function (``tiphys.cloudharness`` at run time): its module's
    source is read and analysed exactly as the static compiler does."""
    name = getattr(func, "__name__", "")
    code = getattr(func, "__code__", None)
    if name == "<lambda>":
        return None, [error("TPH620", f"PythonTask '{task}': the function is a lambda; "
                            "CloudHarness cannot ship a lambda's source: write a def", None)]
    if code is None:
        return None, [error("TPH622", f"PythonTask '{task}': {func!r} is not a Python function "
                            "defined in source", None)]
    try:
        path = inspect.getsourcefile(func) or ""
        text = "".join(inspect.findsource(func)[0])
    except (OSError, TypeError):
        return None, [error("TPH622", f"PythonTask '{task}': the source of '{name}' is not "
                            "available (define it in a .py file)", None)]
    parsed = _parsed(path, text)
    if parsed is None:
        return None, [error("TPH622", f"PythonTask '{task}': cannot parse {path}", None)]
    source, ctx = parsed
    found = _locate(source, name, code.co_firstlineno)
    if found is None:
        return None, [error("TPH622", f"PythonTask '{task}': cannot find the definition of "
                            f"'{name}' in {path}", None)]
    stmt, fn = found
    return script_for(fn, stmt, ctx, source, task, frozenset(code.co_freevars))


def _locate(source: SourceFile, name: str, line: int) -> tuple[int, FunctionNode] | None:
    for index, top in enumerate(source.body):
        for fn in _functions(top):
            if fn.name != name:
                continue
            starts = {fn.lineno}
            if fn.decorator_list:
                starts.add(fn.decorator_list[0].lineno)
            if line in starts:
                return index, fn
    return None


def _functions(node: ast.AST) -> Iterator[FunctionNode]:
    for found in ast.walk(node):
        if isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield found
