"""Reading the fields of a task's record return: ``s.output.mean`` (or ``s.output["mean"]``
for a TypedDict) is the output of that field; the record as a whole is not a value Argo can
pass (TPH540)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from tiphys.compiler import ir
from tiphys.compiler.frontend.values import OutputVal, Unknown, Value
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.records import OutputField

if TYPE_CHECKING:
    from tiphys.compiler.frontend.evaluate import Evaluator

#: Reasons of the Unknown values a misused record becomes, reported already.
RECORD_REASON = "a record of several outputs"
MISSING_FIELD = "a missing field of a record"
REPORTED_RECORD_MISUSE = frozenset({RECORD_REASON, MISSING_FIELD})


def record_fields(task: ir.TaskDef | None) -> tuple[OutputField, ...]:
    """The fields of a Python task's record return (none for any other task)."""
    if isinstance(task, ir.PythonTask) and not task.options.extra.daemon:
        return task.fields
    return ()


def field_type(task: ir.PythonTask, output: str) -> str | None:
    """The simplified type ("int", "list", ...) of the field whose output is *output*."""
    from tiphys.compiler.frontend.scripts.inputs import simple_type

    text = next((f.annotation for f in task.fields if f.name == output), None)
    if text is None:
        return None
    try:
        return simple_type(ast.parse(text, mode="eval").body)
    except SyntaxError:
        return None


def record_field(ev: Evaluator, uid: int, attr: str, loc: Loc) -> Value:
    task = ev.nodes[uid].task
    fields = record_fields(task)
    for f in fields:
        if f.attr == attr:
            return OutputVal(uid, f.name, "artifact" if f.artifact else "parameter")
    names = ", ".join(f.attr for f in fields)
    ev.error("TPH545", f"the record that task '{task.name}' returns has no field '{attr}' "
             f"(fields: {names})", loc)
    return Unknown(MISSING_FIELD)


def whole_record(ev: Evaluator, uid: int, loc: Loc) -> None:
    """A record return used as one value: Argo passes each field on its own."""
    task = ev.nodes[uid].task
    fields = record_fields(task)
    first = fields[0].attr if fields else "field"
    ev.error("TPH540", f"task '{task.name}' returns a record of several outputs (" +
             ", ".join(f.attr for f in fields) + f"): pass one field, such as "
             f".output.{first}", loc)
