"""Keep ``python -m tiphys.compiler`` from importing modules out of the working directory.

``python -m X`` puts the working directory first on ``sys.path`` before it imports anything
of X, so a ``tiphys.py`` (or a ``click.py``, ``yaml.py``, even a ``runpy.py``) in the folder
where the command runs would be imported, and run, in place of the real one. Nothing inside
the package can prevent that: the package itself is the first import. What runs earlier is
a ``.pth`` file in site-packages, which the interpreter executes at start-up, before the
working directory is added; tiphys installs ``tiphys-safe-start.pth`` (see setup.py), which
calls :func:`install` when the command line asks for ``-m tiphys...``.

:func:`install` puts a finder first on ``sys.meta_path``. Finders are asked before any module
is loaded, so the first import after the working directory was added (``runpy``, which
``-m`` loads) reaches it first; it takes that entry off ``sys.path`` and steps aside. The
effect is Python 3.11's ``-P`` flag (``PYTHONSAFEPATH``), which is equally safe to pass by
hand. The ``tiphys`` console script never had the problem: its ``sys.path[0]`` is the folder
of the script, not the working directory.

Only the standard library is imported here: this runs in every ``python -m tiphys...`` start.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

#: Interpreter options that take a value (the next argument, or the rest of the word).
_WITH_VALUE = frozenset("cmWX")
_LONG_WITH_VALUE = frozenset({"--check-hash-based-pycs"})


def module_to_run(argv: Sequence[str]) -> str | None:
    """The module of ``python [options] -m MODULE ...`` in *argv* (``sys.orig_argv``), or
    None when the interpreter runs a script, ``-c`` code or stdin instead."""
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg == "--" or arg == "-" or not arg.startswith("-"):
            return None  # a script, or stdin
        if arg.startswith("--"):
            i += 2 if arg in _LONG_WITH_VALUE else 1
            continue
        for j in range(1, len(arg)):  # a group of one-letter options, e.g. -Im or -mfoo
            letter = arg[j]
            if letter not in _WITH_VALUE:
                continue
            value = arg[j + 1:] or (argv[i + 1] if i + 1 < len(argv) else "")
            if letter == "m":
                return value or None
            if letter == "c":
                return None
            if not arg[j + 1:]:
                i += 1  # -W or -X took the next argument
            break
        i += 1
    return None


def wanted(argv: Sequence[str]) -> bool:
    """True when *argv* runs a module of tiphys (``-m tiphys.compiler`` and the like)."""
    module = module_to_run(argv)
    return module is not None and (module == "tiphys" or module.startswith("tiphys."))


class _DropWorkingDirectory:
    """A meta-path finder that finds nothing: asked for the first module imported after the
    interpreter added the working directory to ``sys.path``, it removes that entry and
    uninstalls itself."""

    def __init__(self, before: list[str], cwd: str) -> None:
        self._before = before
        self._cwd = cwd

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        first = sys.path[0] if sys.path else None
        if first is not None and first not in self._before and (
                first in ("", ".") or os.path.abspath(first) == self._cwd):
            del sys.path[0]
            self._uninstall()
        elif fullname in ("runpy", "tiphys"):
            self._uninstall()  # -m is under way and added nothing (-P, -I): done
        return None

    def _uninstall(self) -> None:
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self)


def install(argv: Sequence[str] | None = None) -> bool:
    """Called at start-up by ``tiphys-safe-start.pth``; True when the guard was installed
    (the command line runs a tiphys module and the working directory is not on the path
    yet)."""
    argv = list(getattr(sys, "orig_argv", []) if argv is None else argv)
    if not wanted(argv) or sys.flags.safe_path:
        return False
    try:
        cwd = os.getcwd()
    except OSError:
        return False  # a deleted working directory cannot hold a module either
    sys.meta_path.insert(0, _DropWorkingDirectory(list(sys.path), cwd))
    return True
