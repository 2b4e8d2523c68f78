"""Reusable composites (``@composite``) and outputs chosen at run time (``choose``).

As everywhere in the DSL, the compiler reads these calls statically; at run time they only
build plain objects, so that a DSL file is ordinary, type-checkable Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar, cast

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class CompositeDef(Generic[P]):
    """A function whose body arranges tasks; each call is one run of its template."""

    fn: Callable[P, Any]
    name: str

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Any:
        """A call of the composite (a node), or, at run time, what the body builds."""
        return self.fn(*args, **kwargs)

    def map(self, *items: Any, **kwargs: Any) -> Any:
        """Call the composite once per item of the one list argument (as ``Task.map``); a
        composite without inputs takes the list positionally: ``inner.map(sequence(count=3))``."""
        return {"composite": self.name, "map": kwargs, "items": items}


def composite(fn: Callable[P, Any]) -> CompositeDef[P]:
    """Make *fn* a reusable composite: its parameters become the template's inputs, and its
    body returns a ``pipeline()``, ``parallel()`` or ``dag()`` of tasks that use them."""
    return CompositeDef(fn, fn.__name__.replace("_", "-"))


@dataclass(frozen=True)
class Choice:
    """The output of the first task of *options* that succeeded (``choose(a.output, ...)``)."""

    options: tuple[Any, ...]
    default: Any = None


def choose(*options: R) -> R:
    """The output of the first of *options* whose task succeeded; with only the last as the
    fallback (``choose(heads.output, tails.output)``). Typed as the outputs are: it stands in
    for their value, as an output does."""
    return cast(R, Choice(tuple(options)))


def or_default(output: R, default: R) -> R:
    """*output* when its task succeeded, else *default* (also ``output.or_default(...)``
    where the output is untyped)."""
    return cast(R, Choice((output,), default))
