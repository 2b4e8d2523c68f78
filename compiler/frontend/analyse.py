"""Front end entry point: a parsed file → :class:`ir.Module`, with diagnostics."""

from __future__ import annotations

import json

from tiphys.compiler import ir
from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.frontend.calls.workflow import PendingWorkflow
from tiphys.compiler.frontend.evaluate import Evaluator
from tiphys.compiler.frontend.source import SourceFile
from tiphys.compiler.frontend.values import CompositeVal, NodeRec, NodeVal, ParamVal
from tiphys.compiler.ir.composites import expand_composites
from tiphys.compiler.ir.flow import Flow
from tiphys.compiler.ir.names import metadata_name


def analyse(source: SourceFile, diags: Diagnostics) -> ir.Module:
    ev = Evaluator(source, diags)
    ev.run()
    invocations: dict[int, ir.Invocation] = {
        uid: _invocation(rec) for uid, rec in ev.nodes.items()
    }
    workflows = tuple(
        _workflow(p, ev, invocations, diags) for p in ev.workflows
    )
    _check_names(ev)
    return ir.Module(source.path, workflows)


def _check_names(ev: Evaluator) -> None:
    """Two workflows of the file that become one document name: TPH011 at the second (the
    check across the files of a run has no position to give)."""
    first: dict[str, PendingWorkflow] = {}
    for p in ev.workflows:
        name = metadata_name(p.name)
        if name and name in first:
            line = first[name].name_loc.position()[0]
            ev.error("TPH011", f"workflow '{name}' is also defined at line {line} of this "
                     "file; workflow names must be unique", p.name_loc)
        first.setdefault(name, p)


def _invocation(rec: NodeRec) -> ir.Invocation:
    flow = Flow(rec.when, rec.loop, tuple(rec.depends), rec.continue_on, tuple(rec.hooks))
    return ir.Invocation(
        rec.uid, rec.task, tuple(rec.args), rec.name_hint, rec.hint_source == "explicit",
        tuple(dict.fromkeys(rec.after)), rec.loc, flow,
        tuple(zip(rec.after, rec.after_locs, strict=False)),
    )


def _element(value: NodeVal | CompositeVal, invocations: dict[int, ir.Invocation],
             memo: dict[int, ir.Composite]) -> ir.Element:
    """The IR of a composite value. A composite reused inside another (``p2 =
    pipeline(p1, p1)``) becomes one shared IR object, not a copy per use: the IR stays the
    size of the program, never exponential in it."""
    if isinstance(value, NodeVal):
        return invocations[value.uid]
    done = memo.get(id(value))
    if done is None:
        done = ir.Composite(
            value.kind, tuple(_element(v, invocations, memo) for v, _ in value.elements),
            value.name, value.loc, value.fail_fast,
        )
        memo[id(value)] = done
    return done


def _placed(element: ir.Element, out: list[int], seen: set[int]) -> None:
    """The invocations placed in *element*, each once, in order; a shared composite is
    visited once."""
    if isinstance(element, ir.Invocation):
        out.append(element.uid)
    elif id(element) not in seen:
        seen.add(id(element))
        for child in element.elements:
            _placed(child, out, seen)


def _workflow(
    p: PendingWorkflow, ev: Evaluator, invocations: dict[int, ir.Invocation], diags: Diagnostics
) -> ir.Workflow:
    body = _element(p.body, invocations, {})
    placed: list[int] = []
    _placed(body, placed, set())
    order = list(dict.fromkeys(placed))
    # Everything the placed invocations read from or run after, and their hook handlers,
    # transitively.
    seen = set(order)
    stack = list(order) + [h.node for h in p.hooks] + [
        o.node for _, ref in p.outputs
        for o in (ref.options if isinstance(ref, ir.Choice) else (ref,))]
    for uid in stack[len(order):]:
        if uid not in seen:
            seen.add(uid)
            order.append(uid)
    while stack:
        inv = invocations[stack.pop()]
        for uid in [*inv.upstream(), *(h.node for h in inv.flow.hooks)]:
            if uid not in seen:
                seen.add(uid)
                order.append(uid)
                stack.append(uid)
    needed = tuple(expand_composites([invocations[uid] for uid in order]))
    params = _params(p, [ev.nodes[inv.uid] for inv in needed], ev)
    return ir.Workflow(p.name, body, needed, params, p.options, p.image, p.loc,
                       tuple(p.hooks), tuple(p.outputs))


def _param_default(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def _params(p: PendingWorkflow, recs: list[NodeRec], ev: Evaluator) -> tuple[ir.WorkflowParam, ...]:
    chosen: dict[str, ParamVal] = {}
    for decl in [*p.params, *(pv for rec in recs for pv in rec.params)]:
        prev = chosen.get(decl.name)
        if prev is None:
            chosen[decl.name] = decl
            continue
        if decl.has_default and prev.has_default and decl.default != prev.default:
            ev.error("TPH121", f"workflow parameter '{decl.name}' is declared with two "
                     f"different defaults ({prev.default!r} and {decl.default!r}); declare "
                     "it once and reuse it", decl.loc)
        elif decl.has_default and not prev.has_default:
            chosen[decl.name] = ParamVal(decl.name, decl.default, True,
                                         prev.description or decl.description,
                                         prev.enum or decl.enum, prev.loc)
    return tuple(
        ir.WorkflowParam(
            d.name,
            _param_default(d.default) if d.has_default else None,
            d.description,
            tuple(_param_default(e) for e in d.enum) if d.enum else None,
            d.loc,
            d.default if d.has_default else None,
        )
        for d in chosen.values()
    )
