"""The task's main container: probes and lifecycle handlers, for ``readiness_probe=``,
``liveness_probe=``, ``startup_probe=`` and ``lifecycle=`` (with ``working_dir=`` and
``ports=``, options of every task)::

    @task(daemon=True, ports={"http": 8086},
          readiness_probe=http_probe("/ping", 8086, initial_delay=5, timeout=1))

Each helper returns the Kubernetes dict it stands for; a Kubernetes dict is accepted too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: A Kubernetes ``Probe`` or ``Lifecycle``, as a dict.
ContainerHandler = Mapping[str, Any]


def _timing(initial_delay: int | None, period: int | None, timeout: int | None,
            failure_threshold: int | None, success_threshold: int | None) -> dict[str, int]:
    keys = {"initialDelaySeconds": initial_delay, "periodSeconds": period,
            "timeoutSeconds": timeout, "failureThreshold": failure_threshold,
            "successThreshold": success_threshold}
    return {k: v for k, v in keys.items() if v is not None}


def http_probe(
    path: str, port: int | str, *, scheme: str | None = None, host: str | None = None,
    initial_delay: int | None = None, period: int | None = None, timeout: int | None = None,
    failure_threshold: int | None = None, success_threshold: int | None = None,
) -> ContainerHandler:
    """Probe with an HTTP GET of *path* on *port* (a number, or a named port of ``ports=``);
    2xx and 3xx answers pass. Times are in seconds."""
    action: dict[str, Any] = {"path": path, "port": port}
    if host is not None:
        action["host"] = host
    if scheme is not None:
        action["scheme"] = scheme.upper()
    return {"httpGet": action, **_timing(initial_delay, period, timeout, failure_threshold,
                                          success_threshold)}


def tcp_probe(
    port: int | str, *, initial_delay: int | None = None, period: int | None = None,
    timeout: int | None = None, failure_threshold: int | None = None,
    success_threshold: int | None = None,
) -> ContainerHandler:
    """Probe by opening a TCP connection to *port*."""
    return {"tcpSocket": {"port": port}, **_timing(initial_delay, period, timeout,
                                                    failure_threshold, success_threshold)}


def exec_probe(
    command: Sequence[str], *, initial_delay: int | None = None, period: int | None = None,
    timeout: int | None = None, failure_threshold: int | None = None,
    success_threshold: int | None = None,
) -> ContainerHandler:
    """Probe by running *command* in the container; exit status 0 passes."""
    return {"exec": {"command": list(command)}, **_timing(
        initial_delay, period, timeout, failure_threshold, success_threshold)}


def lifecycle(*, post_start: Sequence[str] | None = None,
              pre_stop: Sequence[str] | None = None) -> ContainerHandler:
    """Commands run in the container right after it starts (*post_start*) and before it is
    stopped (*pre_stop*)."""
    out: dict[str, Any] = {}
    if post_start is not None:
        out["postStart"] = {"exec": {"command": list(post_start)}}
    if pre_stop is not None:
        out["preStop"] = {"exec": {"command": list(pre_stop)}}
    return out
