"""DAG templates (Argo's validateDAG, plus a real parse of ``depends``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tiphys.compiler.validator.docctx import DocCtx
from tiphys.compiler.validator.expressions import TASK_RESULTS, DependsError, parse_depends
from tiphys.compiler.validator.findings import PathT
from tiphys.compiler.validator.model import (
    NAME_MAX,
    NAME_RE,
    as_dict,
    as_list,
    as_str,
    check_names,
    has,
    named_items,
)
from tiphys.compiler.validator.rules_calls import (
    check_arguments,
    check_hooks,
    check_inputs_supplied,
    resolve_holder,
)
from tiphys.compiler.validator.rules_loops import aggregates, check_loops, is_loop
from tiphys.compiler.validator.scope import Scope

_LOOP_RESULTS = frozenset({"AnySucceeded", "AllFailed"})


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """One cycle of *graph* (node -> nodes it depends on) as a closed path, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in graph.get(n, ()):
            if state.get(m) == 1:
                return [*stack[stack.index(m):], m]
            if m not in state and (c := visit(m)) is not None:
                return c
        stack.pop()
        state[n] = 2
        return None

    for n in graph:
        if n not in state and (c := visit(n)) is not None:
            return c
    return None


class Ancestry:
    """``is X an ancestor of T`` on demand. Materialising every task's ancestor set is
    quadratic (a 1,000-task chain holds 500,000 entries); references are few and usually
    to direct parents, so a search that stops when it finds X is cheap."""

    def __init__(self, graph: dict[str, list[str]]) -> None:
        self.graph = graph

    def has(self, name: str, candidate: str) -> bool:
        seen: set[str] = set()
        todo = list(self.graph.get(name, ()))
        while todo:
            n = todo.pop()
            if n == candidate:
                return True
            if n not in seen:
                seen.add(n)
                todo.extend(self.graph.get(n, ()))
        return False


def check_dag(ctx: DocCtx, t: dict[str, Any], tp: PathT, scope: Scope) -> None:
    rep = ctx.rep
    tname = as_str(t.get("name"))
    dag = as_dict(t.get("dag"))
    dp = (*tp, "dag")
    tasks = as_list(dag.get("tasks"))
    if not tasks:
        rep.add("ARG601", (*dp, "tasks") if "tasks" in dag else dp, f"template '{tname}': dag "
                "has no tasks; add at least one")
    if len(tasks) > 200:
        rep.add("ARG901", (*dp, "tasks"), f"template '{tname}' has {len(tasks)} tasks; Argo's "
                "full CRD allows at most 200 (clusters with the default minimal CRDs accept "
                "more): nest part of the DAG in a template of its own if that matters")
    check_names(rep, tasks, (*dp, "tasks"), "task", NAME_RE, "ARG602", "ARG603", NAME_MAX)
    by_name = {as_str(x.get("name")): x for _, x in named_items(tasks)}
    using_depends = any(has(x, "depends") for _, x in named_items(tasks))
    uses_deps = using_depends or any(as_list(x.get("dependencies")) for _, x in named_items(tasks))
    graph: dict[str, list[str]] = {}
    callees: dict[str, dict[str, Any] | None] = {}
    for i, task in named_items(tasks):
        p = (*dp, "tasks", i)
        name = as_str(task.get("name"))
        what = f"task '{name}' of template '{tname}'"
        if uses_deps and name[:1].isdigit():
            rep.add("ARG606", (*p, "name"), f"{what}: a task name cannot begin with a digit when "
                    "the DAG uses depends or dependencies; rename it")
        if using_depends and as_list(task.get("dependencies")):
            rep.add("ARG607", (*p, "dependencies"), f"{what}: this DAG uses depends, so it "
                    "cannot also use dependencies; rewrite them as depends")
        if using_depends and has(task, "continueOn"):
            rep.add("ARG608", (*p, "continueOn"), f"{what}: continueOn cannot be used with "
                    "depends; express the condition in depends (e.g. 'a.Failed || a.Succeeded')")
        deps: list[str] = []
        for j, dep in enumerate(as_list(task.get("dependencies"))):
            dep = as_str(dep)
            if dep not in by_name:
                rep.add("ARG604", (*p, "dependencies", j), f"{what}: dependency '{dep}' is not "
                        "a task of this DAG")
            else:
                deps.append(dep)
        if has(task, "depends"):
            deps += _check_depends(ctx, as_str(task.get("depends")), by_name, (*p, "depends"),
                                   what)
        graph[name] = deps
        check_loops(ctx, task, p, what)
        check_arguments(ctx, task.get("arguments"), (*p, "arguments"), allow_empty=False,
                        workflow_level=False)
        callee = resolve_holder(ctx, task, p, what)
        callees[name] = callee
        if "inline" in task and callee is not None:
            from tiphys.compiler.validator.rules_templates import check_template

            check_template(ctx, callee, (*p, "inline"))
        check_hooks(ctx, task.get("hooks"), (*p, "hooks"), need_expression=False)
    cycle = find_cycle(graph)
    if cycle:
        idx = next((i for i, x in named_items(tasks) if as_str(x.get("name")) == cycle[0]), 0)
        rep.add("ARG605", (*dp, "tasks", idx), f"template '{tname}': dependency cycle "
                f"{'->'.join(cycle)}; remove one of these dependencies")

    # every task's outputs are in scope for every task (as in Argo); status only for ancestors
    for name, task in by_name.items():
        scope.add_outputs(callees.get(name), f"tasks.{name}", aggregates(task), False)
    target = dag.get("target")
    ctx.tags.check(target, (*dp, "target"), scope, f"dag target of template '{tname}'")
    for tgt in as_str(target).split():
        if "{{" not in tgt and tgt not in by_name:
            rep.add("ARG612", (*dp, "target"), f"template '{tname}': dag target '{tgt}' is not "
                    "a task of this DAG")
    ctx.tags.dag_tasks = frozenset(by_name)
    ancestry = Ancestry(graph if not cycle else {n: [] for n in graph})
    for i, task in named_items(tasks):
        p = (*dp, "tasks", i)
        name = as_str(task.get("name"))
        what = f"task '{name}' of template '{tname}'"
        direct = set(graph.get(name, ()))

        def is_ancestor(x: str, name: str = name, direct: set[str] = direct) -> bool:
            return x in direct or ancestry.has(name, x)

        local = scope.copy()
        local.status_of = is_ancestor
        local.add_items(task)
        body = {k: v for k, v in task.items() if k != "inline"}
        ctx.tags.check(body, p, local, what)
        _check_arg_dependency(ctx, task, is_ancestor, p, what)
        callee = callees.get(name)
        if callee is not None:
            check_inputs_supplied(ctx, callee, task.get("arguments"), p, what)
    ctx.tags.dag_tasks = frozenset()


def _check_depends(ctx: DocCtx, text: str, by_name: dict[str, dict[str, Any]], p: PathT,
                   what: str) -> list[str]:
    try:
        parsed = parse_depends(text)
    except DependsError as e:
        ctx.rep.add("ARG609", p, f"{what}: depends '{text}' does not parse: {e}; use task names, "
                    "task.Result, &&, ||, ! and parentheses")
        return []
    deps: list[str] = []
    for dep, results in parsed.tasks.items():
        if dep not in by_name:
            ctx.rep.add("ARG604", p, f"{what}: depends names '{dep}', which is not a task of "
                        "this DAG")
            continue
        deps.append(dep)
        for r in sorted(results):
            if r not in TASK_RESULTS:
                ctx.rep.add("ARG610", p, f"{what}: '{dep}.{r}' is not a task result; use one of "
                            f"{', '.join(sorted(TASK_RESULTS))}")
            elif r in _LOOP_RESULTS and not is_loop(by_name[dep]):
                ctx.rep.add("ARG611", p, f"{what}: '{dep}.{r}' is only valid for tasks with "
                            "withItems, withParam or withSequence; use .Succeeded/.Failed")
    return deps


def _check_arg_dependency(ctx: DocCtx, task: dict[str, Any], is_ancestor: Callable[[str], bool],
                          p: PathT, what: str) -> None:
    args = as_dict(task.get("arguments"))
    for key, field in (("parameters", "value"), ("artifacts", "from")):
        for i, a in named_items(args.get(key)):
            v = as_str(a.get(field))
            if v.startswith("{{tasks."):
                ref = v[len("{{tasks."):].split(".", 1)[0].rstrip("}")
                if ref in ctx.tags.dag_tasks and not is_ancestor(ref):
                    ctx.rep.add("ARG613", (*p, "arguments", key, i, field), f"{what}: argument "
                                f"'{as_str(a.get('name'))}' uses task '{ref}', which is not an "
                                f"ancestor; add '{ref}' to depends/dependencies")
