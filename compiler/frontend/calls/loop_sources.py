"""``task.map(...)``: what each argument loops over (a list literal, ``range``, ``sequence()``,
a list output or parameter), as a part of :class:`~tiphys.compiler.frontend.calls.flow.FlowHandlers`."""

from __future__ import annotations

import ast
import json
from typing import TYPE_CHECKING, Any

from tiphys.compiler import ir
from tiphys.compiler.frontend.arguments import call_args
from tiphys.compiler.frontend.values import (
    Lit,
    NodeVal,
    OutputVal,
    ParamVal,
    SequenceVal,
    TaskMethod,
    Unknown,
    Value,
)
from tiphys.compiler.ir import flow as ir_flow

if TYPE_CHECKING:
    from tiphys.compiler.frontend.calls.core import CallHandlers
    from tiphys.compiler.frontend.evaluate import Evaluator

_NUMERIC = frozenset({"int", "float"})


def literal_type(value: Any) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, dict):
        return "dict"
    return None


class LoopSources:
    """The loop methods of the flow handlers (a mixin: the attributes are FlowHandlers')."""

    ev: Evaluator
    calls: CallHandlers

    if TYPE_CHECKING:
        def error(self, code: str, message: str, node: object) -> None: ...
        def output_type(self, uid: int, output: str) -> str | None: ...

    def map_call(self, method: TaskMethod, call: ast.Call) -> Value:
        t = method.task.task
        if t is None:
            return Unknown("a map() of a broken task")
        if not any(not i.artifact for i in t.inputs) and call.args and not call.keywords:
            return self.calls.loops.map_without_inputs(t, call)
        return self.calls.make_node(t, call, self.ev.loc(call), mapped=True)

    def loop_source(
        self, name: str, node: ast.expr, value: Value, inp: ir.Input,
        params: list[ParamVal],
    ) -> ir_flow.Loop | None:
        """The loop an argument of ``task.map(...)`` describes, or None if it is not a list."""
        loc = self.ev.loc(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id == "range" and "range" not in self.ev.ctx.bindings:
            return self._range(name, node, loc)
        if isinstance(value, SequenceVal):
            params += value.params
            seq = value.loop
            return ir_flow.Loop(name, "sequence", start=seq.start, end=seq.end,
                                count=seq.count, loc=loc, format=seq.format)
        if isinstance(value, Lit) and isinstance(value.value, (list, tuple)):
            items = tuple(value.value)
            if not items:
                self.error("TPH412", "map() over an empty list runs nothing; give it items",
                           node)
                return None
            kinds = {literal_type(i) for i in items}
            if inp.type is not None and kinds - {inp.type} and \
                    not (kinds <= _NUMERIC and inp.type == "float"):
                self.error("TPH411", f"'{name}' expects {inp.type} items; this list holds "
                           f"{', '.join(sorted(k or '?' for k in kinds))}", node)
                return None
            if inp.decode not in ("str", "str-or-null"):
                # Argo writes a string item as it is and any other item as JSON; an input
                # decoded from JSON (Any, str | None, ...) needs the string as JSON too.
                items = tuple(json.dumps(i, ensure_ascii=False) if isinstance(i, str) else i
                              for i in items)
            return ir_flow.Loop(name, "items", items=items, loc=loc)
        if isinstance(value, NodeVal):
            out = self.calls.default_output(value, loc)
            value = out if isinstance(out, OutputVal) else value
        if isinstance(value, OutputVal):
            kind = self.output_type(value.uid, value.output)
            if kind in ("list", None):
                return ir_flow.Loop(name, "param", source=ir_flow.OutputOperand(
                    value.uid, value.output, kind, loc), loc=loc)
            return None
        if isinstance(value, ParamVal) and isinstance(value.default, (list, tuple)):
            params.append(value)
            return ir_flow.Loop(name, "param", source=ir_flow.ParamOperand(
                value.name, "list", loc), loc=loc)
        return None

    def _range(self, name: str, node: ast.Call, loc: Any) -> ir_flow.Loop | None:
        bounds = []
        args = call_args(node)
        for arg in args:
            value = self.ev.expr(arg.value)
            if len(args) > 2 or arg.keyword is not None or arg.star or not isinstance(value, Lit) or \
                    not isinstance(value.value, int) or isinstance(value.value, bool):
                self.error("TPH413", "map() over range() takes one or two integer literals "
                           "(a step is not supported by Argo's withSequence)", node)
                return None
            bounds.append(value.value)
        if len(bounds) == 1 and bounds[0] > 0:
            return ir_flow.Loop(name, "sequence", count=bounds[0], loc=loc)
        if len(bounds) == 2 and bounds[1] > bounds[0]:
            return ir_flow.Loop(name, "sequence", start=bounds[0], end=bounds[1] - 1, loc=loc)
        self.error("TPH413", "map() over range() needs range(n) with n > 0 or range(a, b) "
                   "with b > a", node)
        return None
