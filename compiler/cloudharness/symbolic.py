"""What the recognizer knows about a value: a literal, something only known at run time, or a
CloudHarness object under construction.

The recognizer interprets the user's code symbolically, statement by statement, without
running anything. A value it cannot know (a function parameter, ``request.args['x']``, a list
grown in a loop) is an :class:`Unknown` that remembers why and where; it becomes a diagnostic
only where CloudHarness needs a static value, or a workflow parameter where it may be supplied
at submission (a task's environment values).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from tiphys.compiler.cloudharness.model import Operation, PodContext, Problem, Task


@dataclass(frozen=True, slots=True)
class Const:
    value: Any
    node: cst.CSTNode
    stmt: int


@dataclass(frozen=True, slots=True)
class Unknown:
    #: Why it is not known, as a noun phrase: "the function parameter 'a'".
    why: str
    node: cst.CSTNode
    stmt: int
    #: A literal default (a function parameter's), used as a workflow parameter's value.
    default: Const | None = None


@dataclass(frozen=True, slots=True)
class Ref:
    """An imported name, by its qualified name (``cloudharness.workflows.operations``)."""

    qualified: str


@dataclass(frozen=True, slots=True)
class FuncRef:
    node: cst.FunctionDef
    stmt: int


@dataclass(frozen=True, slots=True)
class LambdaRef:
    node: cst.Lambda
    stmt: int


@dataclass(slots=True)
class Seq:
    """A list or tuple display, possibly grown by ``append``/``extend`` afterwards."""

    items: list[Sym]
    node: cst.CSTNode
    stmt: int
    #: The scope (function) and nesting depth (loops/branches) the list was made at: growing
    #: it anywhere else makes its contents unknowable.
    scope: int
    depth: int
    #: Set when the list was grown where its contents cannot be known.
    dynamic: Unknown | None = None


@dataclass(frozen=True, slots=True)
class DictSym:
    items: tuple[tuple[Sym, Sym], ...]
    node: cst.CSTNode
    stmt: int


@dataclass(frozen=True, slots=True)
class ModelObj:
    """An Argo/Kubernetes client model (``V1alpha1Template(memoize=..., ...)``)."""

    cls: str
    fields: tuple[tuple[str, Sym], ...]
    node: cst.CSTNode
    stmt: int


@dataclass(frozen=True, slots=True)
class TaskSym:
    task: Task | None
    problems: tuple[Problem, ...]
    node: cst.CSTNode
    stmt: int


@dataclass(frozen=True, slots=True)
class OpSym:
    op: Operation | None
    node: cst.CSTNode
    stmt: int


@dataclass(frozen=True, slots=True)
class CtxSym:
    ctx: PodContext | None
    problems: tuple[Problem, ...]
    node: cst.CSTNode
    stmt: int


Sym = (Const | Unknown | Ref | FuncRef | LambdaRef | Seq | DictSym | ModelObj | TaskSym | OpSym
       | CtxSym)


class NotStatic(Exception):
    """A value needed statically is not; carries the Unknown that explains it."""

    def __init__(self, unknown: Unknown) -> None:
        super().__init__(unknown.why)
        self.unknown = unknown


def literal(sym: Sym) -> Any:
    """The Python value of *sym* if it is made of literals only; raises NotStatic otherwise."""
    if isinstance(sym, Const):
        return sym.value
    if isinstance(sym, Seq):
        if sym.dynamic is not None:
            raise NotStatic(sym.dynamic)
        values = [literal(i) for i in sym.items]
        return tuple(values) if isinstance(sym.node, cst.Tuple) else values
    if isinstance(sym, DictSym):
        return {literal(k): literal(v) for k, v in sym.items}
    if isinstance(sym, ModelObj):
        return {k: literal(v) for k, v in sym.fields}
    if isinstance(sym, Unknown):
        raise NotStatic(sym)
    node = getattr(sym, "node", None)
    raise NotStatic(Unknown(f"a {describe(sym)}", node if node is not None else cst.Name("x"),
                            getattr(sym, "stmt", 0)))


def describe(sym: Sym) -> str:
    return {
        Const: "literal", Unknown: "value known only at run time", Ref: "imported name",
        FuncRef: "function", LambdaRef: "lambda", Seq: "list", DictSym: "dict",
        ModelObj: "client model object", TaskSym: "task", OpSym: "operation",
        CtxSym: "pod execution context",
    }[type(sym)]


@dataclass(slots=True)
class Env:
    """Bindings of one scope; lookups fall back to the enclosing scopes."""

    parent: Env | None
    #: Identity of the function scope (branch envs share their function's).
    scope: int
    vars: dict[str, Sym] = field(default_factory=dict)

    def lookup(self, name: str) -> Sym | None:
        env: Env | None = self
        while env is not None:
            if name in env.vars:
                return env.vars[name]
            env = env.parent
        return None
