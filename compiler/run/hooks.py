"""One step or DAG task (one item of a loop): its ``when``, its template, its arguments, and
what runs around it, its lifecycle hooks and exit handler.

``when`` is substituted first (``{{=...}}`` tags become their values), then read in the
simple form: ``true``, ``heads == heads``, ``5 > 3 && a != b``. A false ``when`` gives a
Skipped node. Hooks other than ``exit`` fire once, the first time their ``expression`` holds
(looked at when the step starts, with its status Running, and when it ends); the exit
handler (``onExit`` or ``hooks.exit``) runs after the step whatever its phase, and sees its
status and outputs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tiphys.compiler.run.expressions import ExpressionError, evaluate_simple
from tiphys.compiler.run.model import Node
from tiphys.compiler.run.substitution import Unresolved, substitute

if TYPE_CHECKING:
    from tiphys.compiler.run.engine import Call, Engine


def when_holds(when: str, scope: dict[str, str]) -> bool:
    return evaluate_simple(substitute(when, scope))


def run_reference(engine: Engine, call: Call, step: dict[str, Any], scope: dict[str, str],
                  name: str, display: str, parent: str, prefix: str) -> Node:
    from tiphys.compiler.run.composites import node_entries
    from tiphys.compiler.run.engine import Call as CallOf
    from tiphys.compiler.run.engine import NotLocal, Problem, owner_reason
    from tiphys.compiler.run.parameters import skipped_owner

    run = engine.run

    def leaf(phase: str, message: str) -> Node:
        node = run.add(Node(engine.new_id(), name, display, "Skipped", parent=parent))
        run.update(node, phase, message)
        return node

    scope = {**scope, f"{prefix}.name": step["name"]}
    if step.get("when") not in (None, ""):
        try:
            if not when_holds(str(step["when"]), scope):
                return leaf("Skipped", f"when '{substitute(str(step['when']), scope)}' evaluated false")
        except Unresolved as exc:
            owner = skipped_owner(engine, exc, scope)
            if owner:
                return leaf("Skipped", f"not run: its when needs the outputs of {owner}, "
                            "which was not run locally")
            return leaf("Error", f"invalid when {step['when']!r}: {exc}")
        except ExpressionError as exc:
            return leaf("Error", f"invalid when {step['when']!r}: {exc}")
    try:
        template, owned = engine.resolve(step, call.templates)
        params, arts = engine.arguments(step, scope)
    except NotLocal as exc:
        return leaf("Skipped", str(exc))
    except Problem as exc:
        return leaf("Error", str(exc))
    if template is None:
        return leaf("Skipped", owner_reason(step))
    hooks = dict(step.get("hooks") or {})
    fired: set[str] = set()
    status_key = f"{prefix}.{step['name']}.status"
    if hooks:
        engine.fire_hooks(hooks, fired, call.templates, name, parent,
                           {**scope, status_key: "Running"})
    node = engine.execute(CallOf(template, owned, name, display, parent, params, arts,
                                 call.depth + 1))
    after = {**scope, **node_entries(prefix, step["name"], node)}
    if hooks:
        engine.fire_hooks(hooks, fired, call.templates, name, parent, after)
    exit_ref = hooks.get("exit") or ({"template": step["onExit"]} if step.get("onExit") else None)
    if exit_ref is not None:
        engine.execute_ref(exit_ref, call.templates, f"{name}.onExit", f"{display}.onExit",
                           parent, after, call.depth + 1)
    return node
