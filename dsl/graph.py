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

if TYPE_CHECKING:
    # For type checkers a node and an output stand in for the value they carry: either may
    # be passed for any parameter of a task, whose signature @task keeps (a misspelled
    # keyword or a literal of the wrong type is a mypy error). The compiler checks an
    # output's type against the parameter's annotation (TPH191).
    _StandsIn = Any
else:
    class _StandsIn:
        __slots__ = ()


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
class Output(_StandsIn, Generic[R]):  # type: ignore[misc]
    """One output of a node: its return value, or a named output."""

    node: Node[Any]
    name: str = "return"

    def or_default(self, default: Any) -> Any:
        """This output when its task succeeded, else *default* (for a task that may be
        skipped: the compiler lowers it to an Argo expression over the task's status)."""
        from tiphys.composites import Choice

        return Choice((self,), default)


@dataclass(frozen=True)
class Dep:
    """A dependency condition for ``.after(...)``: ``a.succeeded | b.failed``."""

    #: "result", "or", "and" or "not".
    op: str
    node: Node[Any] | None = None
    result: str | None = None
    items: tuple[Dep, ...] = ()

    def __or__(self, other: Dep | Node[Any]) -> Dep:
        return Dep("or", items=(self, _dep(other)))

    def __and__(self, other: Dep | Node[Any]) -> Dep:
        return Dep("and", items=(self, _dep(other)))

    def __invert__(self) -> Dep:
        return Dep("not", items=(self,))


def _dep(value: Dep | Node[Any]) -> Dep:
    return value if isinstance(value, Dep) else Dep("result", value)


@dataclass(frozen=True, eq=False)
class Node(_StandsIn, Generic[R]):  # type: ignore[misc]
    """One invocation of a task. Passing it as an argument passes its return value.

    ``.after``, ``.named``, ``.when``, ``.continue_on``, ``.on_exit`` and ``.hook`` return a
    node with the setting added (the compiler reads them statically).
    """

    task: Task[..., R]
    args: Mapping[str, Any]
    #: Explicit upstream nodes (``.after(...)``), on top of those implied by data.
    upstream: tuple[Node[Any] | Dep, ...] = ()
    #: Step/task name override (``.named(...)``).
    name: str | None = None
    condition: Any = None
    settings: Mapping[str, Any] = field(default_factory=dict)

    def _with(self, **changes: Any) -> Node[R]:
        values = {"task": self.task, "args": self.args, "upstream": self.upstream,
                  "name": self.name, "condition": self.condition, "settings": self.settings}
        values.update(changes)
        return Node(**values)

    # Task results, for dependency conditions in a dag: ``.after(a.failed | b.succeeded)``.
    @property
    def succeeded(self) -> Dep:
        return Dep("result", self, "Succeeded")

    @property
    def failed(self) -> Dep:
        return Dep("result", self, "Failed")

    @property
    def errored(self) -> Dep:
        return Dep("result", self, "Errored")

    @property
    def skipped(self) -> Dep:
        return Dep("result", self, "Skipped")

    @property
    def omitted(self) -> Dep:
        return Dep("result", self, "Omitted")

    @property
    def daemoned(self) -> Dep:
        return Dep("result", self, "Daemoned")

    @property
    def any_succeeded(self) -> Dep:
        return Dep("result", self, "AnySucceeded")

    @property
    def all_failed(self) -> Dep:
        return Dep("result", self, "AllFailed")

    def when(self, condition: bool) -> Node[R]:
        """Run only when *condition* holds: comparisons of other nodes' outputs and workflow
        parameters, combined with ``and``, ``or`` and ``not``."""
        return self._with(condition=condition)

    def continue_on(self, *, failed: bool = False, error: bool = False) -> Node[R]:
        """Let the workflow go on when this node fails (or errors)."""
        return self._with(settings={**self.settings, "continue_on": (failed, error)})

    def on_exit(self, handler: Node[Any]) -> Node[R]:
        """Run *handler* when this node finishes, whatever its result."""
        return self._with(settings={**self.settings, "on_exit": handler})

    def hook(self, name: str, handler: Node[Any], *, when: bool) -> Node[R]:
        """A lifecycle hook: run *handler* when *when* holds while this node runs."""
        hooks = dict(self.settings.get("hooks", {}))
        hooks[name] = (handler, when)
        return self._with(settings={**self.settings, "hooks": hooks})

    @property
    def output(self) -> R:
        """The return value, for use as another task's argument."""
        return Output(self)

    @property
    def ip(self) -> str:
        """The pod IP of a daemon task (``daemon=True``), once it runs."""
        return Output(self, "ip")

    @property
    def outputs(self) -> Mapping[str, Any]:
        """Named outputs of a container task, by name."""
        return _OutputMap(self)

    def after(self, *nodes: Node[Any] | Dep) -> Node[R]:
        """Run this node after *nodes* (or when a dependency condition such as
        ``a.failed | b.succeeded`` holds), even though no data flows between them."""
        return self._with(upstream=self.upstream + nodes)

    def named(self, name: str) -> Node[R]:
        """Give the step (or DAG task) an explicit name."""
        return self._with(name=name)


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
    #: Outputs a ``@composite`` exposes: name -> a task's output inside (or a choice).
    outputs: Mapping[str, Any] | None = None
    #: ``dag()`` only: False lets every branch run to its end after a task failed.
    fail_fast: bool = True


def pipeline(
    *elements: Any, name: str | None = None, outputs: Mapping[str, Any] | None = None
) -> Composite:
    """Run *elements* one after another (an Argo ``steps`` template, one group each)."""
    return Composite("pipeline", elements, name, outputs)


def parallel(
    *elements: Any, name: str | None = None, outputs: Mapping[str, Any] | None = None
) -> Composite:
    """Run *elements* at the same time (one Argo steps group)."""
    return Composite("parallel", elements, name, outputs)


def dag(
    *elements: Any, name: str | None = None, outputs: Mapping[str, Any] | None = None,
    fail_fast: bool = True,
) -> Composite:
    """Run *elements* as an Argo DAG: edges come from data references and ``.after(...)``.

    By default a failed task stops the DAG from starting new tasks (Argo's ``failFast``);
    ``fail_fast=False`` runs every branch to its end, and the DAG fails afterwards.
    """
    return Composite("dag", elements, name, outputs, fail_fast)


@dataclass(frozen=True)
class WorkflowVariable:
    """A value Argo knows at run time, such as ``{{workflow.status}}``."""

    variable: str


#: The workflow's status ("Succeeded", "Failed", "Error", "Running"): for exit handlers,
#: hooks and conditions. Typed ``str`` so it compares and passes like one.
workflow_status: str = WorkflowVariable("workflow.status")  # type: ignore[assignment]
#: The workflow's name, as Argo generated it.
workflow_name: str = WorkflowVariable("workflow.name")  # type: ignore[assignment]


@dataclass(frozen=True)
class Hook:
    handler: Node[Any]
    when: Any


def hook(handler: Node[Any], *, when: bool) -> Hook:
    """A workflow lifecycle hook: run *handler* when *when* holds (``workflow_status ==
    "Running"``); for ``workflow(..., hooks={"name": hook(...)})``."""
    return Hook(handler, when)
