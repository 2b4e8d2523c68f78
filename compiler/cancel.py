"""Stopping an analysis nobody wants any more, at the next safe point.

The language server analyses a document on a worker thread; when a newer edit arrives, or
the analysis has run past its time budget, the result is not wanted. Python cannot interrupt a
thread, so the compiler checks at safe points (each top-level statement of the front end, each
workflow lowered) whether the thread's *probe* asks it to stop, and then raises
:class:`Stopped`. Without a probe (``tiphys compile``, ``tiphys lint``) a check costs one
attribute lookup.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Returns why the analysis should stop ("superseded", "timeout"), or None to go on.
Probe = Callable[[], str | None]

_local = threading.local()


class Stopped(Exception):
    """The analysis was stopped; *reason* is what the probe said."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check() -> None:
    """Raise :class:`Stopped` if this thread's probe says so."""
    probe: Probe | None = getattr(_local, "probe", None)
    if probe is not None:
        reason = probe()
        if reason:
            raise Stopped(reason)


@contextmanager
def stop_when(probe: Probe | None) -> Iterator[None]:
    """Run the body with *probe* consulted at each :func:`check` on this thread."""
    previous = getattr(_local, "probe", None)
    _local.probe = probe
    try:
        yield
    finally:
        _local.probe = previous
