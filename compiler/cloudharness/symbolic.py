"""What the recognizer knows about a value: a literal, something only known at run time, or a
CloudHarness object under construction.

The recognizer interprets the user's code symbolically, statement by statement, without
running anything. A value it cannot know (a function parameter, ``request.args['x']``, a list
grown in a loop) is an :class:`Unknown` that remembers why and where; it becomes a diagnostic
only where CloudHarness needs a static value, or a workflow parameter where it may be supplied
at submission (a task's environment values).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler.cloudharness.model import Operation, PodContext, Problem, Task

#: Where a value was written: an ``ast`` node, or a region of the source that is not a node of
#: its own (:class:`tiphys.compiler.frontend.source.Span`); None for nowhere in particular.
Node = Any


@dataclass(frozen=True, slots=True)
class Const:
    value: Any
    node: Node
    stmt: int


@dataclass(frozen=True, slots=True)
class Unknown:
    #: Why it is not known, as a noun phrase: "the function parameter 'a'".
    why: str
    node: Node
    stmt: int
    #: A literal default (a function parameter's), used as a workflow parameter's value.
    default: Const | None = None


@dataclass(frozen=True, slots=True)
class Ref:
    """An imported name, by its qualified name (``cloudharness.workflows.operations``)."""

    qualified: str


@dataclass(frozen=True, slots=True)
class FuncRef:
    node: ast.FunctionDef | ast.AsyncFunctionDef
    stmt: int


@dataclass(frozen=True, slots=True)
class LambdaRef:
    node: ast.Lambda
    stmt: int


@dataclass(slots=True)
class Seq:
    """A list or tuple display, possibly grown by ``append``/``extend`` afterwards."""

    items: list[Sym]
    node: Node
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
    node: Node
    stmt: int


@dataclass(frozen=True, slots=True)
class ModelObj:
    """An Argo/Kubernetes client model (``V1alpha1Template(memoize=..., ...)``)."""

    cls: str
    fields: tuple[tuple[str, Sym], ...]
    node: Node
    stmt: int


@dataclass(frozen=True, slots=True)
class TaskSym:
    task: Task | None
    problems: tuple[Problem, ...]
    node: Node
    stmt: int


@dataclass(frozen=True, slots=True)
class OpSym:
    op: Operation | None
    node: Node
    stmt: int


@dataclass(frozen=True, slots=True)
class CtxSym:
    ctx: PodContext | None
    problems: tuple[Problem, ...]
    node: Node
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
        return tuple(values) if isinstance(sym.node, ast.Tuple) else values
    if isinstance(sym, DictSym):
        return {literal(k): literal(v) for k, v in sym.items}
    if isinstance(sym, ModelObj):
        return {k: literal(v) for k, v in sym.fields}
    if isinstance(sym, Unknown):
        raise NotStatic(sym)
    raise NotStatic(Unknown(f"a {describe(sym)}", getattr(sym, "node", None),
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
