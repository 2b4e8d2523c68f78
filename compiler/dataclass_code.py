"""A bytecode cache for the methods that ``@dataclass`` generates in tiphys' modules.

The compiler defines some 120 frozen dataclasses. For each one, the standard library writes
the source text of ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__`` and
``__delattr__`` and compiles it with ``exec``: about 70 ms of every ``tiphys`` process, a third of
a small compile (Python 3.11; the ``.pyc`` files do not cover code made at run time).

:func:`install` makes the ``dataclasses`` module's ``exec`` look each text up in a table of
code objects kept beside the defining module's own bytecode (``__pycache__/core.cpython-311.pyc``
→ ``core.cpython-311.dataclasses``), read when that module defines its first dataclass and
written back at exit when one of its texts was new. A text always compiles to the same code
object (file name ``<string>``, no inherited ``__future__`` flags, as ``exec`` of a string
does), so the classes are exactly those ``dataclasses`` makes on its own: only the
``compile`` step is skipped. Only modules of the ``tiphys`` package take part. A table is
trusted as the ``.pyc`` beside it is, is keyed by the interpreter's bytecode magic number and a
digest of each text, is ignored when unreadable or damaged, and is not written when bytecode
writing is off (``PYTHONDONTWRITEBYTECODE``, ``-B``) or the folder is read-only.
"""

from __future__ import annotations

import atexit
import builtins
import contextlib
import dataclasses
import hashlib
import importlib.util
import marshal
import os
import sys
from types import CodeType
from typing import Any

_MAGIC = importlib.util.MAGIC_NUMBER
_SUFFIX = ".dataclasses"


class ModuleTable:
    """The generated code of one module's dataclasses: text digest → code object."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.codes: dict[bytes, CodeType] = _read(path) if path is not None else {}
        self.used: dict[bytes, CodeType] = {}
        self.new = 0

    def code(self, text: str) -> CodeType:
        key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        found = self.codes.get(key)
        if found is None:
            # exec(text) compiles as "<string>" with the caller's __future__ flags; the caller,
            # dataclasses.py, has none, so none are inherited here either (dont_inherit).
            found = self.codes[key] = compile(text, "<string>", "exec", dont_inherit=True)
            self.new += 1
        self.used[key] = found
        return found

    def save(self) -> None:
        """Write the texts this process used, when one was new (atomically)."""
        if self.path is None or self.new == 0 or sys.dont_write_bytecode:
            return
        tmp = f"{self.path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(tmp, "wb") as out:
                out.write(_MAGIC + marshal.dumps(self.used))
            os.replace(tmp, self.path)
        except OSError:  # a read-only install: the next run compiles again, nothing more
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self.new = 0


def _read(path: str) -> dict[bytes, CodeType]:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return {}
    if not data.startswith(_MAGIC):
        return {}
    try:
        table = marshal.loads(data[len(_MAGIC):])
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(table, dict):
        return {}
    return {k: v for k, v in table.items() if type(k) is bytes and type(v) is CodeType}


def table_path(module_file: str | None) -> str | None:
    """Where a module's table lives: beside its ``.pyc`` (honours ``sys.pycache_prefix``)."""
    if not module_file or not module_file.endswith(".py"):
        return None
    try:
        pyc = importlib.util.cache_from_source(module_file)
    except (NotImplementedError, ValueError):  # no bytecode cache in this interpreter
        return None
    return pyc[: -len(".pyc")] + _SUFFIX


_tables: dict[str, ModuleTable] = {}


def table_for(module: str, module_file: str | None) -> ModuleTable:
    table = _tables.get(module)
    if table is None:
        table = _tables[module] = ModuleTable(table_path(module_file))
    return table


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:
    # dataclasses passes the defining module's namespace as globals.
    if isinstance(source, str):
        name = globals.get("__name__") if isinstance(globals, dict) else None
        if isinstance(name, str) and name.startswith("tiphys."):
            source = table_for(name, globals.get("__file__")).code(source)
        else:
            # Compiled here, exec would inherit this module's __future__ flags (annotations
            # as strings); dataclasses.py has none.
            source = compile(source, "<string>", "exec", dont_inherit=True)
    builtins.exec(source, globals, locals)


def _save_all() -> None:
    for table in _tables.values():
        table.save()


_installed = False


def install() -> None:
    """Route ``dataclasses``' ``exec`` through the tables (once per process)."""
    global _installed
    if not _installed:
        _installed = True
        # dataclasses calls exec by its global name: a module global shadows the builtin for
        # that module only; nothing else in the process is affected.
        dataclasses.exec = _exec  # type: ignore[attr-defined]
        atexit.register(_save_all)
