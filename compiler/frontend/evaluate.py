"""The static front end: walk a module's top-level statements in order and evaluate the DSL.

Only what can be known without running anything is evaluated: literals, DSL calls, names bound
to those. Everything else becomes :class:`Unknown`, which is an error only where the DSL needs
a value. Problems are collected as diagnostics; evaluation always carries on.
"""

from __future__ import annotations

import ast
from typing import Any

from tiphys.compiler.cancel import check as check_stop
from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.frontend.calls.artifacts import ARTIFACT_FUNCTIONS
from tiphys.compiler.frontend.calls.flow import NODE_FLOW_METHODS
from tiphys.compiler.frontend.calls.loops import BROKEN, LOOP_FUNCTIONS
from tiphys.compiler.frontend.calls.pod_kinds import POD_KIND_FUNCTIONS
from tiphys.compiler.frontend.calls.record_outputs import record_field, record_fields
from tiphys.compiler.frontend.imports import ImportBinding, canonical
from tiphys.compiler.frontend.literals import NotLiteral, evaluate_literal
from tiphys.compiler.frontend.module_context import ModuleContext, build_context, is_main_guard
from tiphys.compiler.frontend.nodes import children_in_order, ordered_walk
from tiphys.compiler.frontend.options.helpers import HELPERS
from tiphys.compiler.frontend.source import SourceFile, Span
from tiphys.compiler.frontend.values import (
    BoundMethod,
    CompositeVal,
    DepVal,
    DslFunc,
    EachVal,
    Lit,
    ModuleVal,
    NodeRec,
    NodeVal,
    OrDefaultMethod,
    OutputVal,
    TaskMethod,
    TaskVal,
    Unknown,
    Value,
    WorkflowVal,
    WorkflowVarVal,
)
from tiphys.compiler.ir.flow import RESULTS, DepResult
from tiphys.compiler.ir.loc import Loc

#: Names the runtime package exports (``tiphys.<name>``).
DSL_FUNCTIONS = frozenset({
    "task", "bash", "script", "container", "pipeline", "parallel", "dag", "workflow", "param", "mount",
    "pvc", "empty_dir", "config_map_volume", "secret_volume", "volume_claim", "hook",
    "suspend", "resource", "http", "template_ref", "composite", "choose",
    "or_default",
}) | ARTIFACT_FUNCTIONS | frozenset(HELPERS) | POD_KIND_FUNCTIONS | LOOP_FUNCTIONS
#: Values the runtime package exports that stand for something Argo fills in at run time.
DSL_VARIABLES = {"workflow_status": "workflow.status", "workflow_name": "workflow.name"}

NODE_METHODS = frozenset({"after", "named"}) | NODE_FLOW_METHODS


class Evaluator:
    def __init__(self, source: SourceFile, diags: Diagnostics) -> None:
        from tiphys.compiler.frontend.calls.core import CallHandlers

        self.source = source
        self.diags = diags
        self.ctx: ModuleContext = build_context(source.tree)
        self.env: dict[str, Value] = {}
        self.nodes: dict[int, NodeRec] = {}
        self.workflows: list[Any] = []  # workflow_calls.PendingWorkflow
        #: id(task definition) -> workflow parameters its own fields read through f-strings
        #: (a container's args, a bash source); every invocation of it declares them.
        self.option_params: dict[int, list[Any]] = {}
        self.stmt = 0
        self._uid = 0
        self.calls = CallHandlers(self)

    # -- helpers ----------------------------------------------------------------------------

    def loc(self, node: object) -> Loc:
        return Loc(self.source, self.stmt, node)

    def error(self, code: str, message: str, loc: Loc) -> None:
        line, col, end_line, end_col = loc.position()
        self.diags.error(code, message, loc.path, line, col, end_line, end_col)

    def warning(self, code: str, message: str, loc: Loc) -> None:
        line, col, end_line, end_col = loc.position()
        self.diags.warning(code, message, loc.path, line, col, end_line, end_col)

    def new_uid(self) -> int:
        self._uid += 1
        return self._uid

    # -- statements -------------------------------------------------------------------------

    def run(self) -> None:
        for index, stmt in enumerate(self.source.body):
            check_stop()  # the language server may no longer want this analysis
            self.stmt = index
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._function(stmt)
            elif isinstance(stmt, ast.ClassDef):
                self.env[stmt.name] = Unknown(f"class '{stmt.name}'")
                self._scan_nested_tasks(stmt)
            elif isinstance(stmt, ast.If) and is_main_guard(stmt):
                continue
            elif isinstance(stmt, _COMPOUND):
                self._compound(stmt)
            else:
                self._small(stmt)

    def _small(self, small: ast.stmt) -> None:
        if isinstance(small, (ast.Import, ast.ImportFrom)):
            aliases = set(map(id, small.names))
            for local, binding in self.ctx.bindings.items():
                if isinstance(binding, ImportBinding) and id(binding.node) in aliases:
                    self.env[local] = self._import_value(binding)
        elif isinstance(small, ast.Assign):
            value = self.expr(small.value)
            for target in small.targets:
                self._bind(target, value)
        elif isinstance(small, ast.AnnAssign):
            if small.value is not None:
                self._bind(small.target, self.expr(small.value))
        elif isinstance(small, ast.AugAssign):
            self._bind(small.target, Unknown("an augmented assignment"))
        elif isinstance(small, ast.Expr):
            self.expr(small.value)

    def _import_value(self, binding: ImportBinding) -> Value:
        name = canonical(binding.qualified)
        if binding.is_module:
            return ModuleVal(name)
        if name.startswith("tiphys.") and name.split(".", 1)[1] in DSL_FUNCTIONS:
            return DslFunc(name)
        if name.startswith("tiphys.") and name.split(".", 1)[1] in DSL_VARIABLES:
            return WorkflowVarVal(DSL_VARIABLES[name.split(".", 1)[1]])
        if name == "tiphys" or name.startswith("tiphys."):
            return ModuleVal(name)
        return Unknown(f"the imported name '{binding.local}'")

    def _bind(self, target: ast.expr, value: Value) -> None:
        if isinstance(target, ast.Name):
            if isinstance(value, NodeVal):
                rec = self.nodes[value.uid]
                if rec.hint_source == "task":
                    rec.name_hint = target.id
                    rec.hint_source = "variable"
            self.env[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            for el in target.elts:
                self._bind(el.value if isinstance(el, ast.Starred) else el,
                           Unknown("a value unpacked from a tuple"))

    def _function(self, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        task_decorators = [
            d for d in fn.decorator_list if self.ctx.dsl_name(_callee(d)) == "tiphys.task"
        ]
        if any(self.ctx.dsl_name(d) == "tiphys.composite" for d in fn.decorator_list):
            self.env[fn.name] = self.calls.composites.define(fn)
            return
        if not task_decorators:
            self.env[fn.name] = Unknown(f"the function '{fn.name}'")
            self._scan_nested_tasks(fn)
            return
        self.env[fn.name] = self.calls.tasks.python_task(fn, task_decorators[0])

    def _scan_nested_tasks(self, node: ast.stmt, where: str | None = None) -> None:
        """@task on a function that is not at module level: a closure or a method."""
        end = node.end_lineno or node.lineno
        if not any("@" in line for line in self.source.lines[node.lineno - 1:end]):
            return  # no decorator inside: nothing to walk
        for fn, what in _nested_tasks(self.ctx, node, where):
            self.error("TPH207", f"task '{fn.name}' is {what}; a task must be a function "
                       "defined at module level, so that it can be shipped on its own",
                       self.loc(self.source.def_name(fn)))

    def _compound(self, stmt: ast.stmt) -> None:
        """if/for/while/with/try at module level: not evaluated. DSL calls inside are flagged."""
        first = _first_dsl_call(self.ctx, stmt)
        if first is not None:
            self.warning("TPH101", "DSL calls inside a module-level "
                         f"'{_KEYWORDS[type(stmt)]}' block are not evaluated (tiphys "
                         "reads the file statically): move them to the top level",
                         self.loc(first))
        self._scan_nested_tasks(stmt, "defined inside a module-level block")
        for name, binding in self.ctx.bindings.items():
            if getattr(binding, "stmt", None) == self.stmt and name not in self.env:
                self.env[name] = Unknown(f"'{name}', assigned inside a block")

    # -- expressions ------------------------------------------------------------------------

    def expr(self, node: ast.expr) -> Value:
        if isinstance(node, ast.Name):
            value = self.env.get(node.id)
            if value is None:
                return Unknown(f"the name '{node.id}', which is not defined before this line")
            return value
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Attribute):
            return self._attribute(node)
        if isinstance(node, ast.Subscript):
            return self._subscript(node)
        if isinstance(node, ast.JoinedStr):
            return self.calls.composites.fstring(node)
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [self.expr(el) for el in node.elts if not isinstance(el, ast.Starred)]
            if len(items) == len(node.elts) and all(isinstance(v, Lit) for v in items):
                values = [v.value for v in items if isinstance(v, Lit)]
                return Lit(values if isinstance(node, ast.List) else tuple(values))
            return Unknown("a list of non-literal values")
        try:
            return Lit(evaluate_literal(node))
        except NotLiteral:
            return Unknown(f"the expression '{_short(self.source.segment(node))}'")

    def expr_list(self, node: ast.expr) -> list[tuple[Value, ast.expr]] | None:
        """Elements of a literal list/tuple expression, each evaluated, or None."""
        if isinstance(node, (ast.List, ast.Tuple)):
            return [(self.expr(_unstarred(el)), _unstarred(el)) for el in node.elts]
        value = self.expr(node)
        if isinstance(value, Lit) and isinstance(value.value, (list, tuple)):
            return [(Lit(v), node) for v in value.value]
        return None

    def attr_loc(self, node: ast.Attribute) -> Loc:
        """Where the attribute's name is written (after the dot)."""
        return self.loc(attr_span(node))

    def _attribute(self, node: ast.Attribute) -> Value:
        base = self.expr(node.value)
        attr = node.attr
        if isinstance(base, ModuleVal):
            name = canonical(f"{base.name}.{attr}")
            if name.startswith("tiphys.") and name.split(".", 1)[1] in DSL_FUNCTIONS:
                return DslFunc(name)
            if name.startswith("tiphys.") and name.split(".", 1)[1] in DSL_VARIABLES:
                return WorkflowVarVal(DSL_VARIABLES[name.split(".", 1)[1]])
            return ModuleVal(name)
        if isinstance(base, OutputVal) and attr == "or_default" and base.kind == "parameter":
            return OrDefaultMethod(base)
        if isinstance(base, EachVal):
            return self.calls.loops.field(base, attr, node, self.attr_loc(node))
        if isinstance(base, Unknown) and base.reason in BROKEN:
            return base
        if isinstance(base, TaskVal) and attr == "map":
            return TaskMethod(base, "map")
        if isinstance(base, TaskVal) and (attr in NODE_METHODS or attr in RESULTS
                                          or attr in ("output", "outputs")):
            self.error("TPH108", f"'{base.name}' is a task, not an invocation: call it first, "
                       f"as in {base.name.replace('-', '_')}(...).{attr}", self.attr_loc(node))
            return Unknown("an attribute of a task")
        if isinstance(base, NodeVal) and attr in RESULTS:
            return DepVal(DepResult(base.uid, RESULTS[attr], self.loc(node)))
        if isinstance(base, NodeVal) and attr == "ip":
            rec = self.nodes[base.uid]
            if not rec.task.options.extra.daemon:
                self.error("TPH182", f"'.ip' is the address of a daemon task; task "
                           f"'{rec.task.name}' is not one (daemon=True)", self.attr_loc(node))
                return Unknown("an ip of a non-daemon")
            return OutputVal(base.uid, "ip", "ip")
        if isinstance(base, NodeVal):
            if attr == "output":
                if record_fields(self.nodes[base.uid].task):
                    return BoundMethod(base.uid, "record")
                return self.calls.default_output(base, self.loc(node))
            if attr == "outputs":
                return BoundMethod(base.uid, "outputs")
            if attr in NODE_METHODS:
                return BoundMethod(base.uid, attr)
            self.error("TPH102", f"a task invocation has no attribute '{attr}': use '.output', "
                       "'.outputs[\"name\"]', '.after(...)', '.named(...)', '.when(...)', "
                       "'.continue_on(...)', '.on_exit(...)', '.hook(...)' or a result such as "
                       "'.failed'", self.attr_loc(node))
            return Unknown("an invalid attribute")
        if isinstance(base, BoundMethod) and base.method == "record":
            return record_field(self, base.uid, attr, self.attr_loc(node))
        return Unknown(f"the attribute '.{attr}'")

    def _subscript(self, node: ast.Subscript) -> Value:
        base = self.expr(node.value)
        if isinstance(base, BoundMethod) and base.method == "record":
            field = self.expr(node.slice)
            if isinstance(field, Lit) and isinstance(field.value, str):
                return record_field(self, base.uid, field.value, self.loc(node.slice))
        if isinstance(base, Unknown) and base.reason in BROKEN:
            return base
        if isinstance(base, EachVal):
            field = self.expr(node.slice)
            if isinstance(field, Lit) and isinstance(field.value, str):
                return self.calls.loops.field(base, field.value, node, self.loc(node))
            self.error("TPH522", "an item field is read with a string literal: "
                       "row[\"name\"]", self.loc(node))
            return Unknown("a subscript")
        if isinstance(base, BoundMethod) and base.method == "outputs":
            key: Value = Unknown("a subscript")
            if not isinstance(node.slice, (ast.Slice, ast.Tuple)):
                key = self.expr(node.slice)
            if isinstance(key, Lit) and isinstance(key.value, str):
                return self.calls.named_output(base.uid, key.value, self.loc(node))
            self.error("TPH103", "'.outputs[...]' takes a string literal, the output's name",
                       self.loc(node))
        return Unknown("a subscript")

    def _call(self, node: ast.Call) -> Value:
        callee = self.expr(node.func)
        if isinstance(callee, DslFunc):
            return self.calls.dsl(callee.name, node)
        if isinstance(callee, TaskVal):
            return self.calls.invoke(callee, node)
        if isinstance(callee, BoundMethod):
            return self.calls.method(callee, node)
        if isinstance(callee, OrDefaultMethod):
            return self.calls.composites.or_default_call(callee.output, node)
        if isinstance(callee, TaskMethod):
            return self.calls.flow.map_call(callee, node)
        if isinstance(callee, (NodeVal, CompositeVal, WorkflowVal, OutputVal, NodeRec)):
            self.error("TPH104", "this value cannot be called", self.loc(node.func))
        return Unknown(f"the result of calling '{_short(self.source.segment(node.func))}'")


#: Compound statements, and the keyword a diagnostic names them by.
_KEYWORDS: dict[type, str] = {
    ast.If: "if", ast.For: "for", ast.AsyncFor: "for", ast.While: "while", ast.With: "with",
    ast.AsyncWith: "with", ast.Try: "try", ast.TryStar: "try", ast.Match: "match",
}
_COMPOUND = tuple(_KEYWORDS)


def attr_span(node: ast.Attribute) -> Span:
    """The attribute's name: it ends where the attribute expression ends."""
    end_line = node.end_lineno or node.lineno
    end = node.end_col_offset if node.end_col_offset is not None else node.col_offset
    return Span(end_line, end - len(node.attr.encode("utf-8")), end_line, end)


def _unstarred(node: ast.expr) -> ast.expr:
    return node.value if isinstance(node, ast.Starred) else node


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."


def _callee(node: ast.expr) -> ast.expr:
    return node.func if isinstance(node, ast.Call) else node


def _first_dsl_call(ctx: ModuleContext, stmt: ast.stmt) -> ast.Call | None:
    for node in ordered_walk(stmt):
        if isinstance(node, ast.Call):
            name = ctx.dsl_name(node.func)
            if name is not None and name.startswith("tiphys.") and \
                    name.split(".", 1)[1] in DSL_FUNCTIONS - {"task"}:
                return node
    return None


def _nested_tasks(
    ctx: ModuleContext, root: ast.stmt, where: str | None
) -> list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, str]]:
    """Functions decorated with @task under *root*, with where they are defined."""
    found: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, str]] = []
    stack: list[tuple[ast.AST, str | None]] = [(root, where)]
    while stack:
        node, context = stack.pop()
        inner = context
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if context and any(ctx.dsl_name(_callee(d)) == "tiphys.task"
                               for d in node.decorator_list):
                found.append((node, context))
            inner = "a closure (defined inside a function)"
        elif isinstance(node, ast.ClassDef):
            inner = "a method (defined inside a class)"
        stack.extend((child, inner) for child in reversed(children_in_order(node)))
    return found
