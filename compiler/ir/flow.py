"""IR for control flow on an invocation: conditions, loops, dependency logic, hooks.

Conditions and ``depends`` expressions are small trees; lowering renders them as Argo
expressions once it knows where each referenced invocation runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler.ir.composites import Choice
from tiphys.compiler.ir.loc import Loc

#: Value types the compiler knows for outputs and parameters ("str", "int", "float", "bool",
#: "list", "dict"), or None when unknown.
TypeName = str | None


@dataclass(frozen=True, slots=True)
class OutputOperand:
    node: int
    output: str
    type: TypeName
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class ParamOperand:
    name: str
    type: TypeName
    loc: Loc = field(compare=False)
    #: An input of the enclosing ``@composite`` rather than a workflow parameter.
    composite_input: bool = False


@dataclass(frozen=True, slots=True)
class WorkflowOperand:
    """``{{workflow.status}}`` and friends."""

    variable: str
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class LiteralOperand:
    value: Any
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class ItemOperand:
    """A field of the current loop item (``{{item.name}}``), or the item itself (None)."""

    name: str | None
    type: TypeName
    loc: Loc = field(compare=False)


Operand = OutputOperand | ParamOperand | WorkflowOperand | LiteralOperand | ItemOperand


@dataclass(frozen=True, slots=True)
class Compare:
    #: One of ==, !=, <, <=, >, >=.
    op: str
    left: Operand
    right: Operand


@dataclass(frozen=True, slots=True)
class BoolOp:
    #: "&&" or "||".
    op: str
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Condition


@dataclass(frozen=True, slots=True)
class Truthy:
    """A bare boolean output or parameter (``when(flag.output)``)."""

    operand: Operand


@dataclass(frozen=True, slots=True)
class Match:
    """``matches(operand, pattern)``: the operand's text contains a match of *pattern*."""

    operand: Operand
    pattern: str


Condition = Compare | BoolOp | Not | Truthy | Match


# -- loops -------------------------------------------------------------------------------


#: The output name an :class:`OutputOperand` uses for a loop's aggregated
#: ``outputs.parameters``: a JSON list with one map of named outputs per run.
ALL_OUTPUTS = "*"


#: A withSequence bound: a literal, ``{{workflow.parameters.NAME}}``, another invocation's
#: output, a composite input (a :class:`ParamOperand` with ``composite_input``) or the output
#: of whichever of several invocations ran (``or_default``/``choose``: a :class:`Choice`).
Bound = int | str | OutputOperand | ParamOperand | Choice


@dataclass(frozen=True, slots=True)
class Loop:
    #: The task input that receives each item.
    param: str
    #: "items" (withItems), "sequence" (withSequence) or "param" (withParam).
    kind: str
    #: The literal items (withItems).
    items: tuple[Any, ...] = ()
    #: withSequence start and end (inclusive), or count: a number, a workflow parameter's
    #: tag, another invocation's output or a composite input (resolved where the step runs).
    start: Bound | None = None
    end: Bound | None = None
    count: Bound | None = None
    #: The JSON list a withParam loop iterates over.
    source: OutputOperand | ParamOperand | None = None
    loc: Loc | None = field(default=None, compare=False)
    #: withSequence's printf format.
    format: str | None = None
    #: Structured items (``each(...)``): the item fields that feed inputs, by input name.
    #: ``param`` is then empty: no single input receives the whole item.
    fields: tuple[tuple[str, str | None], ...] = ()


# -- dependency logic ----------------------------------------------------------------------

#: Task results Argo's ``depends`` understands, by the DSL attribute that names them.
RESULTS = {
    "succeeded": "Succeeded",
    "failed": "Failed",
    "errored": "Errored",
    "skipped": "Skipped",
    "omitted": "Omitted",
    "daemoned": "Daemoned",
    "any_succeeded": "AnySucceeded",
    "all_failed": "AllFailed",
}


@dataclass(frozen=True, slots=True)
class DepResult:
    node: int
    #: A value of :data:`RESULTS`, or None for "completed as expected" (plain ``.after(a)``).
    result: str | None
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class DepBool:
    op: str
    items: tuple[Depends, ...]


@dataclass(frozen=True, slots=True)
class DepNot:
    item: Depends


Depends = DepResult | DepBool | DepNot


@dataclass(frozen=True, slots=True)
class ContinueOn:
    failed: bool = False
    error: bool = False


@dataclass(frozen=True, slots=True)
class Hook:
    """A lifecycle hook: run invocation *node* on exit (name "exit") or when *when* holds."""

    name: str
    node: int
    when: Condition | None
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class Flow:
    """Everything about how one invocation runs, beyond its arguments."""

    when: Condition | None = None
    loop: Loop | None = None
    #: Explicit ``depends`` logic from ``.after(a.failed | b.succeeded)``.
    depends: tuple[Depends, ...] = ()
    continue_on: ContinueOn | None = None
    hooks: tuple[Hook, ...] = ()


def _operand_nodes(op: Operand) -> list[int]:
    return [op.node] if isinstance(op, OutputOperand) else []


def condition_operands(c: Condition | None) -> list[Operand]:
    if c is None:
        return []
    if isinstance(c, Compare):
        return [c.left, c.right]
    if isinstance(c, BoolOp):
        return [op for item in c.items for op in condition_operands(item)]
    if isinstance(c, Not):
        return condition_operands(c.item)
    return [c.operand]


def condition_nodes(c: Condition | None) -> list[int]:
    if c is None:
        return []
    if isinstance(c, Compare):
        return _operand_nodes(c.left) + _operand_nodes(c.right)
    if isinstance(c, BoolOp):
        return [n for item in c.items for n in condition_nodes(item)]
    if isinstance(c, Not):
        return condition_nodes(c.item)
    return _operand_nodes(c.operand)


def depends_nodes(d: Depends) -> list[int]:
    if isinstance(d, DepResult):
        return [d.node]
    if isinstance(d, DepBool):
        return [n for item in d.items for n in depends_nodes(item)]
    return depends_nodes(d.item)


def loop_reads(loop: Loop | None) -> list[OutputOperand]:
    """The outputs a loop reads: the list of a withParam, the bounds of a withSequence."""
    if loop is None:
        return []
    found = [loop.source, loop.start, loop.end, loop.count]
    return [op for op in found if isinstance(op, OutputOperand)]


def loop_choices(loop: Loop | None) -> list[Choice]:
    """The withSequence bounds that read whichever of several outputs exists (safe reads)."""
    if loop is None:
        return []
    return [b for b in (loop.start, loop.end, loop.count) if isinstance(b, Choice)]


def flow_nodes(flow: Flow) -> list[int]:
    """Invocations a flow reads from (conditions, loop sources, depends), not its hooks."""
    out = condition_nodes(flow.when)
    out += [op.node for op in loop_reads(flow.loop)]
    out += [ref.node for choice in loop_choices(flow.loop) for ref in choice.options]
    for d in flow.depends:
        out += depends_nodes(d)
    return out
