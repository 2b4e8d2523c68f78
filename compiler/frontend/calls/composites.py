"""Reusable composites, f-strings with template values, and outputs chosen at run time.

- ``@composite def f(x: str): return pipeline(...)``: the body is evaluated once, with each
  parameter standing for the template's input; the result is an :class:`ir.CompositeTask`,
  called like any task (a call is an ordinary invocation, so ``.when``, ``.map``, ``.after``
  and outputs work on it).
- ``f"hello-{name}"`` where ``name`` is a parameter, an input or an output: an
  :class:`ir.Interpolated` argument, lowered to Argo's template tags.
- ``choose(a.output, b.output)`` and ``a.output.or_default(x)``: :class:`ir.Choice`.
- ``on_exit=parallel(...)``: an anonymous composite run as the exit handler.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tiphys.compiler import ir
from tiphys.compiler.frontend.arguments import Signature, bind
from tiphys.compiler.frontend.calls.composite_defs import (
    check_recursive_calls,
    composite_inputs,
    recursive_stub,
)
from tiphys.compiler.frontend.values import (
    ChoiceVal,
    CompositeVal,
    InputVal,
    InterpVal,
    Lit,
    NodeRec,
    NodeVal,
    OutputVal,
    ParamVal,
    TaskVal,
    Unknown,
    Value,
    WorkflowVarVal,
    describe,
)
from tiphys.compiler.ir.composites import needed_invocations
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.names import PARAM_NAME, field_name

if TYPE_CHECKING:
    from tiphys.compiler.frontend.calls.core import CallHandlers

#: The reason of the Unknown a misused f-string becomes (reported once, as TPH508).
BROKEN_FSTRING = "a broken f-string"
#: Reasons of the Unknown values a broken f-string, choose() or or_default() become: each is
#: reported where it is written, and not again where it is passed.
REPORTED = frozenset({BROKEN_FSTRING, "a broken choose()", "a broken or_default()"})


@dataclass(slots=True)
class Definition:
    """The ``@composite`` function being evaluated."""

    name: str
    #: Invocations with a uid above this one were made inside the body.
    first_uid: int


class CompositeHandlers:
    def __init__(self, calls: CallHandlers) -> None:
        self.calls = calls
        self.ev = calls.ev
        #: The definition being evaluated, or None at module level.
        self.current: Definition | None = None
        self._handlers = 0

    def error(self, code: str, message: str, node: ast.AST | Loc) -> None:
        self.ev.error(code, message, node if isinstance(node, Loc) else self.ev.loc(node))

    # -- @composite ---------------------------------------------------------------------

    def define(self, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> Value:
        ev = self.ev
        name_loc = ev.loc(ev.source.def_name(fn))
        if self.current is not None or isinstance(fn, ast.AsyncFunctionDef):
            self.error("TPH500", f"composite '{fn.name}' must be a plain function (def) at "
                       "module level", name_loc)
            return Unknown(f"the broken composite '{fn.name}'")
        inputs, params = composite_inputs(self.ev, fn)
        saved = dict(ev.env)
        definition = Definition(fn.name, ev.new_uid())
        self.current = definition
        name = field_name(fn.name)
        try:
            # Its own name, called in the body, is a recursive call: a step that runs this
            # very template (checked in _task: it must be conditional). A parameter of the
            # same name shadows it, as in Python.
            ev.env[fn.name] = TaskVal(recursive_stub(fn, name, inputs, name_loc), name,
                                      name_loc)
            for pname, typ, artifact in params:
                ev.env[pname] = InputVal(pname, typ, artifact)
            body = self._body(fn)
        finally:
            self.current = None
            ev.env = saved
        if body is None:
            return Unknown(f"the broken composite '{fn.name}'")
        task = self._task(name, tuple(inputs), body, definition.first_uid, name_loc)
        return TaskVal(task, name, name_loc)

    def _body(self, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> CompositeVal | None:
        ev = self.ev
        returned: Value | None = None
        ret_node: ast.AST = fn
        for i, stmt in enumerate(fn.body):
            if i == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) \
                    and isinstance(stmt.value.value, str):
                continue  # docstring
            if isinstance(stmt, ast.Return) and returned is None and stmt.value is not None:
                returned, ret_node = ev.expr(stmt.value), stmt.value
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.Expr)) and returned is None:
                ev._small(stmt)
            else:
                self.error("TPH502", f"the body of composite '{fn.name}' holds assignments "
                           "and one final 'return pipeline(...)' (or parallel()/dag()); "
                           "this statement is not read", stmt)
                return None
        if isinstance(returned, NodeVal):
            return CompositeVal("pipeline", ((returned, ev.loc(ret_node)),), None,
                                ev.loc(ret_node))
        if isinstance(returned, CompositeVal):
            return returned
        if returned is None:
            self.error("TPH502", f"composite '{fn.name}' must return a pipeline(), "
                       "parallel() or dag() of its tasks", ev.loc(ev.source.def_name(fn)))
        elif not isinstance(returned, Unknown) or "broken" not in returned.reason:
            self.error("TPH502", f"composite '{fn.name}' must return a pipeline(), "
                       f"parallel() or dag(); this is {describe(returned)}", ret_node)
        return None

    def _task(self, name: str, inputs: tuple[ir.Input, ...], body: CompositeVal,
              first_uid: int, loc: Loc, handler: bool = False) -> ir.CompositeTask:
        from tiphys.compiler.frontend.analyse import _element, _invocation

        ev = self.ev
        invocations = {uid: _invocation(rec) for uid, rec in ev.nodes.items()
                       if uid > first_uid}
        outside = {uid: _invocation(rec) for uid, rec in ev.nodes.items() if uid <= first_uid}
        ir_body = _element(body, {**outside, **invocations}, {})
        assert isinstance(ir_body, ir.Composite)
        exposed = tuple(body.outputs)
        needed = needed_invocations(ir_body, [n for _, v in exposed for n in _nodes(v)],
                                    {**outside, **invocations})
        outsiders = [inv for inv in needed if inv.uid <= first_uid]
        if outsiders and not handler:
            where = next((r.loc for inv in needed for r in inv.references()
                          if r.node == outsiders[0].uid), outsiders[0].loc)
            self.error("TPH503", f"composite '{name}' uses '{outsiders[0].name_hint}', which "
                       "is defined outside it: a composite reads only its inputs and the "
                       "tasks it calls itself (pass the value as an input)", where)
        task = ir.CompositeTask(name, inputs, ir_body, tuple(needed), exposed,
                                ir.TaskOptions(), loc, handler)
        check_recursive_calls(self.ev, task)
        return task

    # -- exit handlers made of composites ---------------------------------------------------

    def handler_node(self, value: CompositeVal, loc: Loc) -> int:
        """An anonymous composite as an exit handler: a node running its template."""
        self._handlers += 1
        name = value.name or ("exit-handler" if self._handlers == 1
                              else f"exit-handler-{self._handlers}")
        task = self._task(field_name(name), (), value, 0, loc, handler=True)
        uid = self.ev.new_uid()
        self.ev.nodes[uid] = NodeRec(uid, task, [], [], task.name, "task", [], loc)
        return uid

    # -- outputs=, choose(), or_default() ----------------------------------------------------

    def composite_outputs(self, node: ast.expr) -> tuple[tuple[str, Any], ...]:
        """``pipeline(..., outputs={"name": node.output})`` in a composite body."""
        ev = self.ev
        if self.current is None:
            self.error("TPH504", "outputs= on a pipeline()/parallel()/dag() names the "
                       "outputs of a @composite; a workflow's outputs go to "
                       "workflow(..., outputs=...)", node)
            return ()
        if not isinstance(node, ast.Dict):
            self.error("TPH504", "'outputs' must be a dict literal: {\"name\": node.output}",
                       node)
            return ()
        out: list[tuple[str, Any]] = []
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            key = ev.expr(key_node) if key_node is not None else Unknown("**")
            if not (isinstance(key, Lit) and isinstance(key.value, str)
                    and PARAM_NAME.match(key.value)):
                self.error("TPH504", "a composite output name is a string literal of letters, "
                           "digits, '-' and '_'", key_node or value_node)
                continue
            ref = self.output_value(ev.expr(value_node), value_node, "a composite output")
            if ref is not None:
                out.append((key.value, ref))
        return tuple(out)

    def output_value(self, value: Value, node: ast.expr, what: str
                     ) -> ir.OutputRef | ir.Choice | None:
        loc = self.ev.loc(node)
        if isinstance(value, NodeVal):
            value = self.calls.default_output(value, loc)
        if isinstance(value, OutputVal) and value.kind == "parameter":
            return ir.OutputRef(value.uid, value.output, loc)
        if isinstance(value, OutputVal) and value.kind == "artifact":
            if self.ev.nodes[value.uid].loop is not None:
                self.error("TPH505", f"{what} is artifact '{value.output}' of a loop: Argo "
                           "does not gather artifacts over a loop's runs", loc)
                return None
            return ir.OutputRef(value.uid, value.output, loc, "artifact")
        if isinstance(value, ChoiceVal):
            return self.choice(value, loc)
        if not isinstance(value, Unknown) or "missing output" not in value.reason:
            self.error("TPH505", f"{what} is a task's output (node.output, "
                       f"node.outputs[\"name\"], an output artifact) or choose(...); this "
                       f"is {describe(value)}", loc)
        return None

    def choice(self, value: ChoiceVal, loc: Loc) -> ir.Choice:
        default = None
        if value.default is not None:
            d = value.default.value
            default = ir.Literal(d if isinstance(d, str) else json.dumps(d), loc, d)
        return ir.Choice(tuple(ir.OutputRef(o.uid, o.output, loc) for o in value.options),
                         default, loc)

    def choose_call(self, call: ast.Call) -> Value:
        b = bind(call, Signature((), (), (), "options"), "choose()")
        self.calls.report(b.problems)
        options: list[OutputVal] = []
        for node in b.rest:
            value = self.ev.expr(node)
            if isinstance(value, NodeVal):
                value = self.calls.default_output(value, self.ev.loc(node))
            if isinstance(value, OutputVal) and value.kind == "parameter":
                if self._of_loop(value, node, "choose()"):
                    return Unknown("a broken choose()")
                options.append(value)
            elif not isinstance(value, Unknown) or "missing output" not in value.reason:
                self.error("TPH506", "choose() takes the outputs of tasks (node.output); "
                           f"this is {describe(value)}", node)
                return Unknown("a broken choose()")
        if len(options) < 2:
            self.error("TPH506", "choose() needs two outputs or more (for one, use "
                       "node.output.or_default(value))", call)
            return Unknown("a broken choose()")
        return ChoiceVal(tuple(options), None, self.ev.loc(call))

    def or_default_function(self, call: ast.Call) -> Value:
        """``or_default(node.output, value)``: the form that type-checks for typed outputs."""
        b = bind(call, Signature(("output", "default"), (), ("output", "default")),
                 "or_default()")
        self.calls.report(b.problems)
        node = b.args.get("output")
        if node is None or "default" not in b.args:
            return Unknown("a broken or_default()")
        value = self.ev.expr(node)
        if isinstance(value, NodeVal):
            value = self.calls.default_output(value, self.ev.loc(node))
        if not (isinstance(value, OutputVal) and value.kind == "parameter"):
            if not isinstance(value, Unknown) or "missing output" not in value.reason:
                self.error("TPH506", "or_default() takes a task's output (node.output); this "
                           f"is {describe(value)}", node)
            return Unknown("a broken or_default()")
        inner = ast.Call(func=call.func, args=[b.args["default"]], keywords=[])
        ast.copy_location(inner, call)
        return self.or_default_call(value, inner)

    def _of_loop(self, value: OutputVal, node: ast.AST, what: str) -> bool:
        """TPH506 for a loop's output: Argo gives it as the list of the runs' outputs, and none
        at all when every run was skipped, so the expression would fail at run time."""
        rec = self.ev.nodes[value.uid]
        if rec.loop is None:
            return False
        self.error("TPH506", f"{what} of '{rec.name_hint}', a loop: its output is the list of "
                   "its runs' outputs, and missing when every run is skipped; choose between "
                   "single tasks (a task after the loop can take the list)", node)
        return True

    def or_default_call(self, output: OutputVal, call: ast.Call) -> Value:
        b = bind(call, Signature(("default",), (), ("default",)), ".or_default()")
        self.calls.report(b.problems)
        node = b.args.get("default")
        if node is None:
            return Unknown("a broken or_default()")
        if self._of_loop(output, call, ".or_default()"):
            return Unknown("a broken or_default()")
        value = self.ev.expr(node)
        if not (isinstance(value, Lit) and isinstance(value.value, (str, int, float, bool))):
            self.error("TPH507", ".or_default() takes a str, int, float or bool literal; "
                       f"this is {describe(value)}", node)
            return Unknown("a broken or_default()")
        if isinstance(value.value, str) and ("{{" in value.value or "}}" in value.value):
            self.error("TPH507", "an .or_default() text cannot contain '{{' or '}}', which "
                       "Argo reads as template tags", node)
            return Unknown("a broken or_default()")
        return ChoiceVal((output,), value, self.ev.loc(call))

    def argument(self, value: InputVal | InterpVal | ChoiceVal, node: ast.expr, name: str,
                 what: str, inp: ir.Input, params: list[ParamVal]) -> ir.Value | None:
        """A task argument that is a composite input, an f-string or a choice."""
        loc = self.ev.loc(node)
        if inp.artifact:
            self.error("TPH509", f"input '{name}' of {what} is an artifact; this is "
                       f"{describe(value)}", loc)
            return None
        if isinstance(value, InputVal) and value.artifact:
            self.error("TPH471", f"input '{name}' of {what} is a parameter, but composite "
                       f"input '{value.name}' is an artifact: annotate the input "
                       "InputArtifact to receive the file", loc)
            return None
        if isinstance(value, InputVal):
            return ir.InputRef(value.name, loc)
        if isinstance(value, InterpVal):
            return self.interpolated(value, loc, name, what, inp, params)
        return self.choice(value, loc)

    # -- f-strings ------------------------------------------------------------------------

    def fstring(self, node: ast.JoinedStr) -> Value:
        parts: list[str | ParamVal | InputVal | OutputVal | WorkflowVarVal] = []
        for piece in node.values:
            if isinstance(piece, ast.Constant) and isinstance(piece.value, str):
                parts.append(piece.value)
                continue
            assert isinstance(piece, ast.FormattedValue)
            value = self.ev.expr(piece.value)
            if isinstance(value, Lit) and piece.conversion == -1 and piece.format_spec is None \
                    and isinstance(value.value, (str, int)) and not isinstance(value.value, bool):
                parts.append(str(value.value))
                continue
            if isinstance(value, NodeVal):
                value = self.calls.default_output(value, self.ev.loc(piece.value))
            if not isinstance(value, (ParamVal, InputVal, OutputVal, WorkflowVarVal)) or \
                    (isinstance(value, OutputVal) and value.kind == "artifact"):
                if isinstance(value, Unknown) and "missing output" in value.reason:
                    return Unknown("an f-string with a missing output")
                return Unknown(f"an f-string holding {describe(value)}")
            if isinstance(value, InputVal) and value.artifact:
                self.error("TPH512", f"composite input '{value.name}' is an artifact (a "
                           "file), not text: pass it to a task's InputArtifact input",
                           piece.value)
                return Unknown(BROKEN_FSTRING)
            if piece.conversion != -1 or piece.format_spec is not None:
                self.error("TPH508", "a template value in an f-string is inserted as Argo "
                           "passes it: no !r/!s/!a conversion or :format spec", piece.value)
                return Unknown(BROKEN_FSTRING)
            parts.append(value)
        if all(isinstance(p, str) for p in parts):
            return Lit("".join(p for p in parts if isinstance(p, str)))
        return InterpVal(tuple(parts))

    def interpolated(self, value: InterpVal, loc: Loc, name: str, what: str,
                     inp: ir.Input, params: list[ParamVal]) -> ir.Interpolated | None:
        """An f-string argument, for an input that takes text."""
        if inp.decode not in ("str", "str-or-null") or inp.type not in (None, "str"):
            self.error("TPH509", f"argument '{name}' of {what} is an f-string, which makes "
                       f"text; the input takes {inp.annotation or inp.type}: pass the value "
                       "itself, or annotate the input str", loc)
            return None
        parts: list[str | ir.ParamRef | ir.WorkflowRef | ir.InputRef | ir.OutputRef] = []
        for p in value.parts:
            if isinstance(p, str):
                if "{{" in p or "}}" in p:
                    self.error("TPH509", "the text of an f-string argument cannot contain "
                               "'{{' or '}}', which Argo reads as template tags", loc)
                    return None
                parts.append(p)
            elif isinstance(p, ParamVal):
                params.append(p)
                parts.append(ir.ParamRef(p.name, loc))
            elif isinstance(p, InputVal):
                parts.append(ir.InputRef(p.name, loc))
            elif isinstance(p, OutputVal):
                parts.append(ir.OutputRef(p.uid, p.output, loc))
            else:
                parts.append(ir.WorkflowRef(p.variable, loc))
        return ir.Interpolated(tuple(parts), loc)


def _nodes(value: ir.OutputRef | ir.Choice) -> list[int]:
    if isinstance(value, ir.OutputRef):
        return [value.node]
    return [o.node for o in value.options]
