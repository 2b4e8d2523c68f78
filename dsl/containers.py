"""The task's main container: probes and lifecycle handlers, for ``readiness_probe=``,
``liveness_probe=``, ``startup_probe=`` and ``lifecycle=`` (with ``working_dir=`` and
``ports=``, options of every task)::

    @task(daemon=True, ports={"http": 8086},
          readiness_probe=http_probe("/ping", 8086, initial_delay=5, timeout=1))

Each helper returns the Kubernetes dict it stands for; a Kubernetes dict is accepted too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tiphys.env import EnvFrom, EnvValue

if TYPE_CHECKING:
    from tiphys.run_control import Retry
    from tiphys.tasks import Mount, Task

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


@dataclass(frozen=True)
class ContainerNode:
    """One container of a :func:`container_set`."""

    name: str
    image: str
    command: Sequence[str] | None = None
    args: Sequence[str] | None = None
    env: Mapping[str, EnvValue] = field(default_factory=dict)
    env_from: EnvFrom | Sequence[EnvFrom] | None = None
    cpu: str | int | float | None = None
    memory: str | None = None
    working_dir: str | None = None
    after: Sequence[ContainerNode | str] = ()


def container_node(
    name: str, image: str, *, command: Sequence[str] | None = None,
    args: Sequence[str] | None = None, env: Mapping[str, EnvValue] | None = None,
    env_from: EnvFrom | Sequence[EnvFrom] | None = None, cpu: str | int | float | None = None, memory: str | None = None,
    working_dir: str | None = None, after: Sequence[ContainerNode | str] = (),
) -> ContainerNode:
    """A container of a container set; it starts once the containers *after* names have
    finished. Name one ``main`` to get its standard output as the set's result."""
    return ContainerNode(name, image, command, args, dict(env or {}), env_from, cpu, memory,
                         working_dir, tuple(after))


def container_set(
    name: str, containers: Sequence[ContainerNode], *, inputs: Sequence[str] = (),
    outputs: Mapping[str, str] | None = None, output_artifacts: Mapping[str, str] | None = None,
    volumes: Mapping[str, str | Mount] | None = None, retries: int | Retry | None = None,
    timeout: str | int | None = None, active_deadline: str | int | None = None,
    node_selector: Mapping[str, str] | None = None, service_account: str | None = None,
    labels: Mapping[str, str] | None = None, annotations: Mapping[str, str] | None = None,
) -> Task[..., Any]:
    """Several containers in one pod (Argo's ``containerSet``), run in the order their
    ``after=`` says, sharing the pod's *volumes*. Inputs arrive in every container as
    variables of the same name; *outputs* (parameters) and *output_artifacts* map output names
    to files a container writes."""
    from tiphys.tasks import Task, TaskOptions

    return Task(name, "container_set", None, TaskOptions(), inputs=tuple(inputs),
                outputs=dict(outputs or {}))
