"""DAG templates after placement: each task's ``depends`` string, and dependency cycles."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tiphys.compiler.lower.scopes import Entry, Scope


def render_depends_strings(scopes: list[Scope]) -> None:
    """Set each DAG task's ``depends``: explicit logic, then plain dependencies (a
    dependency that may fail without failing the run is 'done as a plain dependency, or
    failed': a bare name is Succeeded, Skipped or Daemoned in Argo)."""
    for scope in scopes:
        if scope.kind != "dag":
            continue
        position = {e.name: i for i, e in enumerate(scope.entries)}
        by_name = {e.name: e for e in scope.entries}
        for entry in scope.entries:
            parts = list(entry.depends_logic)
            for name in sorted(entry.deps, key=position.__getitem__):
                if name in entry.depends_named:
                    continue
                on = by_name[name].continue_on
                if on is None:
                    parts.append(name)
                    continue
                ok = [name]
                if on.failed:
                    ok.append(f"{name}.Failed")
                if on.error:
                    ok.append(f"{name}.Errored")
                parts.append("(" + " || ".join(ok) + ")")
            entry.depends = " && ".join(parts)


def find_cycle(scope: Scope) -> tuple[list[str], Entry] | None:
    """The first dependency cycle of a DAG (its names, and the entry to report it at), by an
    iterative depth-first search."""
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
                return [*path[path.index(dep):], dep], by_name[path[-1]]
            if dep not in state and dep in by_name:
                state[dep] = 1
                path.append(dep)
                stack.append(iter(by_name[dep].deps))
    return None
