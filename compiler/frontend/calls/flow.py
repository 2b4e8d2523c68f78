"""Control flow on invocations, read statically: ``.when(...)``, ``.after(a.failed | b)``,
``.continue_on(...)``, ``.on_exit(...)``, ``.hook(...)``, ``task.map(...)`` and workflow hooks.

Conditions are Python comparisons written in the DSL file (``coin.output == "heads"``); they
are never evaluated, only translated: each operand must be another node's output, a workflow
parameter, ``workflow_status``/``workflow_name`` or a literal, and the two sides of a
comparison must have compatible types.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from tiphys.compiler import ir
from tiphys.compiler.frontend.arguments import Signature, bind
from tiphys.compiler.frontend.calls.loop_sources import LoopSources, literal_type
from tiphys.compiler.frontend.calls.loops import BROKEN
from tiphys.compiler.frontend.calls.record_outputs import field_type
from tiphys.compiler.frontend.source import Span
from tiphys.compiler.frontend.values import (
    BoundMethod,
    CompositeVal,
    DepVal,
    DslFunc,
    HookVal,
    InputVal,
    ItemVal,
    Lit,
    NodeVal,
    OutputVal,
    ParamVal,
    TaskVal,
    Unknown,
    Value,
    WorkflowVarVal,
    describe,
)
from tiphys.compiler.ir import flow as ir_flow

if TYPE_CHECKING:
    from tiphys.compiler.frontend.calls.core import CallHandlers
    from tiphys.compiler.frontend.evaluate import Evaluator

_COMPARE: dict[type, str] = {
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
}
#: How the other comparison operators are written.
_OTHER_COMPARE: dict[type, str] = {
    ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in",
}
_OPERATOR = re.compile(r"==|!=|<=|>=|<|>|is[ \t\\\n]+not\b|is\b|not[ \t\\\n]+in\b|in\b")
_NUMERIC = frozenset({"int", "float"})
NODE_FLOW_METHODS = frozenset({"when", "continue_on", "on_exit", "hook"})


class FlowHandlers(LoopSources):
    def __init__(self, ev: Evaluator, calls: CallHandlers) -> None:
        self.ev = ev
        self.calls = calls
        #: Where workflow parameters read by the condition being compiled are recorded (the
        #: invocation's, so the workflow that runs it declares them).
        self._params: list[ParamVal] = []
        #: The loop of the invocation whose condition is being compiled (items it may test).
        self._loop: ir_flow.Loop | None = None
        self._uid: int | None = None

    def error(self, code: str, message: str, node: object) -> None:
        self.ev.error(code, message, self.ev.loc(node))

    # -- operands and types ------------------------------------------------------------------

    def output_type(self, uid: int, output: str) -> str | None:
        rec = self.ev.nodes[uid]
        if rec.loop is not None:
            return "list"  # a loop's output is the list of its runs' outputs
        t = rec.task
        if isinstance(t, ir.PythonTask) and t.fields:
            return field_type(t, output)
        if isinstance(t, ir.PythonTask):
            return t.return_type
        if isinstance(t, ir.DataTask):
            return "list"  # a JSON list of keys
        return "str"  # stdout and container output files are text

    def operand(self, node: ast.expr) -> ir_flow.Operand | None:
        value = self.ev.expr(node)
        loc = self.ev.loc(node)
        if isinstance(value, NodeVal):
            value = self.calls.default_output(value, loc)
        if isinstance(value, OutputVal):
            return ir_flow.OutputOperand(value.uid, value.output,
                                         self.output_type(value.uid, value.output), loc)
        if isinstance(value, ParamVal):
            self._params.append(value)
            kind = literal_type(value.default) if value.has_default else None
            return ir_flow.ParamOperand(value.name, kind, loc)
        if isinstance(value, WorkflowVarVal):
            return ir_flow.WorkflowOperand(value.variable, loc)
        if isinstance(value, InputVal) and value.artifact:
            self.error("TPH512", f"composite input '{value.name}' is an artifact (a file), "
                       "not a value a condition can compare", node)
            return None
        if isinstance(value, InputVal):
            return ir_flow.ParamOperand(value.name, value.type, loc, composite_input=True)
        if isinstance(value, ItemVal):
            return self.calls.loops.operand(value, self._loop, self._uid, node)
        if isinstance(value, Lit):
            if literal_type(value.value) not in ("str", "int", "float", "bool"):
                self.error("TPH401", "a condition compares strings, numbers and booleans; "
                           f"{describe(value)} is none of them", node)
                return None
            text = str(value.value)
            if "{{" in text or "}}" in text:
                self.error("TPH401", "a string in a condition cannot contain '{{' or '}}', "
                           "which Argo reads as template tags", node)
                return None
            return ir_flow.LiteralOperand(value.value, loc)
        if not isinstance(value, Unknown) or not (
                "missing output" in value.reason or value.reason in BROKEN):
            self.error("TPH402", "a condition can only use other tasks' outputs, workflow "
                       "parameters, workflow_status/workflow_name and literals; this is "
                       f"{describe(value)}", node)
        return None

    @staticmethod
    def operand_type(op: ir_flow.Operand) -> str | None:
        if isinstance(op, ir_flow.LiteralOperand):
            return literal_type(op.value)
        if isinstance(op, ir_flow.WorkflowOperand):
            return "str"
        return op.type

    # -- conditions ----------------------------------------------------------------------------

    def condition(self, node: ast.expr) -> ir_flow.Condition | None:
        if isinstance(node, ast.Compare):
            return self._comparison(node)
        if isinstance(node, ast.BoolOp):
            op = "&&" if isinstance(node.op, ast.And) else "||"
            sides = [self.condition(value) for value in node.values]
            if any(side is None for side in sides):
                return None
            items: list[ir_flow.Condition] = []
            for side in sides:  # flatten a and (b and c)
                assert side is not None
                if isinstance(side, ir_flow.BoolOp) and side.op == op:
                    items += side.items
                else:
                    items.append(side)
            return ir_flow.BoolOp(op, tuple(items))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.condition(node.operand)
            return ir_flow.Not(inner) if inner is not None else None
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)) and \
                not isinstance(getattr(node.func, "value", None), ast.Call) and \
                self.ev.expr(node.func) == DslFunc("tiphys.matches"):
            subject = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg == "value"), None)
            target = self.operand(subject) if subject is not None else None
            return self.calls.loops.matches(node, target)
        operand = self.operand(node)
        if operand is None:
            return None
        kind = self.operand_type(operand)
        if kind not in (None, "bool"):
            self.error("TPH403", f"a bare value in a condition must be a bool; this is a "
                       f"{kind}: compare it (for example `!= \"\"` or `> 0`)", node)
            return None
        return ir_flow.Truthy(operand)

    def _comparison(self, node: ast.Compare) -> ir_flow.Condition | None:
        parts: list[ir_flow.Condition] = []
        left_node: ast.expr = node.left
        for operator, comparator in zip(node.ops, node.comparators, strict=True):
            op = _COMPARE.get(type(operator))
            if op is None:
                self.error("TPH404", "conditions support ==, !=, <, <=, > and >=; "
                           f"'{_OTHER_COMPARE.get(type(operator), '?')}' is not one of them",
                           self._operator_span(left_node, comparator))
                return None
            left = self.operand(left_node)
            right = self.operand(comparator)
            if left is None or right is None:
                return None
            lt, rt = self.operand_type(left), self.operand_type(right)
            if lt is not None and rt is not None and lt != rt and not (
                lt in _NUMERIC and rt in _NUMERIC
            ):
                self.error("TPH405", f"this condition compares a {lt} with a {rt}; they are "
                           "never equal at run time: compare values of the same type", node)
                return None
            kinds = {lt, rt} - {None}
            if op not in ("==", "!=") and kinds and not kinds <= _NUMERIC:
                self.error("TPH405", f"'{op}' compares numbers; this compares a "
                           f"{' and a '.join(sorted(k or '?' for k in kinds))}", node)
                return None
            if kinds & {"list", "dict"}:
                self.error("TPH405", "a condition cannot compare lists or dicts; compare a "
                           "single value (return it from a task)", node)
                return None
            parts.append(ir_flow.Compare(op, left, right))
            left_node = comparator
        return parts[0] if len(parts) == 1 else ir_flow.BoolOp("&&", tuple(parts))

    def _operator_span(self, left: ast.expr, right: ast.expr) -> Span:
        """Where a comparison operator is written (``ast`` gives operators no position):
        in the text between its two operands."""
        source = self.ev.source
        assert left.end_lineno is not None and left.end_col_offset is not None
        gap = Span(left.end_lineno, left.end_col_offset, right.lineno, right.col_offset)
        text = source.segment(gap)
        found = _OPERATOR.search(text)
        if found is None:
            return gap
        before = text[:found.start()]
        line = gap.lineno + before.count("\n")
        start = (len(before) - before.rfind("\n") - 1) if "\n" in before else None
        prefix = source.lines[line - 1][:start] if start is not None else ""
        col = len(prefix.encode("utf-8")) if start is not None else \
            gap.col_offset + len(before.encode("utf-8"))
        end_text = text[:found.end()]
        end_line = gap.lineno + end_text.count("\n")
        if end_line == line:
            return Span(line, col, line, col + len(found.group().encode("utf-8")))
        tail = end_text[end_text.rfind("\n") + 1:]
        return Span(line, col, end_line, len(tail.encode("utf-8")))

    # -- dependency logic --------------------------------------------------------------------

    def depends(self, node: ast.expr) -> ir_flow.Depends | None:
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitOr, ast.BitAnd)):
            left = self.depends(node.left)
            right = self.depends(node.right)
            if left is None or right is None:
                return None
            return ir_flow.DepBool("||" if isinstance(node.op, ast.BitOr) else "&&",
                                   (left, right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
            inner = self.depends(node.operand)
            return ir_flow.DepNot(inner) if inner is not None else None
        value = self.ev.expr(node)
        if isinstance(value, DepVal):
            return value.dep
        if isinstance(value, NodeVal):
            return ir_flow.DepResult(value.uid, None, self.ev.loc(node))
        self.error("TPH420", ".after() takes invocations and results such as a.failed, "
                   f"combined with | and &; this is {describe(value)}", node)
        return None

    # -- methods -----------------------------------------------------------------------------

    def method(self, bound: BoundMethod, call: ast.Call) -> Value:
        rec = self.ev.nodes[bound.uid]
        self._params = rec.params
        self._loop, self._uid = rec.loop, rec.uid
        if bound.method == "when":
            b = bind(call, Signature(("condition",), (), ("condition",)), ".when()")
            self.calls.report(b.problems)
            if "condition" in b.args:
                if rec.when is not None:
                    self.error("TPH406", "this invocation already has a condition; combine "
                               "them with 'and' in one .when()", call)
                rec.when = self.condition(b.args["condition"])
        elif bound.method == "continue_on":
            b = bind(call, Signature((), ("failed", "error")), ".continue_on()")
            self.calls.report(b.problems)
            failed = self._flag(b.args.get("failed"), "failed")
            error = self._flag(b.args.get("error"), "error")
            if not (failed or error):
                self.error("TPH421", ".continue_on() needs failed=True and/or error=True", call)
            rec.continue_on = ir_flow.ContinueOn(failed, error)
        elif bound.method == "on_exit":
            b = bind(call, Signature(("handler",), (), ("handler",)), ".on_exit()")
            self.calls.report(b.problems)
            handler = self._handler(b.args.get("handler"))
            if handler is not None:
                rec.hooks.append(ir_flow.Hook("exit", handler, None, self.ev.loc(call)))
        elif bound.method == "hook":
            b = bind(call, Signature(("name", "handler"), ("when",), ("name", "handler", "when")),
                     ".hook()")
            self.calls.report(b.problems)
            name = self.calls.opts.string(b.args.get("name"), "name")
            handler = self._handler(b.args.get("handler"))
            cond = self.condition(b.args["when"]) if "when" in b.args else None
            if name and handler is not None and cond is not None:
                rec.hooks.append(ir_flow.Hook(name, handler, cond, self.ev.loc(call)))
        return NodeVal(bound.uid)

    def _flag(self, node: ast.expr | None, what: str) -> bool:
        if node is None:
            return False
        value = self.calls.opts.lit(node, what, "True or False")
        if isinstance(value, bool):
            return value
        if value is not None:
            self.error("TPH131", f"'{what}' must be True or False", node)
        return False

    def _handler(self, node: ast.expr | None) -> int | None:
        if node is None:
            return None
        value = self.ev.expr(node)
        if isinstance(value, TaskVal) and value.task is not None:
            value = self.calls.make_node(value.task, None, self.ev.loc(node))
        if isinstance(value, CompositeVal):
            return self.calls.composites.handler_node(value, self.ev.loc(node))
        if isinstance(value, NodeVal):
            return value.uid
        self.error("TPH430", f"a handler is a task invocation; this is {describe(value)}", node)
        return None

    def hook_call(self, call: ast.Call) -> Value:
        """``hook(handler, when=...)`` for ``workflow(..., hooks={...})``."""
        b = bind(call, Signature(("handler",), ("when",), ("handler", "when")), "hook()")
        self.calls.report(b.problems)
        handler = self._handler(b.args.get("handler"))
        self._loop = self._uid = None
        if handler is not None:
            self._params = self.ev.nodes[handler].params
        cond = self.condition(b.args["when"]) if "when" in b.args else None
        if handler is None or cond is None:
            return Unknown("a broken hook()")
        return HookVal(handler, cond, self.ev.loc(call))
