"""The static front end: walk a module's top-level statements in order and evaluate the DSL.

Only what can be known without running anything is evaluated: literals, DSL calls, names bound
to those. Everything else becomes :class:`Unknown`, which is an error only where the DSL needs
a value. Problems are collected as diagnostics; evaluation always carries on.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.frontend.calls.artifacts import ARTIFACT_FUNCTIONS
from tiphys.compiler.frontend.calls.flow import NODE_FLOW_METHODS
from tiphys.compiler.frontend.imports import ImportBinding, canonical
from tiphys.compiler.frontend.literals import NotLiteral, evaluate_literal
from tiphys.compiler.frontend.module_context import ModuleContext, build_context
from tiphys.compiler.frontend.options.helpers import HELPERS
from tiphys.compiler.frontend.source import SourceFile
from tiphys.compiler.frontend.values import (
    BoundMethod,
    CompositeVal,
    DepVal,
    DslFunc,
    Lit,
    ModuleVal,
    NodeRec,
    NodeVal,
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
    "task", "bash", "container", "pipeline", "parallel", "dag", "workflow", "param", "mount",
    "pvc", "empty_dir", "config_map_volume", "secret_volume", "volume_claim", "hook",
    "suspend", "resource", "http", "template_ref",
}) | ARTIFACT_FUNCTIONS | frozenset(HELPERS)
#: Values the runtime package exports that stand for something Argo fills in at run time.
DSL_VARIABLES = {"workflow_status": "workflow.status", "workflow_name": "workflow.name"}

NODE_METHODS = frozenset({"after", "named"}) | NODE_FLOW_METHODS


class Evaluator:
    def __init__(self, source: SourceFile, diags: Diagnostics) -> None:
        from tiphys.compiler.frontend.calls.core import CallHandlers

        self.source = source
        self.diags = diags
        self.ctx: ModuleContext = build_context(source.module)
        self.env: dict[str, Value] = {}
        self.nodes: dict[int, NodeRec] = {}
        self.workflows: list[Any] = []  # workflow_calls.PendingWorkflow
        self.stmt = 0
        self._uid = 0
        self.calls = CallHandlers(self)

    # -- helpers ----------------------------------------------------------------------------

    def loc(self, node: cst.CSTNode) -> Loc:
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
        for index, stmt in enumerate(self.source.module.body):
            self.stmt = index
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    self._small(small)
            elif isinstance(stmt, cst.FunctionDef):
                self._function(stmt)
            elif isinstance(stmt, cst.ClassDef):
                self.env[stmt.name.value] = Unknown(f"class '{stmt.name.value}'")
                self._scan_nested_tasks(stmt)
            elif isinstance(stmt, cst.If) and _is_main_guard(stmt):
                continue
            else:
                self._compound(stmt)

    def _small(self, small: cst.BaseSmallStatement) -> None:
        if isinstance(small, (cst.Import, cst.ImportFrom)):
            for local, binding in self.ctx.bindings.items():
                if isinstance(binding, ImportBinding) and binding.node in _aliases(small):
                    self.env[local] = self._import_value(binding)
        elif isinstance(small, cst.Assign):
            value = self.expr(small.value)
            for target in small.targets:
                self._bind(target.target, value)
        elif isinstance(small, cst.AnnAssign):
            if small.value is not None:
                self._bind(small.target, self.expr(small.value))
        elif isinstance(small, cst.AugAssign):
            self._bind(small.target, Unknown("an augmented assignment"))
        elif isinstance(small, cst.Expr):
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

    def _bind(self, target: cst.BaseExpression, value: Value) -> None:
        if isinstance(target, cst.Name):
            if isinstance(value, NodeVal):
                rec = self.nodes[value.uid]
                if rec.hint_source == "task":
                    rec.name_hint = target.value
                    rec.hint_source = "variable"
            self.env[target.value] = value
        elif isinstance(target, (cst.Tuple, cst.List)):
            for el in target.elements:
                self._bind(el.value, Unknown("a value unpacked from a tuple"))

    def _function(self, fn: cst.FunctionDef) -> None:
        task_decorators = [
            d for d in fn.decorators
            if self.ctx.dsl_name(_callee(d.decorator)) == "tiphys.task"
        ]
        if not task_decorators:
            self.env[fn.name.value] = Unknown(f"the function '{fn.name.value}'")
            self._scan_nested_tasks(fn)
            return
        self.env[fn.name.value] = self.calls.python_task(fn, task_decorators[0].decorator)

    def _scan_nested_tasks(self, node: cst.CSTNode, where: str | None = None) -> None:
        """@task on a function that is not at module level: a closure or a method."""
        finder = _NestedTaskFinder(self.ctx, where)
        node.visit(finder)
        for fn, what in finder.found:
            self.error("TPH207", f"task '{fn.name.value}' is {what}; a task must be a function "
                       "defined at module level, so that it can be shipped on its own",
                       self.loc(fn.name))

    def _compound(self, stmt: cst.BaseCompoundStatement) -> None:
        """if/for/while/with/try at module level: not evaluated. DSL calls inside are flagged."""
        finder = _DslCallFinder(self.ctx)
        stmt.visit(finder)
        for call in finder.found[:1]:
            self.warning("TPH101", "DSL calls inside a module-level "
                         f"'{type(stmt).__name__.lower()}' block are not evaluated (tiphys "
                         "reads the file statically): move them to the top level",
                         self.loc(call))
        self._scan_nested_tasks(stmt, "defined inside a module-level block")
        for name, binding in self.ctx.bindings.items():
            if getattr(binding, "stmt", None) == self.stmt and name not in self.env:
                self.env[name] = Unknown(f"'{name}', assigned inside a block")

    # -- expressions ------------------------------------------------------------------------

    def expr(self, node: cst.BaseExpression) -> Value:
        if isinstance(node, cst.Name):
            if node.value in ("True", "False", "None"):
                return Lit(evaluate_literal(node))
            value = self.env.get(node.value)
            if value is None:
                return Unknown(f"the name '{node.value}', which is not defined before this line")
            return value
        if isinstance(node, cst.Call):
            return self._call(node)
        if isinstance(node, cst.Attribute):
            return self._attribute(node)
        if isinstance(node, cst.Subscript):
            return self._subscript(node)
        if isinstance(node, (cst.List, cst.Tuple)):
            items = [self.expr(el.value) for el in node.elements
                     if not isinstance(el, cst.StarredElement)]
            if len(items) == len(node.elements) and all(isinstance(v, Lit) for v in items):
                values = [v.value for v in items if isinstance(v, Lit)]
                return Lit(values if isinstance(node, cst.List) else tuple(values))
            return Unknown("a list of non-literal values")
        try:
            return Lit(evaluate_literal(node))
        except NotLiteral:
            return Unknown(f"the expression '{_short(self.source.module.code_for_node(node))}'")

    def expr_list(self, node: cst.BaseExpression) -> list[tuple[Value, cst.BaseExpression]] | None:
        """Elements of a literal list/tuple expression, each evaluated, or None."""
        if isinstance(node, (cst.List, cst.Tuple)):
            return [(self.expr(el.value), el.value) for el in node.elements]
        value = self.expr(node)
        if isinstance(value, Lit) and isinstance(value.value, (list, tuple)):
            return [(Lit(v), node) for v in value.value]
        return None

    def _attribute(self, node: cst.Attribute) -> Value:
        base = self.expr(node.value)
        attr = node.attr.value
        if isinstance(base, ModuleVal):
            name = canonical(f"{base.name}.{attr}")
            if name.startswith("tiphys.") and name.split(".", 1)[1] in DSL_FUNCTIONS:
                return DslFunc(name)
            if name.startswith("tiphys.") and name.split(".", 1)[1] in DSL_VARIABLES:
                return WorkflowVarVal(DSL_VARIABLES[name.split(".", 1)[1]])
            return ModuleVal(name)
        if isinstance(base, TaskVal) and attr == "map":
            return TaskMethod(base, "map")
        if isinstance(base, TaskVal) and (attr in NODE_METHODS or attr in RESULTS
                                          or attr in ("output", "outputs")):
            self.error("TPH108", f"'{base.name}' is a task, not an invocation: call it first, "
                       f"as in {base.name.replace('-', '_')}(...).{attr}", self.loc(node.attr))
            return Unknown("an attribute of a task")
        if isinstance(base, NodeVal) and attr in RESULTS:
            return DepVal(DepResult(base.uid, RESULTS[attr], self.loc(node)))
        if isinstance(base, NodeVal) and attr == "ip":
            rec = self.nodes[base.uid]
            if not rec.task.options.extra.daemon:
                self.error("TPH182", f"'.ip' is the address of a daemon task; task "
                           f"'{rec.task.name}' is not one (daemon=True)", self.loc(node.attr))
                return Unknown("an ip of a non-daemon")
            return OutputVal(base.uid, "ip", "ip")
        if isinstance(base, NodeVal):
            if attr == "output":
                return self.calls.default_output(base, self.loc(node))
            if attr == "outputs":
                return BoundMethod(base.uid, "outputs")
            if attr in NODE_METHODS:
                return BoundMethod(base.uid, attr)
            self.error("TPH102", f"a task invocation has no attribute '{attr}': use '.output', "
                       "'.outputs[\"name\"]', '.after(...)', '.named(...)', '.when(...)', "
                       "'.continue_on(...)', '.on_exit(...)', '.hook(...)' or a result such as "
                       "'.failed'", self.loc(node.attr))
            return Unknown("an invalid attribute")
        return Unknown(f"the attribute '.{attr}'")

    def _subscript(self, node: cst.Subscript) -> Value:
        base = self.expr(node.value)
        if isinstance(base, BoundMethod) and base.method == "outputs":
            key: Value = Unknown("a subscript")
            if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                key = self.expr(node.slice[0].slice.value)
            if isinstance(key, Lit) and isinstance(key.value, str):
                return self.calls.named_output(base.uid, key.value, self.loc(node))
            self.error("TPH103", "'.outputs[...]' takes a string literal, the output's name",
                       self.loc(node))
        return Unknown("a subscript")

    def _call(self, node: cst.Call) -> Value:
        callee = self.expr(node.func)
        if isinstance(callee, DslFunc):
            return self.calls.dsl(callee.name, node)
        if isinstance(callee, TaskVal):
            return self.calls.invoke(callee, node)
        if isinstance(callee, BoundMethod):
            return self.calls.method(callee, node)
        if isinstance(callee, TaskMethod):
            return self.calls.flow.map_call(callee, node)
        if isinstance(callee, (NodeVal, CompositeVal, WorkflowVal, OutputVal, NodeRec)):
            self.error("TPH104", "this value cannot be called", self.loc(node.func))
        return Unknown(f"the result of calling '{_short(self.source.module.code_for_node(node.func))}'")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."


def _callee(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.func if isinstance(node, cst.Call) else node


def _aliases(stmt: cst.Import | cst.ImportFrom) -> tuple[cst.CSTNode, ...]:
    if isinstance(stmt.names, cst.ImportStar):
        return ()
    return tuple(stmt.names)


def _is_main_guard(stmt: cst.If) -> bool:
    test = stmt.test
    return (
        isinstance(test, cst.Comparison)
        and isinstance(test.left, cst.Name)
        and test.left.value == "__name__"
    )


class _DslCallFinder(cst.CSTVisitor):
    def __init__(self, ctx: ModuleContext) -> None:
        self.ctx = ctx
        self.found: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        name = self.ctx.dsl_name(node.func)
        if name is not None and name.startswith("tiphys.") and \
                name.split(".", 1)[1] in DSL_FUNCTIONS - {"task"}:
            self.found.append(node)


class _NestedTaskFinder(cst.CSTVisitor):
    def __init__(self, ctx: ModuleContext, where: str | None) -> None:
        self.ctx = ctx
        self.found: list[tuple[cst.FunctionDef, str]] = []
        self._where: list[str] = [where] if where else []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self._where and any(
            self.ctx.dsl_name(_callee(d.decorator)) == "tiphys.task" for d in node.decorators
        ):
            self.found.append((node, self._where[-1]))
        self._where.append("a closure (defined inside a function)")

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._where.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._where.append("a method (defined inside a class)")

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._where.pop()

