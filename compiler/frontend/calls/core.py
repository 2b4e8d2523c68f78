"""What each DSL call means: tasks, invocations, composites, parameters, volumes, workflows."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from tiphys.compiler import ir
from tiphys.compiler.frontend.arguments import Signature, bind, call_args
from tiphys.compiler.frontend.calls.artifacts import (
    ARTIFACT_FUNCTIONS,
    ArtifactHandlers,
    LocationVal,
)
from tiphys.compiler.frontend.calls.composites import REPORTED, CompositeHandlers
from tiphys.compiler.frontend.calls.flow import NODE_FLOW_METHODS, FlowHandlers
from tiphys.compiler.frontend.calls.kinds import KIND_FUNCTIONS, KindHandlers
from tiphys.compiler.frontend.calls.loops import BROKEN, LOOP_FUNCTIONS, LoopHandlers
from tiphys.compiler.frontend.calls.pod_kinds import POD_KIND_FUNCTIONS, PodKindHandlers
from tiphys.compiler.frontend.calls.record_outputs import (
    RECORD_REASON,
    REPORTED_RECORD_MISUSE,
    record_fields,
    whole_record,
)
from tiphys.compiler.frontend.calls.task_defs import TaskDefinitions
from tiphys.compiler.frontend.calls.workflow import workflow_call
from tiphys.compiler.frontend.literals import is_json
from tiphys.compiler.frontend.options.declared import TaskOptionReader
from tiphys.compiler.frontend.options.extras import daemon_output
from tiphys.compiler.frontend.options.helpers import HELPERS, helper_call
from tiphys.compiler.frontend.options.read import OptionReader
from tiphys.compiler.frontend.scripts.wrapper import encode_for_input
from tiphys.compiler.frontend.values import (
    MAX_COMPOSITE_DEPTH,
    TOO_DEEP,
    BoundMethod,
    ChoiceVal,
    CompositeVal,
    EachVal,
    InputVal,
    InterpVal,
    ItemVal,
    Lit,
    NodeRec,
    NodeVal,
    OutputVal,
    ParamVal,
    TaskVal,
    Unknown,
    Value,
    WorkflowVarVal,
    describe,
)
from tiphys.compiler.ir import flow as ir_flow
from tiphys.compiler.ir.artifacts import ArtifactOutput, ArtifactSource
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.names import PARAM_NAME

if TYPE_CHECKING:
    from tiphys.compiler.frontend.evaluate import Evaluator

class CallHandlers:
    def __init__(self, ev: Evaluator) -> None:
        self.ev = ev
        self.opts = OptionReader(ev)
        self.flow = FlowHandlers(ev, self)
        self.kinds = KindHandlers(self)
        self.pod_kinds = PodKindHandlers(self)
        self.artifacts = ArtifactHandlers(self)
        self.task_opts = TaskOptionReader(self.opts)
        self.tasks = TaskDefinitions(self)
        self.composites = CompositeHandlers(self)
        self.loops = LoopHandlers(self)

    # -- invocations ----------------------------------------------------------------------

    def invoke(self, task: TaskVal, call: ast.Call) -> Value:
        ev = self.ev
        if task.task is None:
            return Unknown(f"an invocation of the broken task '{task.name}'")
        return self.make_node(task.task, call, ev.loc(call))

    def make_node(
        self, t: ir.TaskDef, call: ast.Call | None, loc: Loc, mapped: bool = False
    ) -> NodeVal:
        ev = self.ev
        names = tuple(i.name for i in t.inputs)
        required = tuple(i.name for i in t.inputs if i.required and not i.has_default)
        args: list[tuple[str, ir.Value]] = []
        params: list[ParamVal] = list(ev.option_params.get(id(t), ()))
        loop: ir_flow.Loop | None = None
        loop_reported = False
        what = f"task '{t.name}'"
        if call is not None:
            positional = names if isinstance(t, (ir.PythonTask, ir.CompositeTask)) else ()
            b = bind(call, Signature(positional, names, required),
                     f"{what}.map()" if mapped else what)
            self.report(b.problems)
            inputs = {i.name: i for i in t.inputs}
            raws = {name: ev.expr(b.args[name]) for name in names if name in b.args}
            # Loop items (each(...)) feed inputs by field; no other argument is then a loop.
            each: EachVal | None = None
            fields: list[tuple[str, str | None]] = []
            by_items = mapped and any(isinstance(r, (EachVal, ItemVal)) for r in raws.values())
            for name in names:
                if name not in b.args:
                    continue
                node = b.args[name]
                raw = raws[name]
                if isinstance(raw, Unknown) and raw.reason in BROKEN:
                    loop_reported = True  # said where it is written
                    continue
                if isinstance(raw, (EachVal, ItemVal)):
                    fed = self.loops.map_argument(name, node, raw, inputs[name], mapped, each,
                                                  what)
                    loop_reported |= fed is None
                    if fed is not None:
                        each = fed
                        fields.append((name, raw.field if isinstance(raw, ItemVal) else None))
                        args.append((name, ir.Literal(self.loops.tag(raw), ev.loc(node))))
                    continue
                if inputs[name].artifact:
                    art = self._artifact_argument(raw, node, name, what)
                    if art is not None:
                        args.append((name, art))
                    continue
                if mapped and loop is None and not by_items:
                    reported = len(ev.diags)
                    loop = self.flow.loop_source(name, node, raw, inputs[name], params)
                    if loop is not None:
                        # Each run gets one item; Argo substitutes it for {{item}}.
                        args.append((name, ir.Literal("{{item}}", ev.loc(node))))
                        continue
                    if len(ev.diags) > reported:  # the loop over it is wrong, and said why
                        loop_reported = True
                        continue
                if isinstance(raw, Unknown) and raw.reason in REPORTED:
                    continue  # TPH506-510, said where it is written
                if isinstance(raw, (InputVal, InterpVal, ChoiceVal)):
                    value = self.composites.argument(raw, node, name, what, inputs[name],
                                                     params)
                else:
                    value = self._argument(raw, node, name, what, inputs[name].decode, params)
                if value is not None:
                    args.append((name, value))
            if each is not None:
                loop = self.loops.loop(each, fields)
                params += each.params
            if mapped and loop is None and not b.problems and not loop_reported:
                ev.error("TPH410", f"{what}.map() needs one argument to loop over: a list "
                         "literal, range(...), or a list output or parameter", loc)
        elif required:
            ev.error("TPH106", f"{what} needs the argument(s) " +
                     ", ".join(f"'{r}'" for r in required) + ": call it to pass them", loc)
        uid = ev.new_uid()
        if mapped and loop is None:
            self.loops.broken_maps.add(uid)  # reported: its conditions need not say more
        ev.nodes[uid] = NodeRec(uid, t, args, params, t.name, "task", [], loc, loop=loop)
        return NodeVal(uid)

    def _artifact_argument(
        self, value: Value, node: ast.expr, name: str, what: str
    ) -> ir.Value | None:
        ev = self.ev
        loc = ev.loc(node)
        if isinstance(value, NodeVal):
            arts: tuple[ArtifactOutput, ...] = getattr(
                self.ev.nodes[value.uid].task, "artifact_outputs", ())
            if len(arts) == 1:
                value = OutputVal(value.uid, arts[0].name, "artifact")
        if isinstance(value, OutputVal) and value.kind == "artifact":
            if self.ev.nodes[value.uid].loop is not None:
                ev.error("TPH470", f"input '{name}' of {what} reads artifact "
                         f"'{value.output}' of a loop: Argo does not gather artifacts over a "
                         "loop's runs, so there is no single file to pass", loc)
                return None
            return ir.OutputRef(value.uid, value.output, loc, "artifact")
        if isinstance(value, InputVal) and value.artifact:  # passed on from a composite
            return ir.InputRef(value.name, loc, "artifact")
        if isinstance(value, LocationVal):  # no location: broken, reported where written
            return ArtifactSource(value.location, loc) if value.location is not None else None
        ev.error("TPH470", f"input '{name}' of {what} is an artifact: pass another task's output "
                 "artifact (node.outputs[\"name\"]) or a location such as s3_artifact(...); "
                 f"this is {describe(value)}", loc)
        return None

    def _argument(
        self, value: Value, node: ast.expr, name: str, what: str, decode: str,
        params: list[ParamVal],
    ) -> ir.Value | None:
        ev = self.ev
        loc = ev.loc(node)
        if (isinstance(value, OutputVal) and value.kind == "artifact") or \
                isinstance(value, LocationVal):
            ev.error("TPH471", f"input '{name}' of {what} is a parameter, but this is an "
                     "artifact: annotate the parameter InputArtifact to receive a file", loc)
            return None
        if isinstance(value, Lit):
            if not is_json(value.value):
                ev.error("TPH107", f"argument '{name}' of {what} must be JSON-compatible "
                         "(str, int, float, bool, None, list, dict with str keys)", loc)
                return None
            encoded = encode_for_input(value.value, decode)
            if "{{" in encoded:
                ev.warning("TPH109", f"argument '{name}' contains '{{{{', which Argo reads as "
                           "a template tag; pass such text through a workflow parameter",
                           loc)
            return ir.Literal(encoded, loc, value.value)  # given: for the IR type pass
        if isinstance(value, ParamVal):
            params.append(value)
            return ir.ParamRef(value.name, loc)
        if isinstance(value, NodeVal):
            out = self.default_output(value, loc)
            return ir.OutputRef(out.uid, out.output, loc) if isinstance(out, OutputVal) else None
        if isinstance(value, OutputVal):
            return ir.OutputRef(value.uid, value.output, loc, value.kind)
        if isinstance(value, WorkflowVarVal):
            return ir.WorkflowRef(value.variable, loc)
        if isinstance(value, BoundMethod) and value.method == "record":
            whole_record(ev, value.uid, loc)
            return None
        if isinstance(value, TaskVal):
            ev.error("TPH110", f"argument '{name}' of {what} is the task '{value.name}' itself; "
                     f"call it to pass its output: {value.name.replace('-', '_')}(...)", loc)
            return None
        if isinstance(value, Unknown) and value.reason in REPORTED_RECORD_MISUSE:
            return None  # TPH540/TPH545 said why, where it is written
        ev.error("TPH111", f"argument '{name}' of {what} cannot be evaluated statically: it is "
                 f"{describe(value)}; pass a literal, a param(...) or another task's output",
                 loc)
        return None

    def default_output(self, node: NodeVal, loc: Loc) -> Value:
        rec = self.ev.nodes[node.uid]
        if record_fields(rec.task):
            whole_record(self.ev, node.uid, loc)
            return Unknown(RECORD_REASON)
        if rec.task.options.extra.daemon:
            return daemon_output(self.ev, rec.task, loc)
        outputs = rec.task.outputs
        if len(outputs) == 1:
            return OutputVal(node.uid, outputs[0])
        if not outputs:
            self.ev.error("TPH112", f"task '{rec.task.name}' returns nothing (annotated "
                          "'-> None'), so its output cannot be used", loc)
        else:
            self.ev.error("TPH113", f"task '{rec.task.name}' has several outputs (" +
                          ", ".join(outputs) + "): pick one with .outputs[\"name\"]", loc)
        return Unknown("a missing output")

    def named_output(self, uid: int, key: str, loc: Loc) -> Value:
        rec = self.ev.nodes[uid]
        if rec.task.options.extra.daemon:
            return daemon_output(self.ev, rec.task, loc)
        artifacts = [a.name for a in rec.task.artifact_outputs] \
            if hasattr(rec.task, "artifact_outputs") else []
        if key in artifacts and key not in rec.task.outputs:
            return OutputVal(uid, key, "artifact")
        if key not in rec.task.outputs:
            self.ev.error("TPH114", f"task '{rec.task.name}' has no output '{key}' (outputs: " +
                          (", ".join([*rec.task.outputs, *artifacts]) or "none") + ")", loc)
            return Unknown("a missing output")
        return OutputVal(uid, key)

    def method(self, bound: BoundMethod, call: ast.Call) -> Value:
        ev = self.ev
        rec = ev.nodes[bound.uid]
        if bound.method == "named":
            b = bind(call, Signature(("name",), (), ("name",)), ".named()")
            self.report(b.problems)
            name = self.opts.string(b.args.get("name"), "name")
            if name:
                rec.name_hint, rec.hint_source = name, "explicit"
            return NodeVal(bound.uid)
        if bound.method in NODE_FLOW_METHODS:
            return self.flow.method(bound, call)
        if bound.method == "after":
            for arg in call_args(call):
                node = arg.value
                if isinstance(node, (ast.Name, ast.Call)):
                    value = ev.expr(node)
                    if isinstance(value, NodeVal):
                        rec.after.append(value.uid)
                        rec.after_locs.append(ev.loc(node))
                        continue
                    if isinstance(value, TaskVal) and value.task is not None:
                        ev.error("TPH115", f".after() takes invocations, not the task "
                                 f"'{value.name}': pass the node it returned", ev.loc(node))
                        continue
                dep = self.flow.depends(node)
                if dep is not None:
                    rec.depends.append(dep)
            return NodeVal(bound.uid)
        ev.error("TPH104", "this value cannot be called", ev.loc(call))
        return Unknown("a bad call")

    # -- everything else ------------------------------------------------------------------

    def dsl(self, name: str, call: ast.Call) -> Value:
        short = name.split(".", 1)[1]
        if short == "task":
            return self.tasks.from_call(call)
        if short in ("bash", "script", "container"):
            return self.tasks.script_task(call, short)
        if short in ("pipeline", "parallel", "dag"):
            return self._composite(short, call)
        if short == "workflow":
            return workflow_call(self, call)
        if short == "param":
            return self._param(call)
        if short == "hook":
            return self.flow.hook_call(call)
        if short == "choose":
            return self.composites.choose_call(call)
        if short == "or_default":
            return self.composites.or_default_function(call)
        if short == "composite":
            self.ev.error("TPH500", "composite is a decorator: write @composite above a "
                          "function", self.ev.loc(call))
            return Unknown("a misused composite")
        if short in LOOP_FUNCTIONS:
            return self.loops.call(short, call)
        if short in KIND_FUNCTIONS:
            return self.kinds.call(short, call)
        if short in POD_KIND_FUNCTIONS:
            return self.pod_kinds.call(short, call)
        if short in ARTIFACT_FUNCTIONS:
            return self.artifacts.call(short, call)
        if short in HELPERS:
            return helper_call(self.opts, short, call)
        return self.opts.volume_call(short, call)

    def _composite(self, kind: str, call: ast.Call) -> Value:
        ev = self.ev
        keywords = ("name", "outputs", "fail_fast") if kind == "dag" else ("name", "outputs")
        b = bind(call, Signature((), keywords, (), "elements"), f"{kind}()")
        self.report(b.problems)
        elements: list[tuple[NodeVal | CompositeVal, Loc]] = []
        inside_too_deep = False
        for node in b.rest:
            value = ev.expr(node)
            loc = ev.loc(node)
            inside_too_deep |= isinstance(value, Unknown) and value.reason == TOO_DEEP
            if isinstance(value, TaskVal) and value.task is not None:
                value = self.make_node(value.task, None, loc)
            if isinstance(value, (NodeVal, CompositeVal)):
                elements.append((value, loc))
            elif isinstance(value, OutputVal):
                elements.append((NodeVal(value.uid), loc))
            elif not (isinstance(value, TaskVal) or (isinstance(value, Unknown) and (
                    "broken task" in value.reason or value.reason == TOO_DEEP))):
                ev.error("TPH116", f"{kind}() takes task invocations, tasks and composites; "
                         f"this is {describe(value)}", loc)
        if not b.rest:
            ev.error("TPH117", f"{kind}() is empty: give it at least one task", ev.loc(call))
        name = self.opts.string(b.args.get("name"), "name") if "name" in b.args else None
        depth = 1 + max((v.depth for v, _ in elements if isinstance(v, CompositeVal)), default=0)
        if inside_too_deep:  # reported where the limit was crossed
            return Unknown(TOO_DEEP)
        if depth > MAX_COMPOSITE_DEPTH:
            ev.error("TPH122", f"composites are nested more than {MAX_COMPOSITE_DEPTH} deep "
                     f"here ({depth} levels): flatten them, for example one pipeline() of "
                     "many steps instead of a pipeline() in a pipeline()", ev.loc(call))
            return Unknown(TOO_DEEP)
        outputs = self.composites.composite_outputs(b.args["outputs"]) \
            if "outputs" in b.args else ()
        fail_fast = self.opts._bool(b.args.get("fail_fast"), "fail_fast")
        return CompositeVal(kind, tuple(elements), name, ev.loc(call), depth, outputs,
                            fail_fast is not False)

    def _param(self, call: ast.Call) -> Value:
        ev = self.ev
        b = bind(call, Signature(("name", "default"), ("description", "enum"), ("name",)),
                 "param()")
        self.report(b.problems)
        name = self.opts.string(b.args.get("name"), "name")
        if name is not None and not PARAM_NAME.match(name):
            ev.error("TPH131", f"a parameter name is letters, digits, '-' and '_'; this is "
                     f"{name!r}", ev.loc(b.args["name"]))
        name = name or "param"
        default: Any = None
        has_default = "default" in b.args
        if has_default:
            value = ev.expr(b.args["default"])
            if isinstance(value, Lit) and is_json(value.value):
                default = value.value
            else:
                ev.error("TPH118", "a parameter default must be a literal", ev.loc(b.args["default"]))
        description = self.opts.string(b.args.get("description"), "description") \
            if "description" in b.args else None
        enum = None
        if "enum" in b.args:
            value = ev.expr(b.args["enum"])
            if isinstance(value, Lit) and isinstance(value.value, (list, tuple)) and value.value:
                enum = tuple(value.value)
            else:
                ev.error("TPH119", "enum must be a non-empty literal list",
                         ev.loc(b.args["enum"]))
        return ParamVal(name, default, has_default and default is not None, description, enum,
                        ev.loc(call))

    def report(self, problems: tuple[tuple[object, str], ...]) -> None:
        for node, message in problems:
            self.ev.error("TPH100", message, self.ev.loc(node))
