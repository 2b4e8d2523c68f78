"""``workflow(name, body, ...)``: the body, parameters, options, exit handler, hooks and
outputs of one workflow, read statically into a :class:`PendingWorkflow`."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tiphys.compiler import ir
from tiphys.compiler.frontend.arguments import Signature, bind
from tiphys.compiler.frontend.calls.record_outputs import whole_record
from tiphys.compiler.frontend.nodes import dict_items
from tiphys.compiler.frontend.values import (
    TOO_DEEP,
    BoundMethod,
    ChoiceVal,
    CompositeVal,
    HookVal,
    Lit,
    NodeVal,
    OutputVal,
    ParamVal,
    TaskVal,
    Unknown,
    Value,
    WorkflowVal,
    describe,
)
from tiphys.compiler.ir import flow as ir_flow
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.names import PARAM_NAME, metadata_name, metadata_name_problem

if TYPE_CHECKING:
    from tiphys.compiler.frontend.calls.core import CallHandlers

WORKFLOW_OPTIONS = (
    "params", "namespace", "service_account", "ttl", "pod_gc", "labels", "annotations",
    "volumes", "volume_claims", "parallelism", "active_deadline", "image", "on_exit", "hooks",
    "outputs", "schedules", "timezone", "concurrency_policy", "starting_deadline",
    "successful_history", "failed_history", "suspend", "priority", "archive_logs",
    "run_metadata", "artifact_repository", "synchronization", "pod_metadata",
    "node_selector", "tolerations", "affinity", "security_context", "image_pull_secrets",
    "priority_class", "scheduler_name", "host_aliases", "dns_policy", "dns_config",
    "pod_disruption_budget", "template_defaults", "pod_spec_patch",
)


@dataclass(slots=True)
class PendingWorkflow:
    name: str
    name_loc: Loc
    body: NodeVal | CompositeVal
    params: list[ParamVal]
    options: ir.WorkflowOptions
    image: str | None
    loc: Loc
    hooks: list[ir_flow.Hook] = field(default_factory=list)
    outputs: list[tuple[str, ir.OutputRef | ir.Choice]] = field(default_factory=list)



def workflow_call(calls: CallHandlers, call: ast.Call) -> Value:
    return _WorkflowReader(calls).call(call)


class _WorkflowReader:
    def __init__(self, calls: CallHandlers) -> None:
        self.calls = calls
        self.ev = calls.ev

    def call(self, call: ast.Call) -> Value:
        ev = self.ev
        b = bind(call, Signature(("name", "body"), WORKFLOW_OPTIONS, ("name", "body")),
                 "workflow()")
        self.calls.report(b.problems)
        if "name" not in b.args or "body" not in b.args:
            return Unknown("a broken workflow")
        name = self.calls.opts.string(b.args["name"], "name")
        if name is not None:
            self._check_name(name, b.args["name"])
        name = name or ""
        body = ev.expr(b.args["body"])
        if isinstance(body, TaskVal) and body.task is not None:
            body = self.calls.make_node(body.task, None, ev.loc(b.args["body"]))
        if not isinstance(body, (NodeVal, CompositeVal)) and not (
                isinstance(body, TaskVal) or (  # else reported already
                isinstance(body, Unknown) and ("broken task" in body.reason
                                               or body.reason == TOO_DEEP))):
            ev.error("TPH120", "the body of a workflow is a task invocation, pipeline(), "
                     f"parallel() or dag(); this is {describe(body)}", ev.loc(b.args["body"]))
        # The options are read even so: every problem of the call at once.
        params = self.calls.opts.param_list(b.args.get("params"))
        options, image = self.calls.opts.workflow_options(b.args, params)
        hooks = self._hooks(b.args.get("on_exit"), b.args.get("hooks"))
        outputs = self._outputs(b.args.get("outputs"))
        if not isinstance(body, (NodeVal, CompositeVal)):
            return Unknown("a broken workflow")
        ev.workflows.append(PendingWorkflow(name, ev.loc(b.args["name"]), body, params, options,
                                            image, ev.loc(call), hooks, outputs))
        return WorkflowVal(len(ev.workflows) - 1)

    def _check_name(self, name: str, node: ast.expr) -> None:
        """TPH310 at the name when it is not a valid ``metadata.name`` as written: it is
        used as it is (and names the output file), never renamed into a valid one."""
        problem = metadata_name_problem(name) if name else "is empty"
        if problem is None:
            return
        fixed = metadata_name(name)
        hint = f"; did you mean '{fixed}'?" if fixed and not metadata_name_problem(fixed) else ""
        self.ev.error("TPH310", f"workflow name '{name}' {problem}{hint}", self.ev.loc(node))

    def _outputs(self, node: ast.expr | None) -> list[tuple[str, ir.OutputRef | ir.Choice]]:
        """``outputs={"accuracy": train.output}``: published as workflow outputs."""
        ev = self.ev
        if node is None:
            return []
        if not isinstance(node, ast.Dict):
            ev.error("TPH131", "'outputs' must be a dict literal: {\"name\": node.output}",
                     ev.loc(node))
            return []
        out: list[tuple[str, ir.OutputRef | ir.Choice]] = []
        for el in dict_items(node):
            if el.key is None:
                continue
            key = ev.expr(el.key)
            value = ev.expr(el.value)
            loc = ev.loc(el.value)
            if isinstance(value, NodeVal):
                value = self.calls.default_output(value, loc)
            elif isinstance(value, BoundMethod) and value.method == "record":
                whole_record(ev, value.uid, loc)  # one field, not the record
                continue
            if not (isinstance(key, Lit) and isinstance(key.value, str)
                    and PARAM_NAME.match(key.value)):
                ev.error("TPH480", "a workflow output name is a string literal of letters, "
                         "digits, '-' and '_'", ev.loc(el.key))
            elif isinstance(value, OutputVal):
                out.append((key.value, ir.OutputRef(value.uid, value.output, loc)))
            elif isinstance(value, ChoiceVal):
                out.append((key.value, self.calls.composites.choice(value, loc)))
            elif not isinstance(value, Unknown):
                ev.error("TPH481", "a workflow output is a task's output (node.output or "
                         f"node.outputs[\"name\"]); this is {describe(value)}", loc)
        return out

    def _hooks(
        self, on_exit: ast.expr | None, hooks: ast.expr | None
    ) -> list[ir_flow.Hook]:
        ev = self.ev
        out: list[ir_flow.Hook] = []
        if on_exit is not None:
            value = ev.expr(on_exit)
            if isinstance(value, TaskVal) and value.task is not None:
                value = self.calls.make_node(value.task, None, ev.loc(on_exit))
            if isinstance(value, CompositeVal):
                value = NodeVal(self.calls.composites.handler_node(value, ev.loc(on_exit)))
            if isinstance(value, NodeVal):
                out.append(ir_flow.Hook("exit", value.uid, None, ev.loc(on_exit)))
            else:
                ev.error("TPH430", "on_exit takes a task invocation (the exit handler); this "
                         f"is {describe(value)}", ev.loc(on_exit))
        if hooks is None:
            return out
        if not isinstance(hooks, ast.Dict):
            ev.error("TPH131", "'hooks' must be a dict literal: {\"name\": hook(task(), "
                     "when=...)}", ev.loc(hooks))
            return out
        for el in dict_items(hooks):
            if el.key is None:
                continue
            key = ev.expr(el.key)
            value = ev.expr(el.value)
            if not (isinstance(key, Lit) and isinstance(key.value, str) and key.value):
                ev.error("TPH131", "hook names are string literals", ev.loc(el.key))
            elif key.value == "exit":
                ev.error("TPH433", "use on_exit= for the exit handler", ev.loc(el.key))
            elif isinstance(value, HookVal):
                out.append(ir_flow.Hook(key.value, value.node, value.when, value.loc))
            else:
                ev.error("TPH430", "a hook is hook(task_invocation, when=condition); this is "
                         f"{describe(value)}", ev.loc(el.value))
        return out
