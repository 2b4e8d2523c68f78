"""Invocation nodes and the composites that arrange them.

These classes exist so that a DSL file is ordinary, type-checkable Python and so that the
objects can be built at run time (for unit tests and the CloudHarness run-time API). The
compiler never imports a user's file: it reads the same calls statically.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Union

if TYPE_CHECKING:
    from tiphys.tasks import Task

R = TypeVar("R")


@dataclass(frozen=True)
class Param:
    """A workflow parameter, filled at submission (``argo submit -p name=value``)."""

    #: Parameter name (``^[-a-zA-Z0-9_]+$``).
    name: str
    #: Default value; ``None`` means the parameter must be supplied.
    default: Any = None
    description: str | None = None
    #: Allowed values, shown as a drop-down in the Argo UI.
    enum: tuple[Any, ...] | None = None


def param(
    name: str,
    default: Any = None,
    *,
    description: str | None = None,
    enum: list[Any] | tuple[Any, ...] | None = None,
) -> Any:
    """Declare (or refer to) a workflow parameter and use it as a task argument.

    Typed ``Any`` so it can stand in for an argument of any type.
    """
    return Param(name, default, description, tuple(enum) if enum is not None else None)


@dataclass(frozen=True)
class Output(Generic[R]):
    """One output of a node: its return value, or a named output."""

    node: Node[Any]
    name: str = "return"


@dataclass(frozen=True, eq=False)
class Node(Generic[R]):
    """One invocation of a task. Passing it as an argument passes its return value."""

    task: Task[..., R]
    args: Mapping[str, Any]
    #: Explicit upstream nodes (``.after(...)``), on top of those implied by data.
    upstream: tuple[Node[Any], ...] = ()
    #: Step/task name override (``.named(...)``).
    name: str | None = None

    @property
    def output(self) -> R:
        """The return value, for use as another task's argument."""
        return Output(self)  # type: ignore[return-value]

    @property
    def outputs(self) -> Mapping[str, Any]:
        """Named outputs of a container task, by name."""
        return _OutputMap(self)

    def after(self, *nodes: Node[Any] | Composite) -> Node[R]:
        """Run this node after *nodes*, even though no data flows between them."""
        extra = tuple(n for n in nodes if isinstance(n, Node))
        return Node(self.task, self.args, self.upstream + extra, self.name)

    def named(self, name: str) -> Node[R]:
        """Give the step (or DAG task) an explicit name."""
        return Node(self.task, self.args, self.upstream, name)


@dataclass(frozen=True)
class _OutputMap(Mapping[str, Any]):
    node: Node[Any]

    def __getitem__(self, key: str) -> Any:
        return Output(self.node, key)

    def __iter__(self) -> Any:
        return iter(())

    def __len__(self) -> int:
        return 0


Element = Union[Node[Any], "Task[..., Any]", "Composite"]


@dataclass(frozen=True)
class Composite:
    """``pipeline``, ``parallel`` or ``dag`` of elements."""

    kind: str
    elements: tuple[Any, ...] = field(default_factory=tuple)
    name: str | None = None


def pipeline(*elements: Any, name: str | None = None) -> Composite:
    """Run *elements* one after another (an Argo ``steps`` template, one group each)."""
    return Composite("pipeline", elements, name)


def parallel(*elements: Any, name: str | None = None) -> Composite:
    """Run *elements* at the same time (one Argo steps group)."""
    return Composite("parallel", elements, name)


def dag(*elements: Any, name: str | None = None) -> Composite:
    """Run *elements* as an Argo DAG: edges come from data references and ``.after(...)``."""
    return Composite("dag", elements, name)
