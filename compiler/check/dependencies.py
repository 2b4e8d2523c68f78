"""Checks over the invocation graph of a workflow, on the IR.

- TPH407: an argument, loop (its list or its sequence bounds) or workflow output reads the
  output of a task that may not run
  (it has a ``.when(...)`` or a dependency condition). When that task is skipped or omitted,
  Argo cannot resolve the value and the reader fails. In a ``dag`` the reader may say
  ``.after(producer.succeeded)``: it is then omitted with the producer, never run without it.
- TPH308: a dependency cycle among invocations, reported at the edge written last (the one
  that closes it), naming the other edges. It is found here, before lowering, so that an
  unrelated error elsewhere in the file does not hide it.
"""

from __future__ import annotations

from tiphys.compiler import ir
from tiphys.compiler.check.types import report
from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.ir import flow as F
from tiphys.compiler.ir.loc import Loc


def check_dependencies(wf: ir.Workflow, by_uid: dict[int, ir.Invocation], diags: Diagnostics) -> None:
    for inv in wf.invocations:
        for _, value in inv.args:
            if isinstance(value, ir.OutputRef):
                _check_read(inv, value.node, value.loc, by_uid, diags)
            elif isinstance(value, ir.Interpolated):
                for part in value.parts:
                    if isinstance(part, ir.OutputRef):
                        _check_read(inv, part.node, part.loc, by_uid, diags)
        if isinstance(inv.task, ir.CompositeTask):
            _check_exposed(inv.task, by_uid, diags)
        for op in F.loop_reads(inv.flow.loop):  # a withParam's list, withSequence's bounds
            _check_read(inv, op.node, op.loc, by_uid, diags)
    for name, ref in wf.outputs:
        if isinstance(ref, ir.Choice):
            continue  # the safe read: lowered to an expression over the tasks' status
        producer = by_uid.get(ref.node)
        if producer is not None and _may_not_run(producer):
            report(diags, "TPH407", f"workflow output '{name}' reads the output of "
                   f"'{producer.name_hint}', which may not run ({_why(producer)}): then the "
                   "output has no value; publish the output of a task that always runs, or say what "
                   "to use instead: choose(...) or or_default(...)",
                   ref.loc)
    _check_cycles(wf, diags)


def _check_exposed(task: ir.CompositeTask, by_uid: dict[int, ir.Invocation],
                   diags: Diagnostics) -> None:
    """A composite output read from a task that may not run: as for a workflow output."""
    for name, ref in task.exposed:
        producer = by_uid.get(ref.node) if isinstance(ref, ir.OutputRef) else None
        if producer is not None and _may_not_run(producer):
            report(diags, "TPH407", f"output '{name}' of composite '{task.name}' reads the "
                   f"output of '{producer.name_hint}', which may not run ({_why(producer)}): "
                   "then the output has no value; use choose(...) or "
                   ".or_default(...)", ref.loc)


def _may_not_run(inv: ir.Invocation) -> bool:
    when = inv.flow.when
    # A condition on loop items only skips some runs of the loop, never the loop itself.
    items_only = when is not None and all(
        isinstance(op, (F.ItemOperand, F.LiteralOperand)) for op in F.condition_operands(when))
    return (when is not None and not items_only) or any(
        isinstance(d, F.DepResult) and d.result is not None
        for dep in inv.flow.depends for d in _conjuncts(dep))


def _why(inv: ir.Invocation) -> str:
    if inv.flow.when is not None:
        return "it has a .when() condition"
    return "it runs only on a dependency condition"


def _conjuncts(dep: F.Depends) -> list[F.Depends]:
    if isinstance(dep, F.DepBool):
        if dep.op == "&&":
            return [c for item in dep.items for c in _conjuncts(item)]
        return [d for item in dep.items for d in _walk(item)]
    return [dep]


def _walk(dep: F.Depends) -> list[F.Depends]:
    if isinstance(dep, F.DepBool):
        return [d for item in dep.items for d in _walk(item)]
    if isinstance(dep, F.DepNot):
        return _walk(dep.item)
    return [dep]


def _guarded(consumer: ir.Invocation, producer: int) -> bool:
    """The consumer runs only after *producer* succeeded (``.after(p.succeeded)``, alone or
    and-ed with other conditions): it is omitted when the producer does not run."""
    return any(
        isinstance(d, F.DepResult) and d.node == producer and d.result == "Succeeded"
        for dep in consumer.flow.depends
        for d in (_conjuncts(dep) if not (isinstance(dep, F.DepBool) and dep.op == "||")
                  else []))


def _check_read(consumer: ir.Invocation, node: int, loc: Loc,
                by_uid: dict[int, ir.Invocation], diags: Diagnostics) -> None:
    producer = by_uid.get(node)
    if producer is None or producer.uid == consumer.uid or not _may_not_run(producer) or \
            _guarded(consumer, node):
        return
    report(diags, "TPH407", f"'{consumer.name_hint}' reads the output of "
           f"'{producer.name_hint}', which may not run ({_why(producer)}): when it is "
           "skipped the value does not exist and the read fails; pass "
           f"or_default({producer.name_hint}.output, ...) or choose(...) instead, or in a dag "
           f"run the reader only after it succeeded: .after({producer.name_hint}.succeeded)",
           loc)


# -- cycles ----------------------------------------------------------------------------------


def _edges(inv: ir.Invocation) -> list[tuple[int, Loc, str]]:
    """(producer uid, where the edge is written, how) for each edge of *inv*."""
    out: list[tuple[int, Loc, str]] = []
    for uid, loc in inv.after_locs:
        out.append((uid, loc, "runs after"))
    for _, value in inv.args:
        if isinstance(value, ir.OutputRef):
            out.append((value.node, value.loc, "reads"))
    for op in F.condition_operands(inv.flow.when):
        if isinstance(op, F.OutputOperand):
            out.append((op.node, op.loc, "reads"))
    for op in F.loop_reads(inv.flow.loop):
        out.append((op.node, op.loc, "loops over"))
    for dep in inv.flow.depends:
        for d in _walk(dep):
            if isinstance(d, F.DepResult):
                out.append((d.node, d.loc, "runs after"))
    return out


def _check_cycles(wf: ir.Workflow, diags: Diagnostics) -> None:
    by_uid = {inv.uid: inv for inv in wf.invocations}
    edges = {inv.uid: [e for e in _edges(inv) if e[0] in by_uid] for inv in wf.invocations}
    state: dict[int, int] = {}  # 1: on the stack, 2: done
    stack: list[tuple[int, tuple[int, Loc, str] | None]] = []

    def visit(root: int) -> list[tuple[int, tuple[int, Loc, str]]] | None:
        # A depth-first search with its own stack of frames, not recursion: a chain of
        # thousands of tasks is as deep as it is long (N = 1,000 hit Python's limit).
        state[root] = 1
        frames = [(root, iter(edges[root]))]
        while frames:
            uid, pending = frames[-1]
            edge = next(pending, None)
            if edge is None:  # every edge of uid explored
                state[uid] = 2
                frames.pop()
                if frames:
                    stack.pop()  # the parent's edge into uid
                continue
            target = edge[0]
            stack.append((uid, edge))
            if state.get(target) == 1:
                start = next(i for i, (u, _) in enumerate(stack) if u == target)
                return [(u, e) for u, e in stack[start:] if e is not None]
            if target not in state:
                state[target] = 1
                frames.append((target, iter(edges[target])))
                continue  # the edge stays on the stack while target is explored
            stack.pop()
        return None

    for inv in wf.invocations:
        if inv.uid in state:
            continue
        cycle = visit(inv.uid)
        if cycle is None:
            continue
        if len(cycle) == 1:
            return  # a step on itself: TPH304 in lowering
        closing = max(range(len(cycle)), key=lambda i: cycle[i][1][1].position()[:2])
        names = [by_uid[u].name_hint for u, _ in cycle] + [by_uid[cycle[0][0]].name_hint]
        others = [f"'{by_uid[u].name_hint}' {how} '{by_uid[t].name_hint}' (line "
                  f"{loc.position()[0]})" for i, (u, (t, loc, how)) in enumerate(cycle)
                  if i != closing]
        u, (t, loc, how) = cycle[closing]
        report(diags, "TPH308", f"dependency cycle: {' -> '.join(reversed(names))}: here "
               f"'{by_uid[u].name_hint}' {how} '{by_uid[t].name_hint}', which closes it (the "
               f"other edges: {', '.join(others)}); remove one .after() or data reference",
               loc)
        return
