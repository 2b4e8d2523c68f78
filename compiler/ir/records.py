"""IR for a Python task that returns a record (a NamedTuple, dataclass or TypedDict): each
field is an output of its own, a parameter or an artifact."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OutputField:
    #: The Python field name (``result.mean``).
    attr: str
    #: The Argo output name: the field name, or the one given with ``named_output("...")``.
    name: str
    #: The field's type as written, without ``Annotated[...]`` (read by :mod:`ir.types`).
    annotation: str | None
    #: Written to an output artifact instead of an output parameter.
    artifact: bool = False
