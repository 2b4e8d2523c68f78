"""IR for the task-level options beyond the core ones: run control, secrets and config,
pod settings. Part of :class:`tiphys.compiler.ir.TaskOptions` (its ``extra`` field)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TaskExtras:
    """Empty for now; filled in as the task-level features land."""
