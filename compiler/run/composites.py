"""Steps and DAG templates: what runs when, in parallel, and what the next step sees.

Steps run group by group; the steps of a group run at once, and the group fails when one of
them fails without ``continueOn``. DAG tasks start as soon as every task their ``depends``
names has finished; a task whose ``depends`` is false is Omitted. The DAG's phase is Argo's:
each target task (the leaves, unless ``target`` is given) gives its branch's phase, an
Omitted task inheriting its parents' with failure first, and a failed branch fails the DAG
unless the task continues on failure.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

from tiphys.compiler.run.depends import TaskState, depends_text, holds, leaves, names
from tiphys.compiler.run.expressions import ExpressionError
from tiphys.compiler.run.hooks import run_reference
from tiphys.compiler.run.model import NOT_LOCAL, Node
from tiphys.compiler.run.substitution import Unresolved, item_scope, item_text, substitute

if TYPE_CHECKING:
    from tiphys.compiler.run.engine import Call, Engine

Result = tuple[str, str, dict[str, str]]
FAILED = ("Failed", "Error")


def _limit(t: dict[str, Any]) -> threading.BoundedSemaphore | None:
    n = t.get("parallelism")
    return threading.BoundedSemaphore(n) if isinstance(n, int) and n > 0 else None


def in_parallel(jobs: list[Callable[[], None]]) -> None:
    """Run *jobs* each in a thread and wait for all; an exception in one (a tiphys bug) is
    raised here after the others finished."""
    errors: list[BaseException] = []

    def guard(job: Callable[[], None]) -> None:
        try:
            job()
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    if len(jobs) == 1:
        jobs[0]()
        return
    threads = [threading.Thread(target=guard, args=(j,), daemon=True) for j in jobs]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if errors:
        raise errors[0]


def continues_on(step: dict[str, Any], phase: str) -> bool:
    on = step.get("continueOn") or {}
    return bool(on.get("failed")) if phase == "Failed" else bool(on.get("error")) if phase == "Error" else False


def expand(step: dict[str, Any], scope: dict[str, str]) -> list[Any] | None:
    """The items of a loop, or None for a plain step. Raises Unresolved/ValueError."""
    if "withItems" in step:
        # Argo substitutes the step before expanding it: a string item may hold tags.
        return [substitute(i, scope) if isinstance(i, str) else i for i in step["withItems"]]
    if "withParam" in step:
        text = substitute(str(step["withParam"]), scope)
        try:
            items = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"withParam value could not be parsed as a JSON list: {text[:200]}") from exc
        if not isinstance(items, list):
            raise ValueError(f"withParam value is not a JSON list: {text[:200]}")
        return items
    if "withSequence" in step:
        seq = step["withSequence"]
        fmt = seq.get("format")
        start = int(substitute(str(seq.get("start", 0)), scope))
        if "count" in seq:
            values = list(range(start, start + int(substitute(str(seq["count"]), scope))))
        else:
            end = int(substitute(str(seq.get("end", 0)), scope))
            values = list(range(start, end + 1)) if start <= end else list(range(start, end - 1, -1))
        return [_format(fmt, v) if fmt else str(v) for v in values]
    return None


def _format(fmt: str, value: int) -> str:
    try:
        return fmt % value
    except (TypeError, ValueError):
        return str(value)


def node_entries(prefix: str, name: str, node: Node) -> dict[str, str]:
    """What ``{{steps.NAME.*}}`` / ``{{tasks.NAME.*}}`` show of a finished node."""
    base = f"{prefix}.{name}"
    out = {f"{base}.id": node.id, f"{base}.status": node.phase}
    for key, value in node.outputs.items():
        out[f"{base}.outputs.{key}"] = value
    if "exitCode" in node.outputs:
        out[f"{base}.exitCode"] = node.outputs["exitCode"]
    return out


def aggregate(prefix: str, name: str, phase: str, children: list[Node]) -> dict[str, str]:
    """A loop's outputs as Argo aggregates them: each output parameter a JSON list of the
    items' values (strings), ``outputs.parameters`` a list of maps, ``outputs.result`` a
    list of the results (parsed as JSON where they are JSON)."""
    base = f"{prefix}.{name}"
    out = {f"{base}.status": phase}
    values: dict[str, list[str]] = {}
    maps: list[dict[str, str]] = []
    results: list[Any] = []
    has_result = False
    for child in children:
        if child.phase != "Succeeded":
            continue
        params = {k.removeprefix("parameters."): v for k, v in child.outputs.items()
                  if k.startswith("parameters.")}
        if params:
            maps.append(params)
        for k, v in params.items():
            values.setdefault(k, []).append(v)
        if "result" in child.outputs:
            has_result = True
            try:
                results.append(json.loads(child.outputs["result"]))
            except ValueError:
                results.append(child.outputs["result"])
    # A loop none of whose runs could run here (containers left out) has no outputs to read:
    # its readers then say so, rather than loop over an empty list.
    if maps or not any(c.phase == "Skipped" and c.message.startswith(NOT_LOCAL)
                       for c in children):
        out[f"{base}.outputs.parameters"] = json.dumps(maps)
    for k, vs in values.items():
        out[f"{base}.outputs.parameters.{k}"] = json.dumps(vs)
    if has_result:
        out[f"{base}.outputs.result"] = json.dumps(results)
    return out


def run_expanded(engine: Engine, call: Call, step: dict[str, Any], scope: dict[str, str],
                 name: str, parent: str, limit: threading.BoundedSemaphore | None,
                 prefix: str) -> tuple[str, dict[str, str], tuple[str, ...], Node | None]:
    """One step or task, expanded over its items: (phase, scope entries, item phases,
    its node)."""
    run = engine.run
    display = step["name"]
    try:
        items = expand(step, scope)
    except (Unresolved, ValueError) as exc:
        from tiphys.compiler.run.parameters import skipped_owner

        node = run.add(Node(engine.new_id(), name, display, "Skipped", parent=parent))
        owner = skipped_owner(engine, exc, scope) if isinstance(exc, Unresolved) else None
        if owner:
            run.update(node, "Skipped", f"not run: its items need the outputs of {owner}, "
                       "which was not run locally")
            return "Skipped", node_entries(prefix, step["name"], node), (), node
        run.update(node, "Error", str(exc))
        return "Error", node_entries(prefix, step["name"], node), (), node
    if items is None:
        with limit or nullcontext():
            node = run_reference(engine, call, step, scope, name, display, parent, prefix)
        return node.phase, node_entries(prefix, step["name"], node), (), node
    group = run.add(Node(engine.new_id(), name, display, "TaskGroup", parent=parent))
    run.update(group, "Running")
    children: list[Node | None] = [None] * len(items)

    def one(i: int, item: Any) -> Callable[[], None]:
        def job() -> None:
            local = {**scope, **item_scope(item)}
            label = f"{i}:{item_text(item)}"
            with limit or nullcontext():
                children[i] = run_reference(engine, call, step, local, f"{name}({label})",
                                            f"{display}({label})", group.id, prefix)
        return job

    in_parallel([one(i, item) for i, item in enumerate(items)])
    done = [c for c in children if c is not None]
    phase = next((c.phase for c in done if c.phase in FAILED), "Succeeded")
    if not items and prefix == "steps":
        phase = "Skipped"
    run.update(group, phase, "" if items else "Skipped, empty params")
    item_phases = tuple(c.phase for c in done)
    entries = aggregate(prefix, step["name"], phase, done)
    entries[f"{prefix}.{step['name']}.id"] = group.id
    return phase, entries, item_phases, group


def run_steps(engine: Engine, call: Call, node: Node, scope: dict[str, str]) -> Result:
    run = engine.run
    limit = _limit(call.template)
    for i, group in enumerate(call.template["steps"]):
        if engine.cancel.is_set():
            return "Failed", engine.cancel_reason, scope
        gnode = run.add(Node(engine.new_id(), f"{node.name}[{i}]", f"[{i}]", "StepGroup",
                             parent=node.id))
        run.update(gnode, "Running")
        frozen = dict(scope)
        results: list[tuple[str, dict[str, str]]] = [("", {})] * len(group)

        def one(j: int, step: dict[str, Any], frozen: dict[str, str], gnode: Node,
                results: list[tuple[str, dict[str, str]]]) -> Callable[[], None]:
            def job() -> None:
                phase, entries, _, _ = run_expanded(engine, call, step, frozen,
                                                    f"{gnode.name}.{step['name']}", gnode.id,
                                                    limit, "steps")
                results[j] = (phase, entries)
            return job

        in_parallel([one(j, step, frozen, gnode, results) for j, step in enumerate(group)])
        failed = ""
        for step, (phase, entries) in zip(group, results, strict=True):
            scope.update(entries)
            if phase in FAILED and not continues_on(step, phase) and not failed:
                failed = step["name"]
        if failed:
            run.update(gnode, "Failed", f"child '{failed}' failed")
            return "Failed", f"child '{failed}' failed", scope
        run.update(gnode, "Succeeded")
    return "Succeeded", "", scope


def run_dag(engine: Engine, call: Call, node: Node, scope: dict[str, str]) -> Result:
    tasks = {t["name"]: t for t in call.template["dag"]["tasks"]}
    order = list(tasks)
    deps = {n: names(depends_text(t)) for n, t in tasks.items()}
    for n, ds in deps.items():
        unknown = ds - set(tasks)
        if unknown:
            return "Error", f"task {n!r} depends on unknown task(s) {sorted(unknown)}", scope
    # With a target, only the tasks it needs run (Argo's dag.target).
    template = call.template
    try:
        target = substitute(str(template["dag"].get("target") or ""), scope).split()
    except Unresolved as exc:
        return "Error", f"dag target: {exc}", scope
    if target:
        unknown = set(target) - set(tasks)
        if unknown:
            return "Error", f"dag target names unknown task(s) {sorted(unknown)}", scope
        needed: set[str] = set()
        todo = list(target)
        while todo:
            n = todo.pop()
            if n not in needed:
                needed.add(n)
                todo.extend(deps[n])
        tasks = {n: t for n, t in tasks.items() if n in needed}
        order = [n for n in order if n in needed]
        template = {**template, "dag": {**template["dag"], "target": " ".join(target)}}
    limit = _limit(call.template)
    states: dict[str, TaskState] = {}
    running: set[str] = set()
    cond = threading.Condition()

    def accepts(task: dict[str, Any]) -> frozenset[str]:
        return frozenset(p for p in FAILED if continues_on(task, p))

    def start(n: str, frozen: dict[str, str]) -> None:
        def job() -> None:
            phase, entries, items, _ = run_expanded(engine, call, tasks[n], frozen,
                                                    f"{node.name}.{n}", node.id, limit, "tasks")
            with cond:
                scope.update(entries)
                states[n] = TaskState(phase, items, accepts(tasks[n]))
                running.discard(n)
                cond.notify_all()

        running.add(n)
        threading.Thread(target=job, daemon=True).start()

    with cond:
        while True:
            progressed = False
            if not engine.cancel.is_set():
                for n in order:
                    if n in states or n in running or not deps[n] <= states.keys():
                        continue
                    progressed = True
                    try:
                        go = holds(depends_text(tasks[n]), states)
                    except ExpressionError as exc:
                        _mark(engine, node, n, "Error", str(exc))
                        states[n] = TaskState("Error")
                        continue
                    if not go:
                        _mark(engine, node, n, "Omitted", "omitted: depends condition not met")
                        states[n] = TaskState("Omitted")
                        continue
                    start(n, dict(scope))
            if progressed:
                continue
            if not running:
                break
            cond.wait(0.5)
    if engine.cancel.is_set():
        return "Failed", engine.cancel_reason, scope
    phase, message = _dag_phase(template, tasks, deps, states)
    return phase, message, scope


def _mark(engine: Engine, dag: Node, task: str, phase: str, message: str) -> None:
    n = engine.run.add(Node(engine.new_id(), f"{dag.name}.{task}", task, "Skipped", parent=dag.id))
    engine.run.update(n, phase, message)


def _dag_phase(t: dict[str, Any], tasks: dict[str, dict[str, Any]], deps: dict[str, set[str]],
               states: dict[str, TaskState]) -> tuple[str, str]:
    memo: dict[str, str] = {}

    def branch(n: str) -> str:
        if n not in memo:
            state = states.get(n)
            if state is None:
                memo[n] = ""
            elif state.phase != "Omitted":
                memo[n] = state.phase
            else:
                parents = [branch(d) for d in sorted(deps[n])]
                memo[n] = next((p for p in parents if p in FAILED),
                               parents[0] if parents else "Succeeded")
        return memo[n]

    target = str(t["dag"].get("target") or "").split()  # substituted by run_dag
    for n in target or leaves(list(tasks.values())):
        phase = branch(n)
        if phase == "":
            return "Failed", f"task '{n}' did not run"
        if phase in FAILED and not continues_on(tasks[n], phase):
            return phase, f"child '{n}' failed"
    return "Succeeded", ""


__all__ = ["run_dag", "run_steps"]
