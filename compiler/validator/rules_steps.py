"""Steps templates (Argo's validateSteps), stricter on scope: a step sees only the steps of
earlier groups, never its siblings in the same parallel group."""

from __future__ import annotations

import re
from typing import Any

from tiphys.compiler.validator.docctx import DocCtx
from tiphys.compiler.validator.findings import PathT
from tiphys.compiler.validator.model import NAME_MAX, NAME_RE, as_dict, as_list, as_str, shown
from tiphys.compiler.validator.rules_calls import (
    check_arguments,
    check_hooks,
    check_inputs_supplied,
    resolve_holder,
)
from tiphys.compiler.validator.rules_loops import aggregates, check_loops
from tiphys.compiler.validator.scope import Scope

_TAG = re.compile(r"\{\{[^{}]*\}\}")


def check_steps(ctx: DocCtx, t: dict[str, Any], tp: PathT, scope: Scope) -> None:
    rep = ctx.rep
    tname = as_str(t.get("name"))
    groups = t.get("steps")
    sp = (*tp, "steps")
    if isinstance(groups, list) and not groups:
        rep.add("ARG506", sp, f"template '{tname}' has empty steps; add a step")
    all_names: list[str] = []
    for group in as_list(groups):
        all_names += [as_str(as_dict(s).get("name")) for s in as_list(group)]
    pending = set(all_names)
    seen: set[str] = set()
    for gi, group in enumerate(as_list(groups)):
        gp = (*sp, gi)
        if isinstance(group, list) and not group:
            rep.add("ARG506", gp, f"template '{tname}': group {gi} of steps is empty; add a step "
                    "or remove the group")
        done: list[tuple[str, dict[str, Any] | None, dict[str, Any]]] = []
        for si, step in enumerate(as_list(group)):
            if not isinstance(step, dict):
                continue
            p = (*gp, si)
            name = as_str(step.get("name"))
            _check_step_name(ctx, name, seen, p, tname)
            what = f"step '{name}' of template '{tname}'"
            check_loops(ctx, step, p, what)
            check_arguments(ctx, step.get("arguments"), (*p, "arguments"),
                            allow_empty=False, workflow_level=False)
            callee = resolve_holder(ctx, step, p, what)
            if "inline" in step and callee is not None:
                from tiphys.compiler.validator.rules_templates import check_template

                check_template(ctx, callee, (*p, "inline"))
            check_hooks(ctx, step.get("hooks"), (*p, "hooks"), need_expression=True)
            local = scope.copy()
            local.add_items(step)
            if "exit" in as_dict(step.get("hooks")) or step.get("onExit"):
                local.add_outputs(callee, f"steps.{name}", aggregates(step), True)
            ctx.tags.pending_steps = pending  # the live set: copying it per step is O(n^2)
            body = {k: v for k, v in step.items() if k != "inline"}
            ctx.tags.check(body, p, local, what)
            ctx.tags.pending_steps = frozenset()
            if callee is not None:
                check_inputs_supplied(ctx, callee, step.get("arguments"), p, what)
            done.append((name, callee, step))
        for name, callee, step in done:
            scope.add_outputs(callee, f"steps.{name}", aggregates(step), True)
            pending.discard(name)


def _check_step_name(ctx: DocCtx, name: str, seen: set[str], p: PathT, tname: str) -> None:
    rep = ctx.rep
    if not name:
        rep.add("ARG501", p, f"template '{tname}': a step has no name; name it")
        return
    # Argo substitutes {{...}} tags (with placeholders) before it checks the name, so a name
    # such as 'hello-{{inputs.parameters.who}}' is valid; the tags themselves are resolved
    # like every other tag of the step.
    bare = _TAG.sub("x", name)
    if len(bare) > NAME_MAX:
        rep.add("ARG501", (*p, "name"), f"step name '{name}' is longer than {NAME_MAX} "
                "characters; shorten it")
    elif not NAME_RE.match(bare):
        rep.add("ARG501", (*p, "name"), f"step name '{name}' is invalid; it must match "
                f"{shown(NAME_RE)}")
    if name in seen:
        rep.add("ARG502", (*p, "name"), f"step name '{name}' is not unique in template "
                f"'{tname}'; rename one of them")
    seen.add(name)
