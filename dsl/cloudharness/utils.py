"""``cloudharness.workflows.utils``: what user code and task images import.

In a task's pod: :func:`get_shared_directory` (the operation's shared directory),
:func:`get_workflow_name` (from ``CH_WORKFLOW_NAME``) and :func:`notify_queue` (a message to a
queue, through :mod:`.events`).
"""

from __future__ import annotations

import os
from typing import Any

from tiphys.cloudharness.operations import PodExecutionContext
from tiphys.compiler.cloudharness.volumes import name_from_path, parse_volume

__all__ = [
    "PodExecutionContext", "get_shared_directory", "get_workflow_name", "is_accounts_present",
    "name_from_path", "notify_queue", "volume_requires_affinity",
]

WORKFLOW_NAME_VARIABLE_NAME = "CH_WORKFLOW_NAME"
SHARED_DIRECTORY_VARIABLE_NAME = "shared_directory"


def volume_requires_affinity(volume: str) -> bool:
    """True when pods using *volume* must run on its node: a claim not mounted ``rwx``."""
    return parse_volume(volume, None)[0].needs_affinity


def get_shared_directory() -> str | None:
    """The shared directory's path in a task of an operation with one (the
    ``shared_directory`` environment variable; tiphys sets the path, CloudHarness set
    ``claim:/path``)."""
    return os.environ.get(SHARED_DIRECTORY_VARIABLE_NAME)


def get_workflow_name() -> str:
    """The workflow's name, inside one of its pods: ``CH_WORKFLOW_NAME`` (the pod's name)
    without its last ``-`` segment, as CloudHarness computes it. That is the workflow's name
    under Argo's v1 pod naming (``<workflow>-<id>``); under v2 naming (``POD_NAMES=v2``,
    the default since Argo 3.2) it is ``<workflow>-<template>``."""
    name = os.environ.get(WORKFLOW_NAME_VARIABLE_NAME)
    if not name:
        raise KeyError(f"{WORKFLOW_NAME_VARIABLE_NAME} is not set: get_workflow_name() works "
                       "inside a workflow's pod")
    head, sep, _ = name.rpartition("-")
    return head if sep else name


def notify_queue(queue: str, message: Any) -> None:
    """Send *message* (JSON-serialisable) to the Kafka topic *queue*."""
    from tiphys.cloudharness.events import EventClient

    EventClient(queue).produce(message)


def is_accounts_present() -> bool:
    """Whether the configuration mounts the ``accounts`` secret (an accounts app)."""
    from tiphys.cloudharness.operations import configured
    from tiphys.compiler.cloudharness.config import resolve_config
    from tiphys.compiler.lower.workflow import Settings

    cfg, _ = resolve_config(Settings(cloudharness=configured()), None)
    return cfg.accounts
