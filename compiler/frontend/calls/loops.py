"""Structured loops, counted sequences and regex conditions, read statically.

``row = each(items)`` names the items of a loop; ``task.map(a=row.x, b=row.y)`` feeds item
fields to several inputs (``{{item.x}}``), and ``.when(row.kind == "even")`` tests them.
The items are a literal list of dicts (field names and types known), another loop's
invocation (its runs' named outputs, ``{{tasks.L.outputs.parameters}}``), a task's list
output or a list parameter. ``sequence(...)`` is ``withSequence`` (read in module
sequences). ``from_input()`` and ``param()`` in ``timeout=``/``retries=`` are template fields
Argo substitutes per run. ``matches(value, r"...")`` is a regex test in a condition: the
pattern must be a literal that compiles and that RE2 (Argo's regex engine) accepts.
"""

from __future__ import annotations

import ast
import difflib
import re
from typing import TYPE_CHECKING

from tiphys.compiler import ir
from tiphys.compiler.frontend.arguments import Signature, bind
from tiphys.compiler.frontend.calls.sequences import BROKEN_SEQUENCE, read_sequence
from tiphys.compiler.frontend.options.read import DURATION
from tiphys.compiler.frontend.regex_syntax import regex_problem
from tiphys.compiler.frontend.values import (
    EachVal,
    InputRefVal,
    ItemVal,
    Lit,
    NodeVal,
    OutputVal,
    ParamVal,
    SequenceVal,
    Unknown,
    Value,
    describe,
)
from tiphys.compiler.ir import flow as ir_flow
from tiphys.compiler.ir.loc import Loc

if TYPE_CHECKING:
    from tiphys.compiler.frontend.calls.core import CallHandlers

LOOP_FUNCTIONS = frozenset({"each", "sequence", "matches", "from_input"})
#: Reasons of the Unknown values a broken each()/sequence()/item field become: reported
#: where they are written, and not again where they are used.
BROKEN = frozenset({"a broken each()", "a missing item field", BROKEN_SEQUENCE,
                    "a matches() outside a condition"})
#: A field name Argo can substitute as ``{{item.NAME}}``.
_FIELD = re.compile(r"^[A-Za-z0-9_-]+\Z")
_NUMERIC = frozenset({"int", "float"})
#: Interpreters a script task may name (``bash(..., shell=...)``).
SHELLS = ("bash", "sh")


def _kind(value: object) -> str | None:
    from tiphys.compiler.frontend.calls.loop_sources import literal_type

    return literal_type(value)


class LoopHandlers:
    def __init__(self, calls: CallHandlers) -> None:
        self.calls = calls
        self.ev = calls.ev
        #: Invocations whose .map() had errors (already reported).
        self.broken_maps: set[int] = set()
        #: from_input() refs of the task definition being read, checked once it is built.
        self.input_refs: list[InputRefVal] = []
        #: param() values of its template fields (timeout=, retries=), with where they are.
        self.param_refs: list[tuple[ParamVal, Loc]] = []

    def error(self, code: str, message: str, node: object) -> None:
        self.ev.error(code, message, node if isinstance(node, Loc) else self.ev.loc(node))

    def call(self, short: str, call: ast.Call) -> Value:
        if short == "each":
            return self.each(call)
        if short == "sequence":
            return read_sequence(self.calls, call)
        if short == "from_input":
            b = bind(call, Signature(("name",), (), ("name",)), "from_input()")
            self.calls.report(b.problems)
            name = self.calls.opts.string(b.args.get("name"), "name")
            return InputRefVal(name, self.ev.loc(call)) if name else Unknown("a broken input")
        self.error("TPH527", "matches() is a condition: use it inside .when(...) or a hook's "
                   "when=, where Argo evaluates it", call)
        return Unknown("a matches() outside a condition")

    # -- from_input() ------------------------------------------------------------------------

    def input_tag(self, node: ast.expr | None) -> str | None:
        """The tag of a template field Argo substitutes per run, or None for any other
        value: ``{{inputs.parameters.NAME}}`` when *node* is ``from_input("NAME")``,
        ``{{workflow.parameters.NAME}}`` when it is a ``param(...)``."""
        if node is None or not isinstance(node, (ast.Call, ast.Name)):
            return None
        value = self.ev.expr(node)
        if isinstance(value, ParamVal):
            self.param_refs.append((value, self.ev.loc(node)))
            return f"{{{{workflow.parameters.{value.name}}}}}"
        if not isinstance(value, InputRefVal):
            return None
        self.input_refs.append(value)
        return f"{{{{inputs.parameters.{value.name}}}}}"

    def check_input_refs(self, task: ir.TaskDef | None) -> list[ParamVal]:
        """Each from_input() read while defining *task* names one of its parameter inputs,
        and each param() fits its field; the workflow parameters the template reads, which
        every workflow that runs it declares."""
        refs, self.input_refs = self.input_refs, []
        param_refs, self.param_refs = self.param_refs, []
        if task is None:
            return []
        names = [i.name for i in task.inputs if not i.artifact]
        for ref in refs:
            if ref.name not in names:
                close = difflib.get_close_matches(ref.name, names, n=1)
                hint = f": did you mean '{close[0]}'?" if close else ""
                self.error("TPH532", f"task '{task.name}' has no input '{ref.name}' for "
                           f"from_input() (inputs: {', '.join(names) or 'none'}){hint}", ref.loc)
        params = []
        for param, loc in param_refs:
            tag = f"{{{{workflow.parameters.{param.name}}}}}"
            problem = None
            if task.options.timeout == tag and param.has_default and not (
                    isinstance(param.default, str) and DURATION.match(param.default)):
                problem = (f"timeout= reads workflow parameter '{param.name}' as a duration "
                           f"(\"90s\", \"10m\", \"1h30m\"), which its default "
                           f"{param.default!r} is not; Argo fails the step on it")
            elif task.options.retries == tag and param.has_default and not (
                    isinstance(param.default, int) and not isinstance(param.default, bool)
                    and param.default >= 0):
                problem = (f"retries= reads workflow parameter '{param.name}' as the retry "
                           f"limit, an integer >= 0, which its default {param.default!r} is "
                           "not")
            if problem is not None:
                self.error("TPH535", problem, loc)
            else:
                params.append(param)
        return params

    def shell(self, node: ast.expr | None) -> str:
        """``bash(..., shell="sh")``: the interpreter of a script task."""
        if node is None:
            return "bash"
        value = self.calls.opts.string(node, "shell")
        if value is not None and value not in SHELLS:
            self.error("TPH534", f"shell is one of {', '.join(SHELLS)}; {value!r} is not: "
                       "bash, or sh for images without bash (alpine, busybox)", node)
            return "bash"
        return value or "bash"

    # -- each() --------------------------------------------------------------------------

    def each(self, call: ast.Call) -> Value:
        b = bind(call, Signature(("items",), (), ("items",)), "each()")
        self.calls.report(b.problems)
        node = b.args.get("items")
        if node is None:
            return Unknown("a broken each()")
        value = self.ev.expr(node)
        loc = self.ev.loc(call)
        if isinstance(value, Lit) and isinstance(value.value, (list, tuple)):
            fields = self._literal_fields(value.value, node)
            if fields is None:
                return Unknown("a broken each()")
            return EachVal(ir_flow.Loop("", "items", items=tuple(value.value), loc=loc),
                           fields, loc)
        if isinstance(value, ParamVal) and isinstance(value.default, (list, tuple)):
            fields = self._literal_fields(value.default, node)
            if fields is None:
                return Unknown("a broken each()")
            source: ir_flow.OutputOperand | ir_flow.ParamOperand = ir_flow.ParamOperand(
                value.name, "list", self.ev.loc(node))
            return EachVal(ir_flow.Loop("", "param", source=source, loc=loc), fields, loc,
                           (value,))
        if isinstance(value, NodeVal) and self.ev.nodes[value.uid].loop is not None:
            task = self.ev.nodes[value.uid].task
            if task.outputs:
                source = ir_flow.OutputOperand(value.uid, ir_flow.ALL_OUTPUTS, "list",
                                               self.ev.loc(node))
                return EachVal(ir_flow.Loop("", "param", source=source, loc=loc),
                               dict.fromkeys(task.outputs, "str"), loc)
        if isinstance(value, NodeVal):
            out = self.calls.default_output(value, self.ev.loc(node))
            if not isinstance(out, OutputVal):
                return Unknown("a broken each()")
            value = out
        if isinstance(value, OutputVal) and self.ev.nodes[value.uid].loop is not None:
            # Argo aggregates a loop's output as a JSON list of texts: no item has fields.
            self.error("TPH520", "each() over a loop's output would loop over texts (Argo "
                       "gathers each run's output as a string); pass the loop itself, "
                       "each(loop), to read its runs' named outputs as fields", node)
            return Unknown("a broken each()")
        if isinstance(value, OutputVal) and value.kind == "parameter":
            kind = self.calls.flow.output_type(value.uid, value.output)
            if kind in ("list", None):
                source = ir_flow.OutputOperand(value.uid, value.output, "list", self.ev.loc(node))
                return EachVal(ir_flow.Loop("", "param", source=source, loc=loc), None, loc)
        self.error("TPH520", "each() takes a literal list of dicts, a list workflow "
                   "parameter, another loop's invocation (its runs' named outputs) or a task's "
                   f"list output; this is {describe(value)}", node)
        return Unknown("a broken each()")

    def _literal_fields(self, items: object, node: ast.expr) -> dict[str, str | None] | None:
        """Field name -> type of a literal list of dicts, or None (reported) if it is not
        one list of dicts with the same keys."""
        assert isinstance(items, (list, tuple))
        if not items:
            self.error("TPH521", "each() over an empty list runs nothing; give it items", node)
            return None
        if not all(isinstance(i, dict) for i in items):
            self.error("TPH521", "each() items are dicts whose fields feed inputs "
                       "({\"image\": \"debian\", \"tag\": \"9.1\"}); for plain values, pass "
                       "the list to .map() directly", node)
            return None
        keys = set(items[0])
        for index, item in enumerate(items):
            if set(item) != keys:
                differ = sorted(keys ^ set(item))
                self.error("TPH521", f"item {index} of each() has other fields than item 0 "
                           f"({', '.join(differ)}): every item needs the same fields, or some "
                           "runs would get no value", node)
                return None
        bad = sorted(k for k in keys if not _FIELD.match(k))
        if bad:
            self.error("TPH521", f"field name {bad[0]!r} cannot be read as {{{{item.NAME}}}}: "
                       "use letters, digits, '-' and '_'", node)
            return None
        fields: dict[str, str | None] = {}
        for key in sorted(keys):
            kinds = {_kind(item[key]) for item in items}
            if kinds <= _NUMERIC and len(kinds) == 2:
                kinds = {"float"}
            if len(kinds) > 1:
                self.error("TPH521", f"field '{key}' of each() holds values of several types "
                           f"({', '.join(sorted(k or 'null' for k in kinds))}): one input "
                           "receives it, so give it one type", node)
                return None
            fields[key] = kinds.pop()
        return fields

    def field(self, base: EachVal, name: str, node: ast.expr, loc: Loc) -> Value:
        """``row.name`` / ``row["name"]``: a field of the items, checked by name."""
        if base.fields is not None and name not in base.fields:
            close = difflib.get_close_matches(name, list(base.fields), n=1)
            hint = f": did you mean '{close[0]}'?" if close else ""
            self.error("TPH522", f"the items of this each() have no field '{name}' (fields: "
                       f"{', '.join(base.fields)}){hint}", loc)
            return Unknown("a missing item field")
        if base.fields is None and not _FIELD.match(name):
            self.error("TPH522", f"field name {name!r} cannot be read as {{{{item.NAME}}}}: "
                       "use letters, digits, '-' and '_'", loc)
            return Unknown("a missing item field")
        return ItemVal(base, name, loc)

    # -- .map(...) arguments -----------------------------------------------------------------

    def map_argument(
        self, name: str, node: ast.expr, raw: EachVal | ItemVal, inp: ir.Input, mapped: bool,
        current: EachVal | None, what: str,
    ) -> EachVal | None:
        """Check that an item (field) may feed input *inp*; the each() it belongs to."""
        item = raw if isinstance(raw, ItemVal) else ItemVal(raw, None, raw.loc)
        if not mapped:
            self.error("TPH524", f"argument '{name}' of {what} is a loop item: items feed a "
                       f"task only through .map(): {what.removeprefix('task ')}.map(...)",
                       node)
            return None
        if current is not None and current.loc != item.each.loc:
            self.error("TPH524", f"argument '{name}' reads the items of another each(): one "
                       ".map() loops over one list of items", node)
            return None
        got = self.item_type(item)
        want = inp.type
        if item.field is None:
            got = "dict"
        if got is not None and want is not None and got != want and \
                not (got in _NUMERIC and want == "float"):
            self.error("TPH523", f"'{name}' expects {want}; {self._which(item)} is {got}", node)
            return None
        if got == "str" and inp.decode in ("json", "json-items"):
            self.error("TPH523", f"'{name}' reads its value as JSON, but {self._which(item)} "
                       "is text, which Argo passes as it is: annotate the parameter str",
                       node)
            return None
        return item.each

    @staticmethod
    def item_type(item: ItemVal) -> str | None:
        if item.field is None or item.each.fields is None:
            return None
        return item.each.fields.get(item.field)

    @staticmethod
    def _which(item: ItemVal) -> str:
        return "the item" if item.field is None else f"item field '{item.field}'"

    @staticmethod
    def tag(raw: EachVal | ItemVal) -> str:
        if isinstance(raw, ItemVal) and raw.field is not None:
            return f"{{{{item.{raw.field}}}}}"
        return "{{item}}"

    @staticmethod
    def loop(each: EachVal, fields: list[tuple[str, str | None]]) -> ir_flow.Loop:
        old = each.loop
        return ir_flow.Loop("", old.kind, items=old.items, source=old.source, loc=old.loc,
                            fields=tuple(fields))

    def map_without_inputs(self, t: ir.TaskDef, call: ast.Call) -> Value:
        """``task.map(items)`` of a task without inputs: one run per item, none passed."""
        loc = self.ev.loc(call)
        node = call.args[0]
        value = self.ev.expr(node)
        params: list[ParamVal] = []
        loop: ir_flow.Loop | None = None
        if len(call.args) > 1 or isinstance(node, ast.Starred):
            self.error("TPH525", f"task '{t.name}'.map() of a task without inputs takes one "
                       "list to loop over", call)
        elif isinstance(value, (EachVal, SequenceVal)):
            loop = value.loop
            params += value.params
        elif isinstance(value, Lit) and isinstance(value.value, (list, tuple)) and value.value:
            loop = ir_flow.Loop("", "items", items=tuple(value.value), loc=loc)
        else:
            self.error("TPH525", f"task '{t.name}' has no inputs, so .map() runs it once per "
                       "item of a non-empty literal list, a sequence(...) or an each(...); "
                       f"this is {describe(value)}", node)
        result = self.calls.make_node(t, None, loc)
        rec = self.ev.nodes[result.uid]
        rec.loop = loop
        rec.params += params
        if loop is None:
            self.broken_maps.add(result.uid)
        return NodeVal(result.uid)

    # -- conditions ----------------------------------------------------------------------------

    def operand(self, value: ItemVal, loop: ir_flow.Loop | None, uid: int | None,
                node: ast.expr) -> ir_flow.ItemOperand | None:
        if uid in self.broken_maps:
            return None
        if loop is None or loop.loc != value.each.loc:
            self.error("TPH524", "this condition reads a loop item, but the invocation it is "
                       "on does not loop over these items: call .when() on the .map() that "
                       "uses them", node)
            return None
        return ir_flow.ItemOperand(value.field, self.item_type(value), self.ev.loc(node))

    def matches(self, call: ast.Call, operand: ir_flow.Operand | None) -> ir_flow.Match | None:
        b = bind(call, Signature(("value", "pattern"), (), ("value", "pattern")), "matches()")
        self.calls.report(b.problems)
        node = b.args.get("pattern")
        if node is None or operand is None:
            return None
        pattern = self.ev.expr(node)
        if not isinstance(pattern, Lit) or not isinstance(pattern.value, str):
            self.error("TPH526", "the pattern of matches() is a string literal (r\"...\"), "
                       f"checked when compiling; this is {describe(pattern)}", node)
            return None
        problem = regex_problem(pattern.value)
        if problem is not None:
            self.error("TPH526", f"this pattern {problem}", node)
            return None
        from tiphys.compiler.frontend.calls.flow import FlowHandlers

        kind = FlowHandlers.operand_type(operand)
        if kind in ("list", "dict"):
            self.error("TPH528", f"matches() tests text; this value is a {kind}: test one "
                       "value (return it from a task)", b.args["value"])
            return None
        return ir_flow.Match(operand, pattern.value)
