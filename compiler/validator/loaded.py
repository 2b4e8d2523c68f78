"""A loaded YAML document with the positions of its entries, and the look-up of a position by
JSON path (:mod:`loader` builds these; see it for how)."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler.validator.findings import PathT

#: Positions are stored as two entries, 0-based (line, column), as libyaml's marks give them
#: (no arithmetic per entry); a line of NO_POS means "no position known".
NO_POS = 0xFFFFFFFF


@dataclass(slots=True)
class LoadedDoc:
    """One YAML document: its value, where its entries are, and problems found loading it."""

    value: Any
    #: (line, col) where the document's root starts
    start: tuple[int, int] = (0, 0)
    #: id(container) -> where in :attr:`marks` the positions of its keys (or items) start.
    #: Every container of the value is registered when its end event is read, so an id
    #: reused after a container died (an inline '<<' source) is overwritten before any look-up.
    positions: dict[int, int] = field(default_factory=dict)
    #: 0-based line and column of each key / item, two entries each, a container's together:
    #: one array for the document (an array per container, and a tuple to hold it, took some
    #: 150 MB on a 50 MB file)
    marks: array[int] = field(default_factory=lambda: array("I"))
    #: (path, key, line, col) of each repeated key (the second occurrence)
    duplicates: list[tuple[PathT, str, int, int]] = field(default_factory=list)
    #: (message, line, col) of each value that cannot be represented (a huge integer)
    problems: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass(slots=True)
class LoadError:
    message: str
    line: int
    col: int


def _key_index(container: dict[str, Any], key: str) -> int | None:
    """Index of *key* in the mapping's order; failing that, of a key equal to it ignoring
    case (``--no-strict`` decodes such keys under their canonical spelling)."""
    folded = None
    low = key.lower()
    for i, k in enumerate(container):
        if k == key:
            return i
        if folded is None and k.lower() == low:
            folded = i
    return folded


def locate(doc: LoadedDoc, path: PathT) -> tuple[int, int]:
    """1-based (line, col) of the deepest element of *path* that exists: the key of a mapping
    entry, the item of a sequence. (0, 0) when the document is empty."""
    line, col = doc.start
    cur: Any = doc.value
    for part in path:
        at = doc.positions.get(id(cur))  # only read below once cur is known to be a container
        if at is None:
            break
        if isinstance(cur, dict) and isinstance(part, str):
            i = _key_index(cur, part)
            if i is None:
                break
            key = list(cur)[i]
            cur = cur[key]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            i = part
            cur = cur[part]
        else:
            break
        at += 2 * i
        if doc.marks[at] != NO_POS:
            line, col = doc.marks[at] + 1, doc.marks[at + 1] + 1
    return line, col
