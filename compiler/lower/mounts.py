"""Checking a task's volume mounts (its own and its sidecars' and init containers') against
the volumes its workflow declares, including a volume each call chooses (``from_input``)."""

from __future__ import annotations

from collections.abc import Callable

from tiphys.compiler import ir
from tiphys.compiler.ir.loc import Loc

Report = Callable[[str, str, Loc], None]


def check_mounts(wf: ir.Workflow, t: ir.TaskDef, declared: set[str], error: Report) -> None:
    """TPH314 for each mount of *t* naming a volume *wf* does not declare."""
    helpers = (*t.options.extra.sidecars, *t.options.extra.init_containers)
    for who, m in [(f"task '{t.name}'", m) for m in t.options.mounts] + [
            (f"{c.role.replace('init', 'init container')} '{c.name}' of task '{t.name}'", m)
            for c in helpers for m in c.mounts]:
        if m.input is not None:
            _check_chosen_volume(wf, t, who, m, declared, error)
        elif m.volume not in declared:
            error("TPH314", f"{who} mounts volume '{m.volume}', which workflow "
                  f"'{wf.name}' does not declare: add it to volumes= or volume_claims=",
                  m.loc or t.loc)


def _check_chosen_volume(wf: ir.Workflow, t: ir.TaskDef, who: str, m: ir.Mount,
                         declared: set[str], error: Report) -> None:
    """A volume named by input *m.input* (``from_input``): every call of *t* in *wf* must name
    a volume *wf* declares, with a literal (or the input's literal default, or the literal
    items of a loop over that input), so that the check holds for every run."""
    name = m.input
    assert name is not None
    given = next((i for i in t.inputs if i.name == m.input), None)
    if given is None:
        return  # TPH532, reported where from_input() is written
    if given.decode != "str":
        error("TPH314", f"{who} mounts the volume input '{m.input}' names: annotate that input "
              "str, so that Argo passes the name as it is", m.loc or t.loc)
        return
    default = given.default if given.has_default else None
    for inv in wf.invocations:
        if inv.task is not t:
            continue
        value = dict(inv.args).get(name)
        loop = inv.flow.loop
        chosen: list[object] | None
        fields = dict(loop.fields) if loop is not None else {}
        if loop is not None and loop.param == m.input:
            chosen = list(loop.items) if loop.kind == "items" else None
        elif loop is not None and name in fields:  # each(): a field of each literal item
            field = fields[name]
            chosen = [item.get(field) if field is not None and isinstance(item, dict) else item
                      for item in loop.items] if loop.kind == "items" else None
        elif value is None:
            chosen = None if default is None else [default]
        else:
            chosen = [value.value] if isinstance(value, ir.Literal) else None
        where = getattr(value, "loc", None) or inv.loc
        if chosen is None:
            error("TPH314", f"{who} mounts the volume input '{m.input}' names: pass it the "
                  "name of a volume the workflow declares, as a literal, so that it can be "
                  "checked", where)
            continue
        for chosen_name in chosen:
            if chosen_name not in declared:
                error("TPH314", f"{who} mounts the volume input '{m.input}' names, and this "
                      f"call names {chosen_name!r}, which workflow '{wf.name}' does not declare: add "
                      "it to volumes= or volume_claims=", where)
