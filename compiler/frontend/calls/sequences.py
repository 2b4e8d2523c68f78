"""``sequence(start=, end=, count=, format=)``: Argo's ``withSequence``, read statically.

A bound is an integer literal, a workflow ``param(...)`` (``{{workflow.parameters.N}}``), an
``int`` input of the ``@composite`` being read (a :class:`ParamOperand` resolved to the
template's own input where the loop runs), or another task's ``int`` output (an
:class:`OutputOperand`: lowering reads it as ``{{steps.X...}}``/``{{tasks.X...}}`` and orders
the loop after its producer, as an argument would), or ``or_default(...)``/``choose(...)`` of
such outputs (an :class:`ir.Choice`, the safe read of a producer that may be skipped). Misuse
is TPH529 at the bound, TPH530 at the format.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from tiphys.compiler import ir
from tiphys.compiler.frontend.arguments import Signature, bind
from tiphys.compiler.frontend.calls.record_outputs import REPORTED_RECORD_MISUSE
from tiphys.compiler.frontend.values import (
    ChoiceVal,
    InputVal,
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

if TYPE_CHECKING:
    from tiphys.compiler.frontend.calls.core import CallHandlers

#: withSequence's format: a printf format with one integer verb.
_FORMAT = re.compile(r"^[^%]*%[-+ #0]*[0-9]*[dxXo][^%]*\Z")
#: The reason of the Unknown a broken sequence() becomes (reported where it is written).
BROKEN_SEQUENCE = "a broken sequence()"


def read_sequence(calls: CallHandlers, call: ast.Call) -> Value:
    return _Sequence(calls).read(call)


class _Sequence:
    def __init__(self, calls: CallHandlers) -> None:
        self.calls = calls
        self.ev = calls.ev

    def error(self, code: str, message: str, node: ast.AST) -> None:
        self.ev.error(code, message, self.ev.loc(node))

    def read(self, call: ast.Call) -> Value:
        b = bind(call, Signature((), ("start", "end", "count", "format")), "sequence()")
        self.calls.report(b.problems)
        params: list[ParamVal] = []
        bounds: dict[str, ir_flow.Bound] = {}
        for key in ("start", "end", "count"):
            if key in b.args:
                bound = self._bound(b.args[key], key, params)
                if bound is None:
                    return Unknown(BROKEN_SEQUENCE)
                bounds[key] = bound
        if ("count" in bounds) == ("end" in bounds):
            self.error("TPH529", "sequence() takes count= (how many numbers from start) or "
                       "end= (the last number, inclusive), not both and not neither", call)
            return Unknown(BROKEN_SEQUENCE)
        count = bounds.get("count")
        if isinstance(count, int) and count <= 0:
            self.error("TPH529", "sequence(count=...) runs nothing unless the count is "
                       "positive", b.args["count"])
            return Unknown(BROKEN_SEQUENCE)
        fmt = None
        if "format" in b.args:
            fmt = self.calls.opts.string(b.args["format"], "format")
            if fmt is not None and not _FORMAT.match(fmt):
                self.error("TPH530", f"format {fmt!r} is a printf format with one integer "
                           "verb, such as \"user%02d\" or \"%04X\" (Argo's withSequence)",
                           b.args["format"])
                return Unknown(BROKEN_SEQUENCE)
        start = bounds.get("start")
        if start is None and "end" in bounds:
            start = 0
        loop = ir_flow.Loop("", "sequence", start=start, end=bounds.get("end"), count=count,
                            loc=self.ev.loc(call), format=fmt)
        return SequenceVal(loop, tuple(params))

    def _bound(self, node: ast.expr, key: str,
               params: list[ParamVal]) -> ir_flow.Bound | None:
        value = self.ev.expr(node)
        if isinstance(value, Lit) and isinstance(value.value, int) and \
                not isinstance(value.value, bool):
            return value.value
        if isinstance(value, ParamVal):
            if value.has_default and (not isinstance(value.default, int)
                                      or isinstance(value.default, bool)):
                self.error("TPH529", f"sequence({key}=...) is a number; workflow parameter "
                           f"'{value.name}' defaults to {value.default!r}", node)
                return None
            params.append(value)
            return f"{{{{workflow.parameters.{value.name}}}}}"
        if isinstance(value, InputVal):
            if value.type not in ("int", None):
                self.error("TPH529", f"sequence({key}=...) is a number; composite input "
                           f"'{value.name}' is {value.type}: annotate it int", node)
                return None
            return ir_flow.ParamOperand(value.name, "int", self.ev.loc(node),
                                        composite_input=True)
        if isinstance(value, NodeVal):
            out = self.calls.default_output(value, self.ev.loc(node))
            if not isinstance(out, OutputVal):
                return None  # said by default_output
            value = out
        if isinstance(value, OutputVal) and value.kind == "parameter":
            return self._output_bound(value, node, key)
        if isinstance(value, ChoiceVal):
            return self._choice_bound(value, node, key)
        from tiphys.compiler.frontend.calls.loops import BROKEN

        if not (isinstance(value, Unknown) and (value.reason in BROKEN | REPORTED_RECORD_MISUSE
                                                or "missing output" in value.reason)):
            self.error("TPH529", f"sequence({key}=...) is an integer literal, a param(...), "
                       "another task's int output or an int input of the composite; "
                       f"this is {describe(value)}", node)
        return None

    def _choice_bound(self, value: ChoiceVal, node: ast.expr, key: str) -> ir.Choice | None:
        """``or_default(n.output, 2)`` / ``choose(a.output, b.output)``: each option an int
        output, the default an int, read safely from a producer that may be skipped."""
        for option in value.options:
            if self._output_bound(option, node, key) is None:
                return None
        default = value.default
        if default is not None and (not isinstance(default.value, int)
                                    or isinstance(default.value, bool)):
            self.error("TPH529", f"sequence({key}=...) is a number; the default of this "
                       f"or_default() is {default.value!r}", node)
            return None
        return self.calls.composites.choice(value, self.ev.loc(node))

    def _output_bound(self, value: OutputVal, node: ast.expr,
                      key: str) -> ir_flow.OutputOperand | None:
        """Another task's output as a bound: Argo reads it when the loop starts, so it must
        be one integer (a loop's output is the list of its runs' outputs)."""
        rec = self.ev.nodes[value.uid]
        if rec.loop is not None:
            self.error("TPH529", f"sequence({key}=...) reads the output of '{rec.name_hint}', "
                       "a loop: that is the list of its runs' outputs, not a number", node)
            return None
        kind = self.calls.flow.output_type(value.uid, value.output)
        if kind not in ("int", None):
            what = "text (stdout or a file)" if kind == "str" and \
                not isinstance(rec.task, ir.PythonTask) else kind
            self.error("TPH529", f"sequence({key}=...) is a number; output '{value.output}' "
                       f"of '{rec.name_hint}' is {what}: return an int from a Python task",
                       node)
            return None
        return ir_flow.OutputOperand(value.uid, value.output, "int", self.ev.loc(node))
