"""Reading a ``@composite`` definition: its inputs (parameters and artifacts) and its calls of
itself (recursion).

A recursive call is the composite's own name called in its body. While the body is read the
name stands for a *stub* (:attr:`ir.CompositeTask.recursive`): a task with the composite's
inputs and nothing else, whose step runs the template being defined. Each recursive call must
carry a ``.when(...)`` (TPH513): an unconditional one could never end. Its outputs are what the
body, still being read, exposes: reading them is TPH514.
"""

from __future__ import annotations

import ast
import json
from typing import TYPE_CHECKING

from tiphys.compiler import ir
from tiphys.compiler.frontend.calls.artifacts import ARTIFACT_TYPES
from tiphys.compiler.frontend.values import Lit
from tiphys.compiler.ir.loc import Loc

if TYPE_CHECKING:
    from tiphys.compiler.frontend.evaluate import Evaluator

#: Annotations a composite input may carry, simplified as the IR does.
_SIMPLE_TYPES = {"str": "str", "int": "int", "float": "float", "bool": "bool"}


def _error(ev: Evaluator, code: str, message: str, node: ast.AST) -> None:
    ev.error(code, message, ev.loc(node))


def composite_inputs(ev: Evaluator, fn: ast.FunctionDef | ast.AsyncFunctionDef
                     ) -> tuple[list[ir.Input], list[tuple[str, str | None, bool]]]:
    """The template inputs of a ``@composite``'s parameters, and (name, type, is an
    artifact) for each, as the body reads them."""
    a = fn.args
    if a.vararg or a.kwarg or a.posonlyargs:
        _error(ev, "TPH501", f"composite '{fn.name}' takes named parameters only (no "
               "*args, **kwargs or positional-only ones): each becomes an input",
               a.vararg or a.kwarg or a.posonlyargs[0])
    positional = a.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(a.defaults))
    defaults += a.defaults
    pairs = list(zip(positional, defaults, strict=True))
    pairs += list(zip(a.kwonlyargs, a.kw_defaults, strict=True))
    inputs: list[ir.Input] = []
    params: list[tuple[str, str | None, bool]] = []
    for arg, default in pairs:
        ann = arg.annotation
        artifact = ARTIFACT_TYPES.get(ev.ctx.dsl_name(ann) or "") if ann is not None \
            else None
        typ = _SIMPLE_TYPES.get(ann.id) if isinstance(ann, ast.Name) else None
        if artifact == "in":
            if default is not None:
                _error(ev, "TPH501", f"artifact input '{arg.arg}' of composite '{fn.name}' "
                       "takes no default: pass the artifact where the composite is called",
                       default)
            inputs.append(ir.Input(arg.arg, "str", False, None, True, None, artifact=True,
                                   annotation=ast.unparse(ann) if ann else None))
            params.append((arg.arg, None, True))
            continue
        if ann is not None and typ is None:
            _error(ev, "TPH501", f"input '{arg.arg}' of composite '{fn.name}' is annotated "
                   "with a type Argo cannot pass as a parameter: use str, int, float or bool "
                   "(or InputArtifact for a file; a composite's output artifacts are given "
                   "with outputs=)", ann)
        text: str | None = None
        if default is not None:
            value = ev.expr(default)
            if isinstance(value, Lit) and isinstance(value.value, (str, int, float, bool)):
                text = value.value if isinstance(value.value, str) else \
                    json.dumps(value.value)
            else:
                _error(ev, "TPH501", f"the default of input '{arg.arg}' must be a str, int, "
                       "float or bool literal", default)
        inputs.append(ir.Input(arg.arg, "str", text is not None, text, True, typ,
                               annotation=ast.unparse(ann) if ann is not None else None))
        params.append((arg.arg, typ, False))
    return inputs, params


def recursive_stub(name: str, inputs: list[ir.Input], loc: Loc) -> ir.CompositeTask:
    """What the composite's own name means inside its body."""
    return ir.CompositeTask(name, tuple(inputs), ir.Composite("pipeline", (), None, loc), (),
                            (), ir.TaskOptions(), loc, recursive=True)


def check_recursive_calls(ev: Evaluator, name: str, needed: list[ir.Invocation]) -> None:
    """TPH513 for each recursive call the body runs without a ``.when(...)``."""
    for inv in needed:
        if isinstance(inv.task, ir.CompositeTask) and inv.task.recursive and \
                inv.task.name == name and inv.flow.when is None:
            ev.error("TPH513", f"composite '{name}' calls itself unconditionally, so it would "
                     "never end: give the recursive call a .when(...) that stops it (a "
                     "condition on an input or an output of this run)", inv.loc)


def recursive_output(ev: Evaluator, task: ir.TaskDef, loc: Loc) -> bool:
    """Reading an output of a recursive call: TPH514, and True."""
    if not (isinstance(task, ir.CompositeTask) and task.recursive):
        return False
    ev.error("TPH514", f"the outputs of the recursive call of '{task.name}' cannot be read: "
             "they are what its body, still being read, exposes", loc)
    return True
