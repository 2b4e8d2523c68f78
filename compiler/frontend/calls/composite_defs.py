"""Reading a ``@composite`` definition: its inputs (parameters and artifacts) and its calls of
itself (recursion).

A recursive call is the composite's own name called in its body. While the body is read the
name stands for a *stub* (:attr:`ir.CompositeTask.recursive`): a task with the composite's
inputs and the output names the body's ``return ...(outputs={...})`` gives, whose step runs the
template being defined. Each recursive call must carry a ``.when(...)`` (TPH513): an
unconditional one could never end. Being conditional, its outputs are read through
``choose()``/``or_default()``; an output the body exposes as an artifact is TPH514.
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


def recursive_stub(fn: ast.FunctionDef | ast.AsyncFunctionDef, name: str,
                   inputs: list[ir.Input], loc: Loc) -> ir.CompositeTask:
    """What the composite's own name means inside its body: its inputs, and as outputs the
    names its final ``return ...(outputs={...})`` gives (read before the body, so that a
    level can read the level below; they stand for output parameters until the body says)."""
    names = declared_outputs(fn)
    exposed = tuple((n, ir.OutputRef(_NO_NODE, n, loc)) for n in names)
    return ir.CompositeTask(name, tuple(inputs), ir.Composite("pipeline", (), None, loc), (),
                            exposed, ir.TaskOptions(), loc, recursive=True)


def declared_outputs(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ...]:
    """The string keys of ``outputs={...}`` in the body's last statement, a return."""
    last = fn.body[-1] if fn.body else None
    if not (isinstance(last, ast.Return) and isinstance(last.value, ast.Call)):
        return ()
    out = next((k.value for k in last.value.keywords if k.arg == "outputs"), None)
    if not isinstance(out, ast.Dict):
        return ()
    return tuple(dict.fromkeys(k.value for k in out.keys if isinstance(k, ast.Constant)
                               and isinstance(k.value, str)))


def check_recursive_calls(ev: Evaluator, task: ir.CompositeTask) -> None:
    """TPH513 for each recursive call the body runs without a ``.when(...)``; TPH514 for each
    read of an output of a recursive call that the body turned out to expose as an artifact."""
    artifacts = {a.name for a in task.artifact_outputs}
    calls = {inv.uid: inv for inv in task.invocations
             if isinstance(inv.task, ir.CompositeTask) and inv.task.recursive
             and inv.task.name == task.name}
    for inv in calls.values():
        if inv.flow.when is None:
            ev.error("TPH513", f"composite '{task.name}' calls itself unconditionally, so it "
                     "would never end: give the recursive call a .when(...) that stops it (a "
                     "condition on an input or an output of this run)", inv.loc)
    reads = [r for inv in task.invocations for r in inv.references()]
    reads += [o for _, ref in task.exposed
              for o in (ref.options if isinstance(ref, ir.Choice) else (ref,))]
    for ref in reads:
        if ref.node in calls and ref.output in artifacts:
            ev.error("TPH514", f"output '{ref.output}' of the recursive call of "
                     f"'{task.name}' is an artifact: a level reads only the output "
                     "parameters of the level below", ref.loc)


#: The producer of a recursive call's outputs: the body being read, no invocation yet.
_NO_NODE = -1
