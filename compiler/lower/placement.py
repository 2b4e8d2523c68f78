"""Placing invocations into Argo templates and resolving the data between them.

Each ``pipeline``/``parallel``/``dag`` becomes a template (a *scope*); its steps or tasks are
*entries*. A data reference from an entry to an invocation is resolved by where the producer
lives relative to the consumer:

* same scope: ``{{steps.X.outputs...}}`` / ``{{tasks.X.outputs...}}``, with an order check
  (steps) or a ``depends`` edge (dag);
* inside a nested composite of this scope: the composite's template exports it as an output
  parameter, read as ``{{steps.C.outputs.parameters.P}}``;
* outside this scope: the scope imports it as an input parameter, which its caller passes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tiphys.compiler import ir
from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.ir import flow as ir_flow
from tiphys.compiler.ir.flow import condition_operands, depends_nodes
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.names import NameTable, field_name, field_name_problem
from tiphys.compiler.lower.composites import choice_expression, input_tag
from tiphys.compiler.lower.data_paths import DataPaths
from tiphys.compiler.lower.depends import find_cycle, render_depends_strings
from tiphys.compiler.lower.flow import (
    expr_path,
    loop_fields,
    render_condition,
    render_depends,
    when_tag,
)
from tiphys.compiler.lower.scopes import Entry, Scope, source_order


class Placement(DataPaths):
    """Builds the scope tree of one workflow and resolves its references."""

    def __init__(self, wf: ir.Workflow, diags: Diagnostics) -> None:
        self.wf = wf
        self.diags = diags
        self.scopes: list[Scope] = []
        #: uid → (scope, entry) where the invocation runs.
        self.home: dict[int, tuple[Scope, Entry]] = {}
        self.invocations = {inv.uid: inv for inv in wf.invocations}
        #: Composites already placed, by identity (the front end shares a reused one).
        self._placed: set[int] = set()
        body = wf.body
        if isinstance(body, ir.Invocation):
            body = ir.Composite("pipeline", (body,), None, body.loc)
        self.root = self._scope(body, None)
        self._place_upstream()


    def _scope(self, comp: ir.Composite, parent: Scope | None) -> Scope:
        scope = Scope(comp, "dag" if comp.kind == "dag" else "steps", parent)
        self.scopes.append(scope)
        if comp.kind == "pipeline":
            for group, element in enumerate(comp.elements):
                if isinstance(element, ir.Composite) and element.kind == "parallel":
                    for inner in element.elements:
                        self._entry(scope, inner, group)
                else:
                    self._entry(scope, element, group)
        else:
            for element in comp.elements:
                self._entry(scope, element, 0)
        return scope

    def _entry(self, scope: Scope, element: ir.Element, group: int) -> None:
        if isinstance(element, ir.Invocation):
            entry = Entry(element, element.loc, group)
            if element.uid in self.home:
                self.error("TPH301", f"'{element.name_hint}' is placed in the workflow twice; "
                           "an invocation runs once: call the task again for a second run",
                           element.loc)
                return
            self.home[element.uid] = (scope, entry)
        else:
            if id(element) in self._placed:
                # A composite used twice places each of its invocations twice: say so for
                # each, once, without building the copy (which grows exponentially when
                # composites are reused inside composites).
                for inv in _invocations_in(element):
                    self._entry(scope, inv, group)
                return
            self._placed.add(id(element))
            entry = Entry(self._scope(element, scope), element.loc, group)
        scope.entries.append(entry)

    def _place_upstream(self) -> None:
        """Invocations only read from (never placed): a dag runs them itself."""
        consumers: dict[int, int] = {}  # producer uid → first consumer uid, in order
        for inv in self.wf.invocations:
            for uid in inv.upstream():
                consumers.setdefault(uid, inv.uid)
        for inv in self.wf.invocations:
            if inv.uid in self.home:
                continue
            consumer = self.home.get(consumers.get(inv.uid, -1))
            if consumer is not None and consumer[0].kind == "dag":
                entry = Entry(inv, inv.loc, 0)
                consumer[0].entries.append(entry)
                self.home[inv.uid] = (consumer[0], entry)
        for scope in self.scopes:
            if scope.kind == "dag":
                # Source order: the order the invocations were written in.
                scope.entries.sort(key=source_order)

    # -- naming -----------------------------------------------------------------------------

    def name_entries(self) -> None:
        for scope in self.scopes:
            table = NameTable()
            for entry in scope.entries:  # user-chosen names first: they must be unique
                el = entry.element
                if isinstance(el, ir.Invocation) and el.name_hint and (
                    el.explicit_name or el.name_hint != el.task.name
                ):
                    self._claim(table, entry, field_name(el.name_hint), el.explicit_name)
                elif isinstance(el, Scope) and el.composite.name:
                    self._claim(table, entry, field_name(el.composite.name), True)
            for entry in scope.entries:
                if entry.name:
                    continue
                el = entry.element
                base = field_name(el.task.name) if isinstance(el, ir.Invocation) \
                    else el.composite.kind
                entry.name = table.derive(base or "step", str(id(entry)))

    def _claim(self, table: NameTable, entry: Entry, name: str, explicit: bool) -> None:
        problem = field_name_problem(name)
        if problem:
            self.error("TPH305", f"step name '{name}' {problem}", entry.loc)
            name = table.derive("step", str(id(entry)))
        elif table.claim(name, str(id(entry))) is not None:
            how = "given twice with .named()" if explicit else "bound to two invocations"
            self.error("TPH306", f"step name '{name}' is {how} in the same template; names are "
                       "never merged: rename one (for example with .named(\"...\"))", entry.loc)
            name = table.derive(name, str(id(entry)))
        entry.name = name

    # -- references -------------------------------------------------------------------------

    def resolve_all(self) -> None:
        for scope in self.scopes:
            for entry in scope.entries:
                el = entry.element
                if not isinstance(el, ir.Invocation):
                    continue
                for pname, value in el.args:
                    entry.arg_locs[pname] = value.loc
                entry.args += self.arguments(el, scope, entry)
                entry.artifacts += self.artifact_arguments(el, scope, entry)
                for uid in el.after:
                    self.order(uid, scope, entry, el.loc)
                self._flow(el, scope, entry)
        render_depends_strings(self.scopes)

    def _operand(self, op: ir_flow.Operand, scope: Scope, consumer: Entry | None) -> str | None:
        if isinstance(op, ir_flow.OutputOperand):
            tag = self.reference(op.node, op.output, scope, consumer, op.loc)
            return None if tag is None else expr_path(tag)
        if isinstance(op, ir_flow.ParamOperand) and op.composite_input:
            return expr_path(input_tag(scope, op.name))
        if isinstance(op, ir_flow.ParamOperand):
            return expr_path(f"workflow.parameters.{op.name}")
        if isinstance(op, ir_flow.WorkflowOperand):
            return op.variable
        if isinstance(op, ir_flow.ItemOperand):
            return "item" if op.name is None else expr_path(f"item.{op.name}")
        return None

    def _flow(self, inv: ir.Invocation, scope: Scope, entry: Entry) -> None:
        flow = inv.flow
        for op in condition_operands(flow.when):
            if isinstance(op, ir_flow.WorkflowOperand) and op.variable == "workflow.status":
                self._status_outside_exit(op.loc)
        if flow.when is not None:
            text = render_condition(flow.when, lambda op: self._operand(op, scope, entry))
            if text is not None:
                entry.fields["when"] = when_tag(text)
        if flow.loop is not None:
            source = None
            src = flow.loop.source
            if isinstance(src, ir_flow.OutputOperand) and src.output == ir_flow.ALL_OUTPUTS:
                source = self.all_outputs(src, scope, entry)
            elif isinstance(src, ir_flow.OutputOperand):
                source = self.reference(src.node, src.output, scope, entry, src.loc)
            elif isinstance(src, ir_flow.ParamOperand):
                source = f"{{{{workflow.parameters.{src.name}}}}}"
            loop = self._sequence_bounds(flow.loop, scope, entry)
            if loop is not None:
                entry.fields.update(loop_fields(loop, source))
        for dep in flow.depends:
            self._depends(dep, scope, entry, inv.loc)
        if flow.continue_on is not None:
            entry.continue_on = flow.continue_on
            if scope.kind == "steps":
                on: dict[str, bool] = {}
                if flow.continue_on.failed:
                    on["failed"] = True
                if flow.continue_on.error:
                    on["error"] = True
                entry.fields["continueOn"] = on
        hooks: dict[str, Any] = {}
        for hook in flow.hooks:
            rendered = self.hook(hook, scope, entry)
            if rendered is not None:
                hooks[hook.name] = rendered
        if hooks:
            entry.fields["hooks"] = hooks

    def _sequence_bounds(self, loop: ir_flow.Loop, scope: Scope,
                         entry: Entry) -> ir_flow.Loop | None:
        """*loop* with its withSequence bounds as the tags that read them in *scope*: an
        output (which orders the step after its producer, as an argument does), a choice
        between outputs (an expression over the producers' status) or a composite input.
        None when a bound could not be resolved (reported)."""
        resolved: list[ir_flow.Bound | None] = []
        for bound in (loop.start, loop.end, loop.count):
            if isinstance(bound, ir_flow.OutputOperand):
                tag = self.reference(bound.node, bound.output, scope, entry, bound.loc)
                if tag is None:
                    return None
                resolved.append(tag)
            elif isinstance(bound, ir_flow.ParamOperand):
                resolved.append(input_tag(scope, bound.name) if bound.composite_input
                                else f"{{{{workflow.parameters.{bound.name}}}}}")
            elif isinstance(bound, ir.Choice):
                expression = choice_expression(self, bound, scope, entry)
                if expression is None:
                    return None
                resolved.append("{{=" + expression + "}}")
            else:
                resolved.append(bound)
        start, end, count = resolved
        return replace(loop, start=start, end=end, count=count)

    def hook(self, hook: ir_flow.Hook, scope: Scope | None, entry: Entry | None) -> dict[str, Any] | None:
        """A lifecycle hook: the handler's template, arguments and expression."""
        handler = self.invocations[hook.node]
        if handler.uid in self.home:
            self.error("TPH432", f"'{handler.name_hint}' is a hook handler and also placed in "
                       "the workflow; a handler runs only as a hook: call the task again for "
                       "a separate run", hook.loc)
            return None
        if handler.flow.when is not None or handler.flow.loop is not None:
            # Argo runs a hook's template once, as it is: a condition or a loop on the handler
            # call would be dropped (and a recursive handler would never stop).
            what = ".when()" if handler.flow.when is not None else ".map()"
            self.error("TPH435", f"the handler '{handler.name_hint}' has its own {what}, which "
                       "Argo's hooks and exit handlers cannot carry: put the condition inside "
                       "the handler (a @composite whose steps test it), or use hook(handler, "
                       "when=...) for a lifecycle hook", handler.loc)
            return None
        out: dict[str, Any] = {"template": field_name(handler.task.name)}
        if scope is None:
            bad = [v for _, v in handler.args if isinstance(v, ir.OutputRef)]
            if bad:
                self.error("TPH431", "a workflow hook runs outside every step, so its "
                           "arguments cannot read a task's output: pass parameters, literals or "
                           "workflow_status", bad[0].loc)
                return None
            args = self.arguments(handler, self.root, None)
        else:
            args = self.arguments(handler, scope, None)
        if args:
            out["arguments"] = {"parameters": [{"name": n, "value": v} for n, v in args]}
        if hook.when is not None:
            where = scope or self.root
            text = render_condition(hook.when, lambda op: self._operand(op, where, entry))
            if text is None:
                return None
            out["expression"] = text
        return out

    def _depends(self, dep: ir_flow.Depends, scope: Scope, entry: Entry, loc: Loc) -> None:
        if scope.kind == "steps":
            for node in depends_nodes(dep):
                self.order(node, scope, entry, loc)
            if not (isinstance(dep, ir_flow.DepResult) and dep.result is None):
                self.error("TPH422", "dependency conditions (a.failed, a | b, ...) need a dag(); "
                           "in a pipeline every step runs after the previous group succeeds",
                           loc)
            return

        def name_of(d: ir_flow.DepResult) -> str | None:
            found = self._producer(d.node, d.loc)
            if found is None:
                return None
            home_scope, home_entry = found
            if home_scope is scope:
                sibling = home_entry
            elif scope.contains(home_scope):
                sibling = self._child_entry(scope, home_scope)
            else:
                self.error("TPH423", f"'{home_entry.name}' runs outside this dag, so a "
                           "dependency condition cannot name it: put both in the same dag()",
                           d.loc)
                return None
            if sibling is entry:
                self.error("TPH304", f"'{entry.name}' depends on itself", d.loc)
                return None
            if sibling.name not in entry.deps:
                entry.deps.append(sibling.name)
            entry.depends_named.add(sibling.name)
            return sibling.name

        text = render_depends(dep, name_of)
        if text is not None:
            entry.depends_logic.append(text)

    def check_cycles(self) -> None:
        for scope in self.scopes:
            if scope.kind == "dag":
                cycle = find_cycle(scope)
                if cycle is not None:
                    names, entry = cycle
                    self.error("TPH308", "dependency cycle: " + " -> ".join(names) +
                               ": break it by removing one .after() or data reference",
                               entry.loc)


def _invocations_in(comp: ir.Composite) -> list[ir.Invocation]:
    """The distinct invocations under *comp*, each shared composite visited once."""
    out: dict[int, ir.Invocation] = {}
    seen: set[int] = set()
    stack: list[ir.Element] = [comp]
    while stack:
        element = stack.pop()
        if isinstance(element, ir.Invocation):
            out.setdefault(element.uid, element)
        elif id(element) not in seen:
            seen.add(id(element))
            stack.extend(reversed(element.elements))
    return list(out.values())
