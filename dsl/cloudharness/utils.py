"""``cloudharness.workflows.utils`` names that user code imports."""

from __future__ import annotations

from tiphys.cloudharness.operations import PodExecutionContext
from tiphys.compiler.cloudharness.volumes import name_from_path, parse_volume

__all__ = ["PodExecutionContext", "name_from_path", "volume_requires_affinity"]


def volume_requires_affinity(volume: str) -> bool:
    """True when pods using *volume* must run on its node: a claim not mounted ``rwx``."""
    return parse_volume(volume, None)[0].needs_affinity
