"""The run's record: a tree of nodes as Argo's ``status.nodes`` keeps it, and the options.

Phases are Argo's: Pending, Running, Succeeded, Failed, Error, Skipped, Omitted. A node's
outputs use the keys of the scope (``parameters.NAME``, ``result``, ``artifacts.NAME``,
``exitCode``); an artifact's value is the path of its file in the local repository.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FULFILLED = ("Succeeded", "Failed", "Error", "Skipped", "Omitted")
#: How the message of a node Skipped for lack of a cluster, a runtime or the network starts.
NOT_LOCAL = ("not run", "container not run", "resource templates", "data templates",
             "executor plugins", "containerSet", "http call not made")


@dataclass
class Node:
    id: str
    #: Argo's node name: ``wf.step``, ``wf.step(0:a)``, ``wf.step(1)`` for a retry.
    name: str
    #: The short name the tree shows.
    display: str
    #: Argo's node types: Steps, StepGroup, DAG, TaskGroup, Retry, Pod, Suspend, HTTP,
    #: Skipped, Container (a pod run with docker/podman).
    type: str
    template: str = ""
    phase: str = "Pending"
    message: str = ""
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    started: float | None = None
    finished: float | None = None
    inputs: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    #: Attempts so far (a Retry node).
    retries: int = 0
    log: Path | None = None
    stdout: str = ""

    @property
    def fulfilled(self) -> bool:
        return self.phase in FULFILLED

    @property
    def duration(self) -> float | None:
        if self.started is None:
            return None
        return (self.finished or time.monotonic()) - self.started

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "displayName": self.display, "type": self.type,
            "templateName": self.template, "phase": self.phase, "message": self.message,
            "children": list(self.children), "retries": self.retries,
            "duration": None if self.duration is None else round(self.duration, 3),
            "inputs": dict(self.inputs), "outputs": dict(self.outputs),
            "log": str(self.log) if self.log else None,
        }


@dataclass
class RunOptions:
    """How to run: work directory, interpreters, limits, and what to leave out."""

    workdir: Path
    parameters: dict[str, str] = field(default_factory=dict)
    #: Values for suspend templates' ``supplied`` output parameters, by parameter name.
    supplied: dict[str, str] = field(default_factory=dict)
    python: str | None = None
    #: Leaf nodes running at once (-j); None: the machine's CPU count.
    jobs: int | None = None
    no_containers: bool = False
    #: Skip http templates and do not download http artifacts (offline runs, tests).
    no_http: bool = False
    #: docker or podman; None: the first of them installed and reachable.
    container_runtime: str | None = None
    #: Multiplies retry backoff and suspend durations (tests use 0).
    time_scale: float = 1.0
    #: Extra environment for every script (tests point a sitecustomize here).
    env: dict[str, str] = field(default_factory=dict)
    #: How deep templates may call templates, the entrypoint being 1: Argo's controller
    #: stops a workflow at 150 ("Maximum recursion depth exceeded"), which ends a recursive
    #: template whose condition never turns false.
    max_depth: int = 150


Listener = Callable[["Node"], None]


@dataclass
class Run:
    """A workflow run: its nodes (in creation order), its phase and outputs."""

    workflow: str
    workdir: Path
    nodes: dict[str, Node] = field(default_factory=dict)
    root: str = ""
    phase: str = "Running"
    message: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    listeners: list[Listener] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def add(self, node: Node) -> Node:
        with self.lock:
            self.nodes[node.id] = node
            if node.parent is not None and node.parent in self.nodes:
                self.nodes[node.parent].children.append(node.id)
            if node.parent is None and node.name == self.workflow:
                self.root = node.id
        self.notify(node)
        return node

    def update(self, node: Node, phase: str, message: str | None = None) -> None:
        with self.lock:
            now = time.monotonic()
            if phase == "Running" and node.started is None:
                node.started = now
            if phase in FULFILLED:
                if node.started is None:
                    node.started = now
                node.finished = now
            node.phase = phase
            if message is not None:
                node.message = message
        self.notify(node)

    def notify(self, node: Node) -> None:
        for listener in list(self.listeners):
            listener(node)

    # -- views for callers and tests -----------------------------------------------------

    def leaves(self) -> list[Node]:
        """Nodes that ran a template body (pods, suspend, http...), in creation order."""
        return [n for n in self.nodes.values() if not n.children and n.type not in
                ("Skipped", "Retry", "Steps", "StepGroup", "DAG", "TaskGroup")]

    @property
    def calls(self) -> list[tuple[str, dict[str, str], dict[str, str]]]:
        """(template, inputs, outputs) of every pod that ran to Succeeded, in start order."""
        return [(n.template, n.inputs, n.outputs) for n in self._pods()]

    @property
    def stdout(self) -> list[str]:
        """The standard output of every pod that ran to Succeeded, in start order."""
        return [n.stdout for n in self._pods()]

    @property
    def skipped(self) -> list[str]:
        """Templates of the nodes not run because they need something local runs lack."""
        return [n.template for n in self.nodes.values() if n.phase == "Skipped" and n.template]

    def _pods(self) -> list[Node]:
        done = [n for n in self.nodes.values() if n.phase == "Succeeded"
                and n.type in ("Pod", "Container")]
        return sorted(done, key=lambda n: n.started or 0.0)

    def by_display(self, display: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.display == display]

    def to_json(self) -> dict[str, Any]:
        return {
            "workflow": self.workflow, "phase": self.phase, "message": self.message,
            "workdir": str(self.workdir), "outputs": dict(self.outputs),
            "duration": round((self.finished or time.monotonic()) - self.started, 3),
            "nodes": [n.to_json() for n in self.nodes.values()],
        }
