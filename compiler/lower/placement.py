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

from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler import ir
from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.ir import flow as ir_flow
from tiphys.compiler.ir.flow import condition_operands, depends_nodes
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.names import NameTable, field_name, field_name_problem
from tiphys.compiler.lower.depends import find_cycle, render_depends_strings
from tiphys.compiler.lower.flow import (
    expr_path,
    loop_fields,
    render_condition,
    render_depends,
    when_tag,
)


@dataclass(eq=False, slots=True)
class Entry:
    """One step (or DAG task) of a scope: an invocation, or a nested composite."""

    element: ir.Invocation | Scope
    loc: Loc
    group: int = 0
    name: str = ""
    #: (parameter name, value) arguments of the call.
    args: list[tuple[str, str]] = field(default_factory=list)
    #: (artifact name, Argo source: {"from": tag} or a location) arguments of the call.
    artifacts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    #: Names of sibling entries this one depends on (dag).
    deps: list[str] = field(default_factory=list)
    #: Source location of each argument, by parameter name.
    arg_locs: dict[str, Loc] = field(default_factory=dict)
    #: Extra step/task fields (when, loops, continueOn, hooks), in emission order.
    fields: dict[str, Any] = field(default_factory=dict)
    #: Explicit ``depends`` logic rendered with sibling names (dag).
    depends_logic: list[str] = field(default_factory=list)
    #: Sibling names the explicit logic mentions (not repeated as plain dependencies).
    depends_named: set[str] = field(default_factory=set)
    #: The final ``depends`` string (dag), set by :meth:`Placement.finish`.
    depends: str = ""
    #: How this entry may fail without failing the run (``.continue_on``).
    continue_on: ir_flow.ContinueOn | None = None


@dataclass(eq=False, slots=True)
class Scope:
    composite: ir.Composite
    #: "steps" or "dag".
    kind: str
    parent: Scope | None
    entries: list[Entry] = field(default_factory=list)
    name: str = ""
    #: (uid, output, kind) → input name, for values imported from outside.
    inputs: dict[tuple[int, str, str], str] = field(default_factory=dict)
    #: (uid, output, kind) → (output name, expression), for values exported.
    outputs: dict[tuple[int, str, str], tuple[str, str]] = field(default_factory=dict)
    #: Workflow outputs published from this (root) template: (global name, expression).
    global_outputs: list[tuple[str, str]] = field(default_factory=list)
    input_names: NameTable = field(default_factory=NameTable)
    output_names: NameTable = field(default_factory=NameTable)

    @property
    def prefix(self) -> str:
        return "steps" if self.kind == "steps" else "tasks"

    def contains(self, other: Scope) -> bool:
        s: Scope | None = other
        while s is not None:
            if s is self:
                return True
            s = s.parent
        return False


def _source_order(entry: Entry) -> int:
    el = entry.element
    if isinstance(el, ir.Invocation):
        return el.uid
    uids = [e2 for e2 in _uids(el.composite)]
    return min(uids) if uids else 0


def _uids(comp: ir.Composite) -> list[int]:
    out: list[int] = []
    for el in comp.elements:
        if isinstance(el, ir.Invocation):
            out.append(el.uid)
        else:
            out.extend(_uids(el))
    return out


def output_suffix(task: ir.TaskDef, output: str) -> str:
    if isinstance(task, (ir.BashTask, ir.HttpTask)) and output == "result":
        return "outputs.result"  # stdout, or the response body
    return f"outputs.parameters.{output}"


class Placement:
    """Builds the scope tree of one workflow and resolves its references."""

    def __init__(self, wf: ir.Workflow, diags: Diagnostics) -> None:
        self.wf = wf
        self.diags = diags
        self.scopes: list[Scope] = []
        #: uid → (scope, entry) where the invocation runs.
        self.home: dict[int, tuple[Scope, Entry]] = {}
        self.invocations = {inv.uid: inv for inv in wf.invocations}
        body = wf.body
        if isinstance(body, ir.Invocation):
            body = ir.Composite("pipeline", (body,), None, body.loc)
        self.root = self._scope(body, None)
        self._place_upstream()

    def error(self, code: str, message: str, loc: Loc) -> None:
        line, col, end_line, end_col = loc.position()
        self.diags.error(code, message, loc.path, line, col, end_line, end_col)

    # -- building ---------------------------------------------------------------------------

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
                scope.entries.sort(key=_source_order)

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

    def arguments(
        self, inv: ir.Invocation, scope: Scope, consumer: Entry | None
    ) -> list[tuple[str, str]]:
        """The call's argument values, resolved in *scope*."""
        out = []
        for pname, value in inv.args:
            if isinstance(value, ir.Literal):
                out.append((pname, value.value))
            elif isinstance(value, ir.ParamRef):
                out.append((pname, f"{{{{workflow.parameters.{value.name}}}}}"))
            elif isinstance(value, ir.WorkflowRef):
                if value.variable == "workflow.status" and consumer is not None:
                    self._status_outside_exit(value.loc)
                out.append((pname, f"{{{{{value.variable}}}}}"))
            elif isinstance(value, ir.OutputRef) and value.kind != "artifact":
                expr = self.reference(value.node, value.output, scope, consumer, value.loc,
                                      value.kind)
                if expr is not None:
                    out.append((pname, expr))
        return out

    def artifact_arguments(
        self, inv: ir.Invocation, scope: Scope, consumer: Entry | None
    ) -> list[tuple[str, dict[str, Any]]]:
        out: list[tuple[str, dict[str, Any]]] = []
        for pname, value in inv.args:
            if isinstance(value, ir.ArtifactSource):
                out.append((pname, value.location.to_argo()))
            elif isinstance(value, ir.OutputRef) and value.kind == "artifact":
                expr = self.reference(value.node, value.output, scope, consumer, value.loc,
                                      "artifact")
                if expr is not None:
                    out.append((pname, {"from": expr}))
        return out

    # -- control flow -----------------------------------------------------------------------

    def _operand(self, op: ir_flow.Operand, scope: Scope, consumer: Entry | None) -> str | None:
        if isinstance(op, ir_flow.OutputOperand):
            tag = self.reference(op.node, op.output, scope, consumer, op.loc)
            return None if tag is None else expr_path(tag)
        if isinstance(op, ir_flow.ParamOperand):
            return expr_path(f"workflow.parameters.{op.name}")
        if isinstance(op, ir_flow.WorkflowOperand):
            return op.variable
        return None

    def _status_outside_exit(self, loc: Loc) -> None:
        line, col, end_line, end_col = loc.position()
        self.diags.warning(
            "TPH434", "workflow_status is set only while exit handlers and hooks run; a step "
            "of the workflow itself reads it unresolved: use it in on_exit=, .on_exit() or "
            "a hook", loc.path, line, col, end_line, end_col)

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
            if isinstance(src, ir_flow.OutputOperand):
                source = self.reference(src.node, src.output, scope, entry, src.loc)
            elif isinstance(src, ir_flow.ParamOperand):
                source = f"{{{{workflow.parameters.{src.name}}}}}"
            entry.fields.update(loop_fields(flow.loop, source))
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

    def hook(self, hook: ir_flow.Hook, scope: Scope | None, entry: Entry | None) -> dict[str, Any] | None:
        """A lifecycle hook: the handler's template, arguments and expression."""
        handler = self.invocations[hook.node]
        if handler.uid in self.home:
            self.error("TPH432", f"'{handler.name_hint}' is a hook handler and also placed in "
                       "the workflow; a handler runs only as a hook: call the task again for "
                       "a separate run", hook.loc)
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

    def _producer(self, uid: int, loc: Loc) -> tuple[Scope, Entry] | None:
        found = self.home.get(uid)
        if found is None:
            inv = self.invocations[uid]
            self.error("TPH307", f"'{inv.name_hint}' is used here but does not run in this "
                       "workflow: place it in the pipeline before this step (a dag() would "
                       "add it by itself)", loc)
        return found

    def reference(self, uid: int, output: str, scope: Scope, consumer: Entry | None,
                  loc: Loc, kind: str = "parameter") -> str | None:
        """The tag that reads output *output* (a parameter or an artifact) of invocation
        *uid* from inside *scope*, exporting and importing it across templates as needed."""
        found = self._producer(uid, loc)
        if found is None:
            return None
        home_scope, home_entry = found
        task = self.invocations[uid].task
        plural = "artifacts" if kind == "artifact" else "parameters"
        if home_scope is scope:
            if consumer is not None:
                self._check_order(scope, home_entry, consumer, loc)
            if kind == "artifact":
                suffix = f"outputs.artifacts.{output}"
            elif kind == "ip":
                suffix = "ip"  # a daemon's address, once it runs
            else:
                suffix = output_suffix(task, output)
            return f"{{{{{scope.prefix}.{home_entry.name}.{suffix}}}}}"
        if scope.contains(home_scope):
            child = self._child_entry(scope, home_scope)
            assert isinstance(child.element, Scope)
            pname = self._export(child.element, uid, output, loc, kind)
            if pname is None:
                return None
            if consumer is not None:
                self._check_order(scope, child, consumer, loc)
            return f"{{{{{scope.prefix}.{child.name}.outputs.{plural}.{pname}}}}}"
        return f"{{{{inputs.{plural}.{self._import(scope, uid, output, loc, kind)}}}}}"

    def order(self, uid: int, scope: Scope, consumer: Entry, loc: Loc) -> None:
        """``consumer.after(uid)``: order without data, at the level both are siblings."""
        found = self._producer(uid, loc)
        if found is None:
            return
        home_scope, home_entry = found
        s: Scope | None = scope
        entry = consumer
        while s is not None:
            if home_scope is s:
                self._check_order(s, home_entry, entry, loc)
                return
            if s.contains(home_scope):
                self._check_order(s, self._child_entry(s, home_scope), entry, loc)
                return
            parent = s.parent
            if parent is None:
                return
            entry = next(e for e in parent.entries if e.element is s)
            s = parent

    def _child_entry(self, scope: Scope, inner: Scope) -> Entry:
        s = inner
        while s.parent is not scope:
            assert s.parent is not None
            s = s.parent
        return next(e for e in scope.entries if e.element is s)

    def _export(self, scope: Scope, uid: int, output: str, loc: Loc,
                kind: str = "parameter") -> str | None:
        key = (uid, output, kind)
        if key in scope.outputs:
            return scope.outputs[key][0]
        expr = self.reference(uid, output, scope, None, loc, kind)
        if expr is None:
            return None
        home_entry = self.home[uid][1]
        name = scope.output_names.derive(f"{home_entry.name}-{output}", str(key))
        # A steps/dag template exports a parameter with valueFrom.parameter, an artifact
        # with from.
        scope.outputs[key] = (name, expr)
        return name

    def _import(self, scope: Scope, uid: int, output: str, loc: Loc,
                kind: str = "parameter") -> str:
        key = (uid, output, kind)
        if key in scope.inputs:
            return scope.inputs[key]
        home_entry = self.home[uid][1]
        name = scope.input_names.derive(f"{home_entry.name}-{output}", str(key))
        scope.inputs[key] = name
        parent = scope.parent
        assert parent is not None
        caller = next(e for e in parent.entries if e.element is scope)
        expr = self.reference(uid, output, parent, caller, loc, kind)
        if expr is not None:
            if kind == "artifact":
                caller.artifacts.append((name, {"from": expr}))
            else:
                caller.args.append((name, expr))
        return name

    def _check_order(self, scope: Scope, producer: Entry, consumer: Entry, loc: Loc) -> None:
        if producer is consumer:
            self.error("TPH304", f"'{consumer.name}' depends on itself", loc)
            return
        if scope.kind == "dag":
            if producer.name not in consumer.deps:
                consumer.deps.append(producer.name)
            return
        if producer.group == consumer.group:
            self.error("TPH302", f"'{consumer.name}' uses '{producer.name}', which runs at the "
                       "same time (same parallel group), so it has not finished yet: move "
                       f"'{consumer.name}' to a later step of the pipeline", loc)
        elif producer.group > consumer.group:
            self.error("TPH303", f"'{consumer.name}' uses '{producer.name}', which runs later "
                       f"in the pipeline: move '{producer.name}' before '{consumer.name}'", loc)

    def check_cycles(self) -> None:
        for scope in self.scopes:
            if scope.kind == "dag":
                cycle = find_cycle(scope)
                if cycle is not None:
                    names, entry = cycle
                    self.error("TPH308", "dependency cycle: " + " -> ".join(names) +
                               ": break it by removing one .after() or data reference",
                               entry.loc)
