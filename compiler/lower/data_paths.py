"""Data between templates: how a step reads another invocation's output, wherever it runs.

Same scope: ``{{steps.X.outputs...}}`` / ``{{tasks.X.outputs...}}`` with an order check (steps)
or a ``depends`` edge (dag). Inside a nested composite: the composite exports it as an output
parameter. Outside the scope: the scope imports it as an input parameter its caller passes.
:class:`DataPaths` is the part of :class:`.placement.Placement` that resolves these paths.
"""

from __future__ import annotations

from typing import Any

from tiphys.compiler import ir
from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.ir.flow import OutputOperand
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.lower.composites import input_tag, render_value
from tiphys.compiler.lower.scopes import Entry, Scope, output_suffix


class DataPaths:
    """Resolves references between the scopes of one workflow (see the module docstring)."""

    diags: Diagnostics
    scopes: list[Scope]
    #: uid → (scope, entry) where the invocation runs.
    home: dict[int, tuple[Scope, Entry]]
    invocations: dict[int, ir.Invocation]
    #: No TPH434 warning: this is an exit handler's or hook's template.
    quiet_status: bool = False

    def error(self, code: str, message: str, loc: Loc) -> None:
        line, col, end_line, end_col = loc.position()
        self.diags.error(code, message, loc.path, line, col, end_line, end_col)

    # -- building ---------------------------------------------------------------------------
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
            elif isinstance(value, ir.InputRef) and value.kind == "artifact":
                continue  # an artifact argument (artifact_arguments)
            elif isinstance(value, (ir.InputRef, ir.Interpolated, ir.Choice)):
                if isinstance(value, ir.Interpolated) and consumer is not None and any(
                        isinstance(p, ir.WorkflowRef) and p.variable == "workflow.status"
                        for p in value.parts):
                    self._status_outside_exit(value.loc)
                text = render_value(self, value, scope, consumer)
                if text is not None:
                    out.append((pname, text))
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
            elif isinstance(value, ir.InputRef) and value.kind == "artifact":
                out.append((pname, {"from": input_tag(scope, value.name, "artifact")}))
        return out

    # -- control flow -----------------------------------------------------------------------

    def _status_outside_exit(self, loc: Loc) -> None:
        if self.quiet_status:
            return
        line, col, end_line, end_col = loc.position()
        self.diags.warning(
            "TPH434", "workflow_status is set only while exit handlers and hooks run; a step "
            "of the workflow itself reads it unresolved: use it in on_exit=, .on_exit() or "
            "a hook", loc.path, line, col, end_line, end_col)

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

    def all_outputs(self, src: OutputOperand, scope: Scope, consumer: Entry) -> str | None:
        """``{{tasks.X.outputs.parameters}}``: every run's named outputs, for ``each(loop)``.
        Argo aggregates them only for a sibling, so the loop must run in the same composite."""
        found = self._producer(src.node, src.loc)
        if found is None:
            return None
        home_scope, home_entry = found
        if home_scope is not scope:
            self.error("TPH531", f"each() reads the outputs of every run of "
                       f"'{self.invocations[src.node].name_hint}', which Argo gathers only "
                       "for a task of the same composite: place both in one dag() or "
                       "pipeline()", src.loc)
            return None
        self._check_order(scope, home_entry, consumer, src.loc)
        return f"{{{{{scope.prefix}.{home_entry.name}.outputs.parameters}}}}"

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
