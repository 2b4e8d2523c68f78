"""The type pass over the IR: every value a task receives fits the task's annotation.

Runs after the front end has built the IR (:func:`check_program`), whatever else it reported,
so every independent problem is said at once. What it checks, each at the value's position:

- a literal argument, a ``.map()`` item and a ``param(...)`` default against the parameter's
  annotation (TPH190, TPH411, TPH192); an output against the consumer's parameter, from the
  producer's return annotation (TPH191), and text output into a union that would read it as
  JSON (TPH193). Types come from :mod:`tiphys.compiler.ir.types`;
- ``.map()`` given a second list for a parameter that does not take a list (TPH414): the loop
  runs over one argument, and the other list would reach every run whole;
- a value that cannot reach the pod in an environment variable (TPH194).

Outputs of tasks that may not run and dependency cycles are checked in
:mod:`tiphys.compiler.check.dependencies`.
"""

from __future__ import annotations

import json
from typing import Any

from tiphys.compiler import ir
from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.ir import types as T
from tiphys.compiler.ir.flow import Loop, OutputOperand, ParamOperand
from tiphys.compiler.ir.loc import Loc

#: Linux' limit on one environment variable ("NAME=value"), MAX_ARG_STRLEN: 32 pages of 4 KiB.
#: A longer one makes the pod fail with "argument list too long".
ENV_VALUE_LIMIT = 128 * 1024


def report(diags: Diagnostics, code: str, message: str, loc: Loc) -> None:
    line, col, end_line, end_col = loc.position()
    diags.error(code, message, loc.path, line, col, end_line, end_col)


def output_type(inv: ir.Invocation, output: str) -> T.Type:
    """The type of an output of *inv*: a Python task's return annotation (a list of them
    for a loop); the text of other kinds' outputs is not typed (it is decoded as the
    consumer's annotation says)."""
    task = inv.task
    single: T.Type = T.ANY
    if isinstance(task, ir.PythonTask) and output == "return" and not task.options.extra.daemon:
        single = T.parse(task.return_annotation)
    elif isinstance(task, ir.PythonTask) and task.fields and not task.options.extra.daemon:
        # A field of a record return: its own annotation.
        single = T.parse(next((f.annotation for f in task.fields if f.name == output), None))
    if inv.flow.loop is not None:
        return T.ListType(single)
    return single


def incomplete(inv: ir.Invocation) -> bool:
    """An invocation that lacks a required argument: the front end reported why (a wrong
    argument, a broken loop); its output's type is not worth a second diagnostic."""
    given = {name for name, _ in inv.args}
    return any(i.required and not i.has_default and i.name not in given
               for i in inv.task.inputs)


def input_type(inp: ir.Input | None) -> T.Type:
    return T.parse(inp.annotation) if inp is not None and not inp.artifact else T.ANY


def check_program(module: ir.Module, diags: Diagnostics) -> None:
    from tiphys.compiler.check.dependencies import check_dependencies

    seen: set[int] = set()
    for wf in module.workflows:
        by_uid = {inv.uid: inv for inv in wf.invocations}
        params = {p.name: p for p in wf.params}
        for p in wf.params:
            if p.default is not None and p.loc is not None:
                unreachable(diags, p.default, f"the default of parameter '{p.name}'", p.loc,
                            f"TIPHYS_INPUT_{p.name}")
        for inv in wf.invocations:
            if inv.uid not in seen:
                seen.add(inv.uid)
                _check_invocation(inv, by_uid, params, diags)
        check_dependencies(wf, by_uid, diags)


def _check_invocation(inv: ir.Invocation, by_uid: dict[int, ir.Invocation],
                      params: dict[str, ir.WorkflowParam], diags: Diagnostics) -> None:
    inputs = {i.name: i for i in inv.task.inputs}
    loop = inv.flow.loop
    what = f"task '{inv.task.name}'"
    for name, value in inv.args:
        inp = inputs.get(name)
        expected = input_type(inp)
        env = f"{ir.INPUT_ENV_PREFIX}{name}"
        if loop is not None and loop.param == name:
            _check_loop(loop, inp, expected, by_uid, params, what, diags)
            continue
        if isinstance(value, ir.Literal):
            if isinstance(value.value, str):
                unreachable(diags, value.value, f"argument '{name}' of {what}", value.loc, env)
            given = value.given
            if given is ir.NOT_GIVEN:
                continue
            if inp is not None and ((given == "null" and inp.decode == "str-or-null") or (
                    inp.decode == "text-items" and isinstance(given, (list, tuple))
                    and "null" in given)):
                report(diags, "TPH194", f"argument '{name}' of {what} cannot reach the pod: "
                       f"the text 'null' stands for None in a parameter annotated {expected}",
                       value.loc)
                continue
            if loop is not None and isinstance(given, (list, tuple)) and \
                    (T.is_any(expected) or not T.accepts_list(expected)):
                # Unannotated (or Any): whole list or a second loop? Say so, never guess.
                over = f"'{loop.param}'" if loop.param else "the items of each()"
                report(diags, "TPH414", f"{what}.map() loops over one argument, "
                       f"{over}; '{name}' is a list too, and each run would get it "
                       f"whole (expected {expected}): loop over one list of dicts "
                       "(zip the lists into it), or annotate the parameter list[...] to pass "
                       "it whole", value.loc)
            elif not T.accepts(expected, given):
                report(diags, "TPH190", f"argument '{name}' of {what}: expected {expected}, "
                       f"got {T.show_value(given)}", value.loc)
        elif isinstance(value, ir.ParamRef):
            _check_param(params.get(value.name), expected, f"argument '{name}' of {what}",
                         value.loc, diags)
        elif isinstance(value, ir.OutputRef) and value.kind == "parameter":
            producer = by_uid.get(value.node)
            if producer is None or incomplete(producer):
                continue
            got = output_type(producer, value.output)
            if not T.assignable(got, expected):
                report(diags, "TPH191", f"argument '{name}' of {what}: expected {expected}, "
                       f"got {got} (the output of '{producer.name_hint}', "
                       f"{_returns(producer)})", value.loc)
            elif T.mixes_text(expected) and _text_output(producer, got):
                report(diags, "TPH193", f"argument '{name}' of {what} is annotated "
                       f"{expected}, and the output of '{producer.name_hint}' is text: it "
                       "would be read as JSON when it parses (the text '[1]' as a list): "
                       "annotate the parameter str (or str | None), or return a "
                       "non-str value", value.loc)


def _text_output(producer: ir.Invocation, got: T.Type) -> bool:
    """The output is written as text: a str return, or any output of a non-Python task."""
    if producer.flow.loop is not None:
        return False  # a loop's output is a JSON list
    if not isinstance(producer.task, ir.PythonTask):
        return True
    return not T.is_any(got) and T.accepts(got, "")


def _returns(producer: ir.Invocation) -> str:
    task = producer.task
    text = task.return_annotation if isinstance(task, ir.PythonTask) else None
    where = f"-> {text}" if text else "its output"
    if isinstance(task, ir.PythonTask) and task.fields:
        where = f"a field of -> {text}"
    return f"a loop of {where}" if producer.flow.loop is not None else where


def _check_param(param: ir.WorkflowParam | None, expected: T.Type, what: str, loc: Loc,
                 diags: Diagnostics) -> None:
    if param is None or param.default is None:
        return  # given at submission time, as text: decoded as the parameter says
    if not T.accepts(expected, param.value):
        report(diags, "TPH192", f"{what} is workflow parameter '{param.name}', whose default "
               f"does not fit: expected {expected}, got {T.show_value(param.value)}", loc)


def _check_loop(loop: Loop, inp: ir.Input | None, expected: T.Type,
                by_uid: dict[int, ir.Invocation], params: dict[str, ir.WorkflowParam],
                what: str, diags: Diagnostics) -> None:
    loc = loop.loc
    if loc is None:
        return
    env = f"{ir.INPUT_ENV_PREFIX}{loop.param}"
    if loop.kind == "items":
        for index, raw in enumerate(loop.items):
            item = _item_value(raw, inp)
            text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
            if unreachable(diags, text, f"item {index} of {what}.map()", loc, env):
                return
            if not T.accepts(expected, item):
                report(diags, "TPH411", f"item {index} of the list {what}.map() loops over "
                       f"for '{loop.param}': expected {expected}, got {T.show_value(item)}",
                       loc)
                return
    elif loop.kind == "sequence" and not T.accepts(expected, "0" if loop.format else 0):
        report(diags, "TPH411", f"{what}.map() over range() passes int items to "
               f"'{loop.param}': expected {expected}", loc)
    elif isinstance(loop.source, OutputOperand):
        producer = by_uid.get(loop.source.node)
        if producer is not None and incomplete(producer):
            return
        got = output_type(producer, loop.source.output) if producer else T.ANY
        item = got.item if isinstance(got, T.ListType) else T.ANY
        if not T.assignable(item, expected):
            report(diags, "TPH191", f"{what}.map() loops over the output of "
                   f"'{producer.name_hint if producer else '?'}' ({got}): each item goes to "
                   f"'{loop.param}', which expects {expected}", loc)
    elif isinstance(loop.source, ParamOperand):
        param = params.get(loop.source.name)
        if param is not None and isinstance(param.value, (list, tuple)):
            bad = [v for v in param.value if not T.accepts(expected, v)]
            if bad:
                report(diags, "TPH192", f"{what}.map() loops over workflow parameter "
                       f"'{param.name}', whose default holds an item that does not fit "
                       f"'{loop.param}': expected {expected}, got {T.show_value(bad[0])}", loc)


def _item_value(raw: Any, inp: ir.Input | None) -> Any:
    """A loop item as written: the front end JSON-encodes string items of inputs that are
    not read as plain text."""
    if inp is not None and inp.decode not in ("str", "str-or-null") and isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def unreachable(diags: Diagnostics, text: str, what: str, loc: Loc, env: str) -> bool:
    """TPH194 when *text* cannot travel in the environment variable *env*; True if so."""
    problem = None
    if "\x00" in text:
        problem = "contains a NUL character, which an environment variable cannot hold"
    elif any("\ud800" <= c <= "\udfff" for c in text):
        problem = ("contains a lone surrogate (such as '\\ud800'), which is not valid UTF-8 "
                   "text")
    else:
        size = len(env) + 1 + len(text.encode("utf-8"))
        if size >= ENV_VALUE_LIMIT:
            problem = (f"is {size} bytes as an environment variable; one input can carry "
                       f"less than {ENV_VALUE_LIMIT // 1024} KiB (the Linux limit on one "
                       "variable): pass large data as an artifact")
    if problem is None:
        return False
    report(diags, "TPH194", f"{what} cannot reach the pod: it {problem}", loc)
    return True
