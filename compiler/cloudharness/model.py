"""CloudHarness operations and tasks, as data: what one operation means, before Argo.

Two producers build these values: the static recognizer (:mod:`.recognize`, from the user's
source, with positions) and the run-time classes of ``tiphys.cloudharness`` (from live
objects, without positions). One lowering (:mod:`.lower`) turns them into Argo documents, so
both sides emit the same YAML for the same operation.

Fields that hold JSON-like data (``resources``, ``overrides``, ``pod_gc``) are plain dicts that
nothing mutates after construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler.diagnostics import Severity
from tiphys.compiler.ir.loc import Loc

#: JSON-compatible Python value.
Json = Any

#: Task kinds, by the CloudHarness class that makes them.
PYTHON, BASH, CUSTOM, COMMAND, SEND_RESULT = "python", "bash", "custom", "command", "send-result"
#: Operation shapes: the entry template CloudHarness generates for each.
SINGLE, PIPELINE, PARALLEL, SIMPLEDAG = "single", "pipeline", "parallel", "simpledag"

#: Image of ``SendResultTask`` and of the default exit handler (CloudHarness' own task images).
SEND_RESULT_IMAGE = "workflows-send-result-event"
NOTIFY_QUEUE_IMAGE = "workflows-notify-queue"
#: The path ``shared_directory=True`` stands for.
DEFAULT_SHARED_PATH = "/mnt/shared"


@dataclass(frozen=True, slots=True)
class Problem:
    """A diagnostic not yet placed: static code gives it a position, run-time code raises it."""

    code: str
    severity: Severity
    message: str
    #: Where in the user's file; None at run time.
    loc: Loc | None = field(default=None, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(code: str, message: str, loc: Loc | None) -> Problem:
    return Problem(code, Severity.ERROR, message, loc)


def warning(code: str, message: str, loc: Loc | None) -> Problem:
    return Problem(code, Severity.WARNING, message, loc)


def info(code: str, message: str, loc: Loc | None) -> Problem:
    return Problem(code, Severity.INFO, message, loc)


@dataclass(frozen=True, slots=True)
class EnvVar:
    """One extra keyword argument of a task, which CloudHarness turns into an env variable."""

    name: str
    #: The value as CloudHarness passes it (``str(value)``); None when it comes from a
    #: workflow parameter.
    value: str | None
    #: The workflow parameter that supplies the value when it is not known at compile time.
    param: str | None = None
    #: The parameter's default, when the run-time value has one (a function parameter default).
    param_default: str | None = None
    #: Source text of the run-time expression: two tasks may share a parameter only when
    #: they pass the same expression.
    expression: str | None = None
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class VolumeSpec:
    """``[claim:]/path[:ro|rwx]``, CloudHarness' volume shorthand."""

    text: str
    claim: str | None
    path: str
    #: "ro", "rwx" or None.
    mode: str | None
    loc: Loc | None = field(default=None, compare=False)

    @property
    def read_only(self) -> bool:
        return self.mode == "ro"

    @property
    def needs_affinity(self) -> bool:
        """A claim not mounted ReadWriteMany ties every pod using it to the claim's node."""
        return self.claim is not None and self.mode != "rwx"


@dataclass(frozen=True, slots=True)
class PodContext:
    """``PodExecutionContext(key, value, required)``: a label plus a pod-affinity term."""

    key: str
    value: str
    required: bool = False
    loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Task:
    #: One of PYTHON, BASH, CUSTOM, COMMAND, SEND_RESULT.
    kind: str
    #: The template name, sanitised as CloudHarness does (spaces → '-', lower case).
    name: str
    #: The image name as written (CUSTOM) or None for the kinds that run the base image.
    image: str | None = None
    #: The script (PYTHON: the built script; BASH: the source as written).
    script: str | None = None
    command: tuple[str, ...] | None = None
    env: tuple[EnvVar, ...] = ()
    #: ``{"requests": {...}, "limits": {...}}`` with quantities as strings.
    resources: Json = None
    volume_mounts: tuple[VolumeSpec, ...] = ()
    #: None means the configured default.
    retry_limit: int | None = None
    image_pull_policy: str | None = None
    #: ``template_overrides``: Argo template fields in camelCase, deep-merged last.
    overrides: Json = None
    loc: Loc | None = field(default=None, compare=False)
    name_loc: Loc | None = field(default=None, compare=False)
    image_loc: Loc | None = field(default=None, compare=False)
    resources_loc: Loc | None = field(default=None, compare=False)
    overrides_loc: Loc | None = field(default=None, compare=False)
    #: Where each override field (camelCase) is written, for diagnostics inside it.
    override_locs: tuple[tuple[str, Loc], ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class ExitNotify:
    """``on_exit_notify={'image', 'queue', 'payload'}``."""

    #: None means the default notify-queue image.
    image: str | None
    #: ``queue_name`` and ``payload``, when given.
    env: tuple[EnvVar, ...]
    loc: Loc | None = field(default=None, compare=False)
    image_loc: Loc | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Operation:
    #: The CloudHarness class, e.g. "PipelineOperation".
    cls: str
    #: SINGLE, PIPELINE, PARALLEL or SIMPLEDAG.
    shape: str
    #: The operation name as written (CloudHarness' ``generateName``).
    name: str
    #: Step groups: SINGLE has one group of one task; PIPELINE one task per group.
    groups: tuple[tuple[Task, ...], ...]
    #: ``((key, seconds), ...)``; None for ``ttl_strategy=None``.
    ttl: tuple[tuple[str, int], ...] | None = None
    #: False when the operation does not set ``ttl_strategy`` (the configured default applies).
    ttl_given: bool = False
    pod_gc: Json = None
    pod_contexts: tuple[PodContext, ...] = ()
    shared: tuple[VolumeSpec, ...] = ()
    #: The value of every task's ``shared_directory`` env variable (a path), if any.
    shared_env: str | None = None
    #: Size in Mi of volumes created for claim-less paths; None means the configured default.
    shared_volume_size: int | None = None
    on_exit: ExitNotify | None = None
    loc: Loc | None = field(default=None, compare=False)
    name_loc: Loc | None = field(default=None, compare=False)
    pod_gc_loc: Loc | None = field(default=None, compare=False)
    ttl_loc: Loc | None = field(default=None, compare=False)

    @property
    def tasks(self) -> tuple[Task, ...]:
        return tuple(t for group in self.groups for t in group)
