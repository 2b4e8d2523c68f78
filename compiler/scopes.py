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

from tiphys.compiler import ir
from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.names import NameTable, field_name, field_name_problem
from tiphys.compiler.source import Loc


@dataclass(eq=False, slots=True)
class Entry:
    """One step (or DAG task) of a scope: an invocation, or a nested composite."""

    element: ir.Invocation | Scope
    loc: Loc
    group: int = 0
    name: str = ""
    #: (parameter name, value) arguments of the call.
    args: list[tuple[str, str]] = field(default_factory=list)
    #: Names of sibling entries this one depends on (dag).
    deps: list[str] = field(default_factory=list)
    #: Source location of each argument, by parameter name.
    arg_locs: dict[str, Loc] = field(default_factory=dict)


@dataclass(eq=False, slots=True)
class Scope:
    composite: ir.Composite
    #: "steps" or "dag".
    kind: str
    parent: Scope | None
    entries: list[Entry] = field(default_factory=list)
    name: str = ""
    #: (uid, output) → input parameter name, for values imported from outside.
    inputs: dict[tuple[int, str], str] = field(default_factory=dict)
    #: (uid, output) → (output parameter name, expression), for values exported.
    outputs: dict[tuple[int, str], tuple[str, str]] = field(default_factory=dict)
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
    if isinstance(task, ir.BashTask) and output == "result":
        return "outputs.result"
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
            for uid in [*inv.after, *(r.node for r in inv.references())]:
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
                    if isinstance(value, ir.Literal):
                        entry.args.append((pname, value.value))
                    elif isinstance(value, ir.ParamRef):
                        entry.args.append((pname, f"{{{{workflow.parameters.{value.name}}}}}"))
                    else:
                        expr = self.reference(value.node, value.output, scope, entry, value.loc)
                        if expr is not None:
                            entry.args.append((pname, expr))
                for uid in el.after:
                    self.order(uid, scope, entry, el.loc)

    def _producer(self, uid: int, loc: Loc) -> tuple[Scope, Entry] | None:
        found = self.home.get(uid)
        if found is None:
            inv = self.invocations[uid]
            self.error("TPH307", f"'{inv.name_hint}' is used here but does not run in this "
                       "workflow: place it in the pipeline before this step (a dag() would "
                       "add it by itself)", loc)
        return found

    def reference(self, uid: int, output: str, scope: Scope, consumer: Entry | None,
                  loc: Loc) -> str | None:
        found = self._producer(uid, loc)
        if found is None:
            return None
        home_scope, home_entry = found
        task = self.invocations[uid].task
        if home_scope is scope:
            if consumer is not None:
                self._check_order(scope, home_entry, consumer, loc)
            return f"{{{{{scope.prefix}.{home_entry.name}.{output_suffix(task, output)}}}}}"
        if scope.contains(home_scope):
            child = self._child_entry(scope, home_scope)
            assert isinstance(child.element, Scope)
            pname = self._export(child.element, uid, output, loc)
            if pname is None:
                return None
            if consumer is not None:
                self._check_order(scope, child, consumer, loc)
            return f"{{{{{scope.prefix}.{child.name}.outputs.parameters.{pname}}}}}"
        return f"{{{{inputs.parameters.{self._import(scope, uid, output, loc)}}}}}"

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

    def _export(self, scope: Scope, uid: int, output: str, loc: Loc) -> str | None:
        key = (uid, output)
        if key in scope.outputs:
            return scope.outputs[key][0]
        expr = self.reference(uid, output, scope, None, loc)
        if expr is None:
            return None
        home_entry = self.home[uid][1]
        name = scope.output_names.derive(f"{home_entry.name}-{output}", str(key))
        # A steps/dag template exports a value with valueFrom.parameter.
        scope.outputs[key] = (name, expr)
        return name

    def _import(self, scope: Scope, uid: int, output: str, loc: Loc) -> str:
        key = (uid, output)
        if key in scope.inputs:
            return scope.inputs[key]
        home_entry = self.home[uid][1]
        name = scope.input_names.derive(f"{home_entry.name}-{output}", str(key))
        scope.inputs[key] = name
        parent = scope.parent
        assert parent is not None
        caller = next(e for e in parent.entries if e.element is scope)
        expr = self.reference(uid, output, parent, caller, loc)
        if expr is not None:
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
                self._check_cycle(scope)

    def _check_cycle(self, scope: Scope) -> None:
        """Depth-first search; reports the first cycle found, with its path."""
        by_name = {e.name: e for e in scope.entries}
        state: dict[str, int] = {}  # 1 on the current path, 2 finished
        for root in scope.entries:
            if root.name in state:
                continue
            path: list[str] = [root.name]
            stack = [iter(root.deps)]
            state[root.name] = 1
            while stack:
                dep = next(stack[-1], None)
                if dep is None:
                    state[path.pop()] = 2
                    stack.pop()
                    continue
                if state.get(dep) == 1:
                    cycle = [*path[path.index(dep):], dep]
                    self.error("TPH308", "dependency cycle: " + " -> ".join(cycle) +
                               ": break it by removing one .after() or data reference",
                               by_name[path[-1]].loc)
                    return
                if dep not in state and dep in by_name:
                    state[dep] = 1
                    path.append(dep)
                    stack.append(iter(by_name[dep].deps))
