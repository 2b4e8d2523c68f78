"""IR for reusable composites, interpolated strings and outputs chosen by expression.

A ``@composite`` function becomes a :class:`CompositeTask`: a task definition like any other
(a call of it is an ordinary :class:`~tiphys.compiler.ir.core.Invocation`), whose template is a
``steps`` or ``dag`` template with input parameters instead of a container.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tiphys.compiler.ir.artifacts import ArtifactOutput
from tiphys.compiler.ir.loc import Loc

if TYPE_CHECKING:
    from tiphys.compiler.ir.core import (
        Composite,
        Element,
        Input,
        Invocation,
        Literal,
        OutputRef,
        ParamRef,
        TaskOptions,
        WorkflowRef,
    )


@dataclass(frozen=True, slots=True)
class InputRef:
    """An input of the enclosing composite, ``{{inputs.parameters.name}}`` (or, for an
    artifact input, ``{{inputs.artifacts.name}}`` passed on as an argument's ``from``)."""

    name: str
    loc: Loc = field(compare=False)
    #: "parameter" or "artifact".
    kind: str = "parameter"


@dataclass(frozen=True, slots=True)
class Interpolated:
    """An f-string: literal text and values, joined into one string argument."""

    parts: tuple[str | ParamRef | WorkflowRef | InputRef | OutputRef, ...]
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class Choice:
    """The output of the first of *options* that succeeded, else *default* (or, with no
    default, the last option's output): an Argo expression over the tasks' status."""

    options: tuple[OutputRef, ...]
    default: Literal | None
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class CompositeTask:
    """A reusable composite: one steps/dag template with inputs, called like a task."""

    name: str
    inputs: tuple[Input, ...]
    body: Composite
    #: Every invocation the body needs (placed in it or read by it), in order.
    invocations: tuple[Invocation, ...]
    #: Outputs the composite exposes: (name, a task output inside, or a choice).
    exposed: tuple[tuple[str, OutputRef | Choice], ...]
    options: TaskOptions
    loc: Loc = field(compare=False)
    #: True for an anonymous composite given as an exit handler (reads workflow_status).
    handler: bool = False
    #: True for the composite's own name called inside its body (a recursive call): it
    #: stands for the template being defined; its body, invocations and outputs are empty.
    recursive: bool = False

    @property
    def outputs(self) -> tuple[str, ...]:
        """The exposed output parameters."""
        return tuple(name for name, ref in self.exposed if not _is_artifact(ref))

    @property
    def artifact_outputs(self) -> tuple[ArtifactOutput, ...]:
        """The exposed output artifacts (a steps/dag template's artifacts have no path: they
        are taken ``from`` an inner task's)."""
        return tuple(ArtifactOutput(name, "") for name, ref in self.exposed
                     if _is_artifact(ref))


def _is_artifact(ref: OutputRef | Choice) -> bool:
    return getattr(ref, "kind", "parameter") == "artifact"


def needed_invocations(body: Element, extra: list[int],
                       invocations: dict[int, Invocation]) -> list[Invocation]:
    """The invocations placed in *body* and, transitively, those they read from, run after
    or hand to hooks, and the invocations inside the composites they call."""
    from tiphys.compiler.ir.core import Invocation  # core imports this module

    order: list[int] = []
    seen: set[int] = set()
    stack: list[Element] = [body]
    while stack:
        el = stack.pop()
        if isinstance(el, Invocation):
            if el.uid not in seen:
                seen.add(el.uid)
                order.append(el.uid)
        elif id(el) not in seen:
            seen.add(id(el))
            stack.extend(reversed(el.elements))
    order = [u for u in order if u in invocations]
    pending = list(order) + [u for u in extra if u not in seen]
    for uid in pending[len(order):]:
        seen.add(uid)
        order.append(uid)
    while pending:
        inv = invocations[pending.pop()]
        for uid in [*inv.upstream(), *(h.node for h in inv.flow.hooks)]:
            if uid not in seen and uid in invocations:
                seen.add(uid)
                order.append(uid)
                pending.append(uid)
    return [invocations[u] for u in order]


def expand_composites(invocations: list[Invocation]) -> list[Invocation]:
    """*invocations* and every invocation inside the composites they call, each once."""
    out: dict[int, Invocation] = {}
    stack = list(reversed(invocations))
    while stack:
        inv = stack.pop()
        if inv.uid in out:
            continue
        out[inv.uid] = inv
        if isinstance(inv.task, CompositeTask):
            stack.extend(reversed(inv.task.invocations))
    return list(out.values())

