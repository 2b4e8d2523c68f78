"""IR for the task-level options beyond the core ones: run control, secrets and config,
pod settings. Part of :class:`tiphys.compiler.ir.core.TaskOptions` (its ``extra`` field).

Everything here is already checked: the readers (:mod:`tiphys.compiler.frontend.options.extras`,
:mod:`tiphys.compiler.frontend.options.helpers`) report misuse and leave a field empty rather than store a
value Argo would reject. Kubernetes-shaped dicts (affinity, security contexts) are stored as
plain JSON values (lists, never tuples) that passed the strict schema's fragment for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tiphys.compiler.ir.core import Mount  # ir.core imports this module

#: JSON-compatible value (same meaning as ``ir.Json``; ``ir`` imports this module).
Json = Any


# -- run control ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Backoff:
    """``retryStrategy.backoff``: wait ``duration``, times ``factor`` after each retry."""

    #: A Go duration ("10s", "2m"); Argo's default unit, seconds, is written out.
    duration: str
    #: Integer multiplier (Argo parses the factor as an integer), >= 1.
    factor: int | None = None
    #: Give up retrying once this much time has passed since the first attempt.
    max_duration: str | None = None
    #: Upper bound of one wait.
    cap: str | None = None


@dataclass(frozen=True, slots=True)
class Retry:
    """``retryStrategy`` beyond its limit (the limit is ``TaskOptions.retries``)."""

    #: One of Always, OnFailure, OnError, OnTransientError; None means Argo's default.
    policy: str | None = None
    backoff: Backoff | None = None
    #: An expr-lang condition over ``lastRetry.*``; retry only while it is true.
    expression: str | None = None


@dataclass(frozen=True, slots=True)
class Memoize:
    """``memoize``: reuse the outputs of an earlier run with the same key."""

    key: str
    #: Go duration; entries older than this are ignored.
    max_age: str
    #: Name of the ConfigMap that holds the cache.
    cache: str


@dataclass(frozen=True, slots=True)
class Lock:
    """One entry of ``synchronization.mutexes`` or ``synchronization.semaphores``."""

    #: "mutex" or "semaphore".
    kind: str
    #: The mutex name, or the semaphore's ConfigMap (None for a database semaphore).
    name: str | None
    #: The semaphore's key (in the ConfigMap, or in the database); None for a mutex.
    key: str | None = None
    #: Held in Argo's synchronization database instead of the controller's memory/ConfigMap.
    database: bool = False
    namespace: str | None = None


# -- secrets and config ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EnvRef:
    """An environment variable read from a Secret or ConfigMap key (``valueFrom``)."""

    #: The variable's name.
    name: str
    #: "secret" (``secretKeyRef``) or "config_map" (``configMapKeyRef``).
    kind: str
    #: The Secret's or ConfigMap's name.
    source: str
    key: str
    optional: bool = False


@dataclass(frozen=True, slots=True)
class EnvSource:
    """One ``envFrom`` entry: every key of a Secret or ConfigMap as a variable."""

    #: "secret" (``secretRef``) or "config_map" (``configMapRef``).
    kind: str
    source: str
    prefix: str | None = None
    optional: bool = False


# -- pods ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserContainer:
    """A sidecar or an init container of the task's pod."""

    #: "sidecar" or "init".
    role: str
    name: str
    image: str
    command: tuple[str, ...] | None = None
    args: tuple[str, ...] | None = None
    #: Literal variables, sorted by name.
    env: tuple[tuple[str, str], ...] = ()
    #: Variables from Secrets and ConfigMaps.
    env_refs: tuple[EnvRef, ...] = ()
    #: ``{"requests": {...}, "limits": {...}}`` as ``TaskOptions.resources``.
    resources: tuple[tuple[str, tuple[tuple[str, Json], ...]], ...] = ()
    #: Mount the main container's volumes at the same paths (``mirrorVolumeMounts``).
    mirror_volume_mounts: bool = False
    #: Its own volume mounts, sorted by path.
    mounts: tuple[Mount, ...] = ()


@dataclass(frozen=True, slots=True)
class TaskExtras:
    """Task options beyond image, resources, env, retries, timeout, volumes and placement."""

    #: Retry policy, backoff and expression; the limit is ``TaskOptions.retries``.
    retry: Retry | None = None
    #: ``activeDeadlineSeconds`` of the pod, in seconds.
    active_deadline: int | None = None
    memoize: Memoize | None = None
    #: Mutexes and semaphores, in the order written.
    locks: tuple[Lock, ...] = ()
    #: Environment variables from Secrets and ConfigMaps (literal ones are ``TaskOptions.env``).
    env_refs: tuple[EnvRef, ...] = ()
    env_from: tuple[EnvSource, ...] = ()
    #: A Kubernetes ``Affinity`` (JSON), already checked against the strict schema.
    affinity: Json = None
    #: ``podSpecPatch`` text (YAML or JSON).
    pod_spec_patch: str | None = None
    #: Pod-level ``securityContext`` (``PodSecurityContext``, JSON).
    security_context: Json = None
    #: The main container's ``securityContext`` (``SecurityContext``, JSON).
    container_security_context: Json = None
    #: ``serviceAccountName`` of the task's pod.
    service_account: str | None = None
    #: Pod labels and annotations (the template's ``metadata``), sorted by key.
    labels: tuple[tuple[str, str], ...] = ()
    annotations: tuple[tuple[str, str], ...] = ()
    sidecars: tuple[UserContainer, ...] = ()
    init_containers: tuple[UserContainer, ...] = ()
    #: A daemon keeps running in the background for the rest of its scope.
    daemon: bool = False
    #: More fields of the main container, (Kubernetes key, JSON) in the order written:
    #: workingDir, ports, readinessProbe, livenessProbe, startupProbe, lifecycle.
    container_fields: tuple[tuple[str, Json], ...] = ()
