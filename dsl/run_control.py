"""Run control for a task: ``retries=retry(...)``, ``memoize=memoize(...)`` and
``synchronization=mutex(...)`` / ``semaphore(...)``.

    @task(retries=retry(3, policy="OnError", backoff=backoff("10s", factor=2, cap="5m")),
          memoize=memoize("{{inputs.parameters.url}}", max_age="1h", cache="fetch-cache"),
          synchronization=mutex("warehouse"))

The compiler reads these calls statically; at run time they are plain records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, overload

#: Which failures Argo retries: ``OnFailure`` (the main container failed), ``OnError``
#: (Argo or pod errors), ``OnTransientError`` (errors Argo deems transient) or ``Always``.
RetryPolicy = Literal["Always", "OnFailure", "OnError", "OnTransientError"]


@dataclass(frozen=True)
class Backoff:
    duration: str | int
    factor: int | None = None
    max_duration: str | int | None = None
    cap: str | int | None = None


def backoff(
    duration: str | int,
    *,
    factor: int | None = None,
    max_duration: str | int | None = None,
    cap: str | int | None = None,
) -> Backoff:
    """Wait *duration* (seconds or ``"10s"``, ``"2m"``) before a retry, multiplied by the
    integer *factor* after each one, at most *cap* per wait; stop retrying once
    *max_duration* has passed."""
    return Backoff(duration, factor, max_duration, cap)


@dataclass(frozen=True)
class Retry:
    limit: int
    policy: RetryPolicy | None = None
    backoff: Backoff | str | int | None = None
    expression: str | None = None


def retry(
    limit: int,
    *,
    policy: RetryPolicy | None = None,
    backoff: Backoff | str | int | None = None,
    expression: str | None = None,
) -> Retry:
    """Retry a failed task up to *limit* more times. *backoff* is ``backoff(...)`` or just a
    duration; *expression* is an Argo expression over ``lastRetry.exitCode``,
    ``lastRetry.status``, ``lastRetry.duration`` and ``lastRetry.message``."""
    return Retry(limit, policy, backoff, expression)


@dataclass(frozen=True)
class Memoize:
    key: str
    max_age: str | int
    cache: str


def memoize(key: str, *, max_age: str | int, cache: str) -> Memoize:
    """Reuse the outputs of an earlier run with the same *key* (usually built from the inputs,
    ``"{{inputs.parameters.url}}"``) if it is younger than *max_age*; the cache lives in the
    ConfigMap *cache*."""
    return Memoize(key, max_age, cache)


@dataclass(frozen=True)
class Mutex:
    name: str
    namespace: str | None = None
    database: bool = False


def mutex(name: str, *, namespace: str | None = None, database: bool = False) -> Mutex:
    """Run at most one task holding the mutex *name* at a time (across workflows).
    ``database=True`` keeps it in Argo's synchronization database (multi-controller)."""
    return Mutex(name, namespace, database)


@dataclass(frozen=True)
class Semaphore:
    config_map: str | None
    key: str
    namespace: str | None = None
    database: bool = False


@overload
def semaphore(config_map: str, key: str, *, namespace: str | None = None) -> Semaphore: ...


@overload
def semaphore(*, key: str, database: Literal[True], namespace: str | None = None) -> Semaphore: ...


def semaphore(
    config_map: str | None = None,
    key: str | None = None,
    *,
    namespace: str | None = None,
    database: bool = False,
) -> Semaphore:
    """Run at most N tasks holding the semaphore at a time, N being the value of *key* in the
    ConfigMap *config_map* (or in Argo's synchronization database with ``database=True``)."""
    if key is None:
        raise TypeError("semaphore() needs key=")
    return Semaphore(config_map, key, namespace, database)
