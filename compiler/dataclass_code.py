"""A bytecode cache for the methods that ``@dataclass`` generates.

The compiler defines some 120 frozen dataclasses. For each one, the standard library writes
the source text of ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__`` and
``__delattr__`` and compiles it with ``exec``: about 70 ms of every ``tiphys`` process, a third of
a small compile (Python 3.11; the ``.pyc`` files do not cover code made at run time).

:func:`install` makes the ``dataclasses`` module's ``exec`` look each source text up in a table
of code objects, read at start-up from one marshal file beside the package's ``.pyc`` files and
written back at exit when a text was new. A text always compiles to the same code object
(same file name ``<string>``, no inherited ``__future__`` flags, as ``exec`` of a string
does), so the classes are exactly those ``dataclasses`` makes on its own; only the
``compile`` step is skipped. The file is trusted as the ``.pyc`` files beside it are, is keyed
by the interpreter's bytecode magic number, is ignored when unreadable or damaged, and is not
written when bytecode writing is off (``PYTHONDONTWRITEBYTECODE``, ``-B``).
"""

from __future__ import annotations

import atexit
import builtins
import dataclasses
import importlib.util
import marshal
import os
import sys
from types import CodeType
from typing import Any

#: Texts kept in the file at most; beyond that only the texts one process used are written.
MAX_ENTRIES = 4000

_MAGIC = importlib.util.MAGIC_NUMBER


class CodeTable:
    """Source text → compiled code, loaded from and saved to one marshal file."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.codes: dict[str, CodeType] = {}
        self.used: set[str] = set()
        self.new = 0
        if path is not None:
            self.codes = _read(path)

    def code(self, text: str) -> CodeType:
        found = self.codes.get(text)
        if found is None:
            # exec(text) compiles as "<string>" with the caller's __future__ flags; the caller,
            # dataclasses.py, has none, so none are inherited here either (dont_inherit).
            found = compile(text, "<string>", "exec", dont_inherit=True)
            self.codes[text] = found
            self.new += 1
        self.used.add(text)
        return found

    def save(self) -> None:
        """Write the table when it learned a text (atomically: readers see old or new)."""
        if self.path is None or self.new == 0 or sys.dont_write_bytecode:
            return
        keep = self.codes
        if len(keep) > MAX_ENTRIES:
            keep = {t: c for t, c in keep.items() if t in self.used}
        tmp = f"{self.path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(tmp, "wb") as out:
                out.write(_MAGIC + marshal.dumps(list(keep.items())))
            os.replace(tmp, self.path)
        except OSError:  # a read-only install: the next run compiles again, nothing more
            try:
                os.unlink(tmp)
            except OSError:
                pass
        self.new = 0


def _read(path: str) -> dict[str, CodeType]:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return {}
    if not data.startswith(_MAGIC):
        return {}
    try:
        items = marshal.loads(data[len(_MAGIC):])
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(items, list):
        return {}
    return {t: c for t, c in (i for i in items if _is_entry(i))}


def _is_entry(item: Any) -> bool:
    return (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)
            and isinstance(item[1], CodeType))


def cache_path() -> str | None:
    """Where the table lives: this package's ``__pycache__`` (or ``sys.pycache_prefix``)."""
    try:
        pyc = importlib.util.cache_from_source(__file__)
    except (NotImplementedError, ValueError):  # no bytecode cache in this interpreter
        return None
    tag = sys.implementation.cache_tag
    return os.path.join(os.path.dirname(pyc), f"dataclass-methods.{tag}.marshal")


_table: CodeTable | None = None


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:  # noqa: A002
    assert _table is not None
    if isinstance(source, str):
        source = _table.code(source)
    builtins.exec(source, globals, locals)


def install(path: str | None = None) -> CodeTable:
    """Route ``dataclasses``' ``exec`` through the table (once per process)."""
    global _table
    if _table is None:
        _table = CodeTable(path if path is not None else cache_path())
        # dataclasses calls exec by its global name: a module global shadows the builtin for
        # that module only; nothing else in the process is affected.
        dataclasses.exec = _exec  # type: ignore[attr-defined]
        atexit.register(_table.save)
    return _table
