"""The task's pod: sidecars, init containers and affinity helpers.

    @task(sidecars=[sidecar("proxy", "nginx:1.27", mirror_volume_mounts=True)],
          init_containers=[init_container("fetch", "alpine:3.20", command=["sh", "-c", "..."])],
          affinity=[node_affinity(required={"kubernetes.io/arch": ["amd64"]}),
                    pod_anti_affinity({"app": "trainer"})])

The compiler reads these calls statically; at run time they are plain records (affinity
helpers also build the Kubernetes dict, for tests).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tiphys.env import EnvValue

if TYPE_CHECKING:
    from tiphys.tasks import Mount  # tiphys.tasks imports this module


@dataclass(frozen=True)
class UserContainer:
    name: str
    image: str
    command: Sequence[str] | None = None
    args: Sequence[str] | None = None
    env: Mapping[str, EnvValue] = field(default_factory=dict)
    cpu: str | int | float | None = None
    memory: str | None = None
    mirror_volume_mounts: bool = False
    #: Its own mounts: mount path -> volume name or ``mount(...)``.
    volumes: Mapping[str, str | Mount] = field(default_factory=dict)


@dataclass(frozen=True)
class Sidecar(UserContainer):
    """A container that runs next to the task's own for as long as it runs."""


@dataclass(frozen=True)
class InitContainer(UserContainer):
    """A container that runs to completion before the task's own starts."""


def sidecar(
    name: str,
    image: str,
    *,
    command: Sequence[str] | None = None,
    args: Sequence[str] | None = None,
    env: Mapping[str, EnvValue] | None = None,
    cpu: str | int | float | None = None,
    memory: str | None = None,
    mirror_volume_mounts: bool = False,
    volumes: Mapping[str, str | Mount] | None = None,
) -> Sidecar:
    """A sidecar container. ``mirror_volume_mounts=True`` mounts the task's volumes in it at the
    same paths; ``volumes`` gives it mounts of its own (``{"/cache": "cache"}``, as a task's).
    Its name must not be ``main``, ``init``, ``wait`` or ``supervisor``."""
    return Sidecar(name, image, command, args, dict(env or {}), cpu, memory,
                   mirror_volume_mounts, dict(volumes or {}))


def init_container(
    name: str,
    image: str,
    *,
    command: Sequence[str] | None = None,
    args: Sequence[str] | None = None,
    env: Mapping[str, EnvValue] | None = None,
    cpu: str | int | float | None = None,
    memory: str | None = None,
    mirror_volume_mounts: bool = False,
    volumes: Mapping[str, str | Mount] | None = None,
) -> InitContainer:
    """A container that runs before the task's own, e.g. to fetch or prepare files in a
    volume it shares with it (``mirror_volume_mounts=True``, or its own ``volumes``)."""
    return InitContainer(name, image, command, args, dict(env or {}), cpu, memory,
                         mirror_volume_mounts, dict(volumes or {}))


@dataclass(frozen=True)
class Affinity:
    """A part of a Kubernetes ``Affinity``: what the helpers below return."""

    value: Mapping[str, Any]


#: Node label → the value, or one of the values, it must have.
NodeLabels = Mapping[str, Sequence[str] | str]


def _terms(labels: NodeLabels) -> list[dict[str, Any]]:
    return [{"key": k, "operator": "In", "values": [v] if isinstance(v, str) else list(v)}
            for k, v in labels.items()]


def node_affinity(
    *,
    required: NodeLabels | None = None,
    preferred: NodeLabels | None = None,
    weight: int = 100,
) -> Affinity:
    """Run on nodes whose labels have one of the given values: *required* must all hold;
    *preferred* are preferred with *weight* (1 to 100)."""
    node: dict[str, Any] = {}
    if required:
        node["requiredDuringSchedulingIgnoredDuringExecution"] = {
            "nodeSelectorTerms": [{"matchExpressions": _terms(required)}]}
    if preferred:
        node["preferredDuringSchedulingIgnoredDuringExecution"] = [
            {"weight": weight, "preference": {"matchExpressions": _terms(preferred)}}]
    return Affinity({"nodeAffinity": node})


def _pod_term(key: str, labels: Mapping[str, str], topology_key: str, required: bool,
              weight: int) -> Affinity:
    term = {"labelSelector": {"matchLabels": dict(labels)}, "topologyKey": topology_key}
    if required:
        return Affinity({key: {"requiredDuringSchedulingIgnoredDuringExecution": [term]}})
    return Affinity({key: {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": weight, "podAffinityTerm": term}]}})


def pod_affinity(
    labels: Mapping[str, str],
    *,
    topology_key: str = "kubernetes.io/hostname",
    required: bool = False,
    weight: int = 100,
) -> Affinity:
    """Run in the same *topology_key* domain (by default, on the same node) as pods with
    *labels*: required, or preferred with *weight*."""
    return _pod_term("podAffinity", labels, topology_key, required, weight)


def pod_anti_affinity(
    labels: Mapping[str, str],
    *,
    topology_key: str = "kubernetes.io/hostname",
    required: bool = False,
    weight: int = 100,
) -> Affinity:
    """Stay out of the *topology_key* domain (by default, the node) of pods with *labels*."""
    return _pod_term("podAntiAffinity", labels, topology_key, required, weight)
