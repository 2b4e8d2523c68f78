"""Loops over structured items, counted sequences and regex conditions.

``each(items)`` names the items a ``task.map(...)`` loops over so that their fields can feed
several inputs (``row.image``, ``row.tag``) and conditions (``.when(row.kind == "even")``);
``sequence(...)`` is Argo's ``withSequence`` with bounds from parameters, counting down or
formatted; ``matches(value, pattern)`` is a regular-expression test for ``.when(...)``.
The compiler reads all three statically; at run time they only build plain objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ItemField:
    """One field of the current loop item (``{{item.name}}``)."""

    source: Each
    name: str


@dataclass(frozen=True)
class Each:
    """The items of a loop: ``row = each([...])``; ``row.field`` is a field of each item."""

    items: Any

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return ItemField(self, name)

    def __getitem__(self, name: str) -> Any:
        return ItemField(self, name)


def each(items: Any) -> Any:
    """The items of a loop, for ``task.map(...)``: a literal list of dicts (all with the same
    keys), another loop's invocation (each item is the map of one run's named outputs), a
    task's list output or a list workflow parameter.

    Typed ``Any`` so that ``each(...).field`` may be passed for an input of any type; the
    compiler checks the field names and their types.
    """
    return Each(items)


@dataclass(frozen=True)
class Sequence:
    """A counted loop (Argo ``withSequence``)."""

    start: Any = None
    end: Any = None
    count: Any = None
    format: str | None = None


def sequence(
    *,
    start: int | Any = None,
    end: int | Any = None,
    count: int | Any = None,
    format: str | None = None,
) -> Any:
    """The numbers a ``task.map(...)`` loops over: ``count`` numbers from ``start`` (default
    0), or ``start`` to ``end`` inclusive, counting down when ``end < start``. Each bound is an
    integer literal or a ``param(...)``; ``format`` is a printf format (``"user%02d"``), and
    then each item is a string."""
    return Sequence(start, end, count, format)


@dataclass(frozen=True)
class Matches:
    value: Any
    pattern: str


def matches(value: Any, pattern: str) -> bool:
    """True when the text of *value* (another task's output, a parameter, a loop item field)
    contains a match of the regular expression *pattern*: for ``.when(...)`` and hooks.
    Argo evaluates it with Go's RE2 syntax, so look-around and back-references are refused."""
    return Matches(value, pattern)  # type: ignore[return-value]


@dataclass(frozen=True)
class InputValue:
    name: str


def from_input(name: str) -> Any:
    """The value this task receives for its input *name*, for a template field that Argo
    substitutes per run: ``timeout=from_input("timeout")``, ``retries=from_input("tries")``
    (``{{inputs.parameters.NAME}}``). The compiler checks that the task has that input."""
    return InputValue(name)


__all__ = ["Each", "InputValue", "ItemField", "Matches", "Sequence", "each", "from_input", "matches", "sequence"]
