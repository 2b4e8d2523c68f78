"""Lowering reusable composites, interpolated strings and outputs chosen by expression.

- A :class:`ir.CompositeTask` becomes ONE ``steps``/``dag`` template (plus the templates of
  the composites nested in its body) with ``inputs.parameters``; each call is an ordinary
  step that passes ``arguments``. Its body is placed by a :class:`Placement` of its own, so
  data paths, ordering and names work inside it as in a workflow.
- An input read in a nested composite of the body is imported by each template on the way
  (as outputs are), so ``{{inputs.parameters.x}}`` always names the template's own input.
- A :class:`ir.Choice` is an expr-lang conditional over the tasks' ``status``: the ternary is
  lazy, so the output of a task that did not run is never read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tiphys.compiler import ir
from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.names import NameTable, field_name
from tiphys.compiler.lower.flow import expr_path
from tiphys.compiler.lower.scopes import Entry, Scope

if TYPE_CHECKING:
    from tiphys.compiler.lower.data_paths import DataPaths

JsonPath = tuple[str | int, ...]
ScopeTemplate = Callable[[Scope, list[tuple[JsonPath, Loc]], int], dict[str, Any]]
#: The key of an imported composite input in :attr:`Scope.inputs` (no invocation has uid 0).
_INPUT = 0


def render_value(paths: DataPaths, value: ir.Value, scope: Scope,
                 consumer: Entry | None) -> str | None:
    """The argument text of an input, an f-string or a choice, resolved in *scope*."""
    if isinstance(value, ir.InputRef):
        return input_tag(scope, value.name)
    if isinstance(value, ir.Interpolated):
        out = []
        for part in value.parts:
            text = part if isinstance(part, str) else render_value(paths, part, scope, consumer)
            if text is None:
                return None
            out.append(text)
        return "".join(out)
    if isinstance(value, ir.Choice):
        expression = choice_expression(paths, value, scope, consumer)
        return None if expression is None else "{{=" + expression + "}}"
    if isinstance(value, ir.ParamRef):
        return f"{{{{workflow.parameters.{value.name}}}}}"
    if isinstance(value, ir.WorkflowRef):
        return f"{{{{{value.variable}}}}}"
    if isinstance(value, ir.OutputRef):
        return paths.reference(value.node, value.output, scope, consumer, value.loc)
    return None


def input_tag(scope: Scope, name: str, kind: str = "parameter") -> str:
    """``{{inputs.parameters.name}}`` (``{{inputs.artifacts.name}}`` for an artifact) in
    *scope*, importing the input from the composite's template through every nested template
    in between."""
    plural = "artifacts" if kind == "artifact" else "parameters"
    if scope.parent is None:
        return f"{{{{inputs.{plural}.{name}}}}}"
    key = (_INPUT, name, "artifact" if kind == "artifact" else "input")
    if key not in scope.inputs:
        local = scope.input_names.derive(name, str(key))
        scope.inputs[key] = local
        caller = next(e for e in scope.parent.entries if e.element is scope)
        outer = input_tag(scope.parent, name, kind)
        if kind == "artifact":
            caller.artifacts.append((local, {"from": outer}))
        else:
            caller.args.append((local, outer))
    return f"{{{{inputs.{plural}.{scope.inputs[key]}}}}}"


def choice_expression(paths: DataPaths, choice: ir.Choice, scope: Scope,
                      consumer: Entry | None) -> str | None:
    """``steps.a.status == 'Succeeded' ? steps.a.outputs... : <next option or default>``."""
    branches: list[tuple[str, str]] = []
    for ref in choice.options:
        found = paths.home.get(ref.node)
        tag = paths.reference(ref.node, ref.output, scope, consumer, ref.loc)
        if tag is None or found is None:
            return None
        if found[0] is not scope:
            paths.error("TPH510", f"'{found[1].name}' runs in a nested composite, so its "
                        "status is not known here: choose() and .or_default() read tasks of "
                        "the same pipeline()/dag() as the reader", ref.loc)
            return None
        status = expr_path(f"{scope.prefix}.{found[1].name}.status")
        branches.append((status, expr_path(tag)))
    # With no default, the last option is read without a test: one of them ran.
    last = _quoted(str(choice.default.value)) if choice.default is not None \
        else branches.pop()[1]
    for status, value in reversed(branches):
        last = f"{status} == 'Succeeded' ? {value} : {last}"
    return last


def _quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


class CompositeTemplates:
    """The templates of one :class:`ir.CompositeTask`."""

    def __init__(self, task: ir.CompositeTask, wf: ir.Workflow, diags: Diagnostics,
                 names: NameTable, in_handler: bool) -> None:
        from tiphys.compiler.lower.placement import Placement

        self.task = task
        body = ir.Workflow(task.name, task.body, task.invocations, (), wf.options, wf.image,
                           task.loc)
        p = Placement(body, diags)
        p.quiet_status = in_handler or task.handler  # workflow_status is set in handlers
        self.placement = p
        root = p.root
        for inp in task.inputs:
            root.input_names.claim(inp.name, inp.name)
            root.inputs[(_INPUT, inp.name, "artifact" if inp.artifact else "input")] = inp.name
        p.name_entries()
        p.resolve_all()
        p.check_cycles()
        for out_name, value in task.exposed:
            if isinstance(value, ir.Choice):
                expression = choice_expression(p, value, root, None)
                if expression is not None:
                    root.extra_outputs.append(
                        {"name": out_name, "valueFrom": {"expression": expression}})
            elif value.kind == "artifact":  # an inner task's artifact, taken "from" it
                tag = p.reference(value.node, value.output, root, None, value.loc, "artifact")
                if tag is not None:
                    root.output_names.claim(out_name, out_name)
                    root.outputs[(_INPUT, out_name, "artifact")] = (out_name, tag)
            else:
                tag = p.reference(value.node, value.output, root, None, value.loc)
                if tag is not None:
                    root.extra_outputs.append({"name": out_name, "valueFrom": {"parameter": tag}})
        for scope in p.scopes:
            if scope is root:
                scope.name = field_name(task.name)
            elif scope.composite.name:
                scope.name = field_name(scope.composite.name)
                if names.claim(scope.name, f"scope{id(scope)}") is not None:
                    p.error("TPH313", f"template name '{scope.name}' is already used by a task "
                            "or another composite: choose another name=", scope.composite.loc)
            else:
                scope.name = names.derive(f"{task.name}-{scope.composite.kind}",
                                          f"scope{id(scope)}")

    def templates(self, smap: list[tuple[JsonPath, Loc]], first: int,
                  scope_template: ScopeTemplate) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        defaults = {i.name: i.default for i in self.task.inputs if i.has_default}
        for scope in self.placement.scopes:
            index = first + len(out)
            smap.append((("spec", "templates", index), scope.composite.loc))
            t = scope_template(scope, smap, index)
            if scope is self.placement.root:
                for p in t.get("inputs", {}).get("parameters", []):
                    if p["name"] in defaults:
                        p["value"] = defaults[p["name"]]
            out.append(t)
        return out


def handler_tasks(wf: ir.Workflow) -> set[str]:
    """Names of the composites run as hooks or exit handlers (workflow_status is set there)."""
    by_uid = {inv.uid: inv for inv in wf.invocations}
    nodes = [h.node for h in wf.hooks]
    nodes += [h.node for inv in wf.invocations for h in inv.flow.hooks]
    out: set[str] = set()
    stack = [by_uid[n].task for n in nodes if n in by_uid]
    while stack:  # and the composites those call, at any depth
        task = stack.pop()
        if field_name(task.name) in out:
            continue
        out.add(field_name(task.name))
        if isinstance(task, ir.CompositeTask):
            stack += [inv.task for inv in task.invocations]
    return out

