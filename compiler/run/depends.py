"""DAG ``depends`` expressions: which tasks a task waits for, and whether it then runs.

``a && (b.Failed || !c.Skipped)``: a bare task name means "Succeeded, Skipped or Daemoned";
``.Succeeded``, ``.Failed``, ``.Errored``, ``.Skipped``, ``.Omitted``, ``.Daemoned`` test one
phase; ``.AnySucceeded`` / ``.AllFailed`` look at the items of a loop. The old
``dependencies: [a, b]`` list means ``a && b``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tiphys.compiler.run.expressions import ExpressionError, evaluate

_REF = re.compile(r"(?<![\w.-])([A-Za-z0-9][-A-Za-z0-9_]*)(?:\.(\w+))?")
_RESULTS = {"Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned",
            "AnySucceeded", "AllFailed"}


@dataclass(frozen=True, slots=True)
class TaskState:
    """What a finished task shows to ``depends``: its phase and its items' phases."""

    phase: str
    item_phases: tuple[str, ...] = ()
    #: Failure phases the task's ``continueOn`` lets its dependents treat as success.
    accepts: frozenset[str] = frozenset()


def depends_text(task: Mapping[str, object]) -> str:
    text = task.get("depends")
    if isinstance(text, str) and text.strip():
        return text
    deps = task.get("dependencies")
    if isinstance(deps, list) and deps:
        return " && ".join(str(d) for d in deps)
    return ""


def names(text: str) -> set[str]:
    """The tasks a depends expression mentions."""
    return {m.group(1) for m in _REF.finditer(text)}


def holds(text: str, states: Mapping[str, TaskState]) -> bool:
    """Whether the expression is true once every task it names has finished."""
    if not text.strip():
        return True
    env: dict[str, bool] = {}

    def repl(m: re.Match[str]) -> str:
        name, result = m.group(1), m.group(2)
        if result is not None and result not in _RESULTS:
            raise ExpressionError(f"unknown task result .{result} in depends {text!r}")
        state = states[name]
        key = f"v{len(env)}"
        env[key] = _test(state, result)
        return key

    expr = _REF.sub(repl, text)
    return bool(evaluate(expr, env))


def _test(state: TaskState, result: str | None) -> bool:
    phase = state.phase
    if result is None:
        return phase in ("Succeeded", "Skipped", "Daemoned") or phase in state.accepts
    if result == "Errored":
        return phase == "Error"
    if result == "AnySucceeded":
        return any(p == "Succeeded" for p in state.item_phases) or \
            (not state.item_phases and phase == "Succeeded")
    if result == "AllFailed":
        items = state.item_phases or (phase,)
        return all(p in ("Failed", "Error") for p in items)
    return phase == result


def handles_failure(text: str, name: str) -> bool:
    """The expression looks at *name*'s failure (``name.Failed``, ``.Errored``...)."""
    return any(m.group(1) == name and m.group(2) in ("Failed", "Errored", "AllFailed")
               for m in _REF.finditer(text))


def leaves(tasks: Sequence[Mapping[str, object]]) -> list[str]:
    """Tasks no other task depends on: the DAG's targets when ``target`` is not given."""
    needed: set[str] = set()
    for t in tasks:
        needed |= names(depends_text(t))
    return [str(t["name"]) for t in tasks if t["name"] not in needed]
