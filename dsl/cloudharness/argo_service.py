"""Workflows on the cluster: CloudHarness' ``cloudharness.workflows.argo_service``.

The same functions and result classes (``submit_workflow``, ``get_workflow``,
``get_workflows``, ``delete_workflow``, ``get_workflow_logs[_list]``; ``Workflow``,
``SearchResult``, ``Phase``, ``WorkflowException``, ``WorkflowNotFound``), plus
:func:`wait_for_workflow`. CloudHarness goes through the Argo server's REST API with the
``argo-workflows`` client; these go straight to the Kubernetes API (the Workflow custom
resource, and pod logs) with the official ``kubernetes`` client (:mod:`.cluster`), so no
Argo server is needed, only the rights on ``workflows.argoproj.io`` CloudHarness' service
account already has. ``Workflow.raw`` is the resource as a plain dict.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from tiphys.cloudharness import cluster
from tiphys.cloudharness.cluster import GROUP, PLURAL, VERSION

__all__ = [
    "BadParam", "Phase", "SearchResult", "Workflow", "WorkflowException", "WorkflowNotFound",
    "delete_workflow", "get_workflow", "get_workflow_logs", "get_workflow_logs_list",
    "get_workflows", "submit_workflow", "wait_for_workflow",
]

log = logging.getLogger(__name__)
#: The label Argo puts on a workflow's pods, and on the workflow its phase.
WORKFLOW_LABEL = "workflows.argoproj.io/workflow"
PHASE_LABEL = "workflows.argoproj.io/phase"
#: Longest single watch request; the wait renews it until its own timeout.
WATCH_SECONDS = 60


class WorkflowException(Exception):
    def __init__(self, status: int | str | None, message: str = "") -> None:
        super().__init__(message or f"workflow error {status}")
        self.status = status


class WorkflowNotFound(WorkflowException):
    def __init__(self, name: str = "") -> None:
        super().__init__(404, f"workflow '{name}' not found" if name else "workflow not found")


class BadParam(WorkflowException):
    def __init__(self, param_name: str, message: str = "") -> None:
        super().__init__(400, message)
        self.param = param_name


class Phase:
    Pending = "Pending"
    Running = "Running"
    Succeeded = "Succeeded"
    Skipped = "Skipped"
    Failed = "Failed"
    Error = "Error"
    # CloudHarness' older names.
    NodePending = Pending
    NodeRunning = Running
    NodeSucceeded = Succeeded
    NodeSkipped = Skipped
    NodeFailed = Failed
    NodeError = Error

    @classmethod
    def phases(cls) -> tuple[str, ...]:
        return (cls.Pending, cls.Running, cls.Succeeded, cls.Skipped, cls.Failed, cls.Error)


FINISHED = (Phase.Error, Phase.Succeeded, Phase.Skipped, Phase.Failed)


class Workflow:
    """A workflow resource as read from the cluster; ``raw`` is the resource itself."""

    def __init__(self, raw: dict[str, Any]) -> None:
        metadata = raw.get("metadata") or {}
        status = raw.get("status") or {}
        self.name: str = metadata.get("name", "")
        self.status: str | None = status.get("phase")
        self.create_time: str | None = metadata.get("creationTimestamp")
        self.raw = raw

    def is_finished(self) -> bool:
        return self.status in FINISHED

    def succeeded(self) -> bool:
        return self.status == Phase.Succeeded

    def failed(self) -> bool:
        return self.status == Phase.Failed

    def get_status_message(self) -> str | None:
        message = (self.raw.get("status") or {}).get("message")
        return str(message) if message is not None else None

    @property
    def pod_names(self) -> list[str]:
        """The ids of the workflow's pod nodes, as CloudHarness returns them. They are the pod
        names under Argo's v1 pod naming only; :func:`get_workflow_logs_list` finds the pods
        by the workflow label instead."""
        nodes = (self.raw.get("status") or {}).get("nodes") or {}
        return [n["id"] for n in nodes.values() if n.get("type") == "Pod" and "id" in n]

    def __str__(self) -> str:
        import yaml

        return yaml.safe_dump(self.raw)


class SearchResult:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.items = tuple(Workflow(item) for item in raw.get("items") or ())
        self.continue_token: str | None = (raw.get("metadata") or {}).get("continue") or None
        self.raw = raw

    def __len__(self) -> int:
        """The number of workflows on this page (CloudHarness' test takes ``len()`` of a
        result, which its SearchResult does not support)."""
        return len(self.items)

    def __repr__(self) -> str:
        return json.dumps(self.raw)


def _error(exc: Any, name: str = "") -> WorkflowException:
    status = getattr(exc, "status", None)
    if status == 404:
        return WorkflowNotFound(name)
    body = getattr(exc, "body", None) or getattr(exc, "reason", None) or str(exc)
    try:
        message = json.loads(body).get("message", body)
    except (TypeError, ValueError, AttributeError):
        message = body
    return WorkflowException(status, f"Kubernetes API error {status}: {message}")


def _api_exception() -> type[BaseException]:
    exc: type[BaseException] = cluster.kubernetes_module().client.exceptions.ApiException
    return exc


def submit_workflow(spec: dict[str, Any]) -> Workflow:
    """Create the workflow (``POST .../namespaces/<ns>/workflows``)."""
    api = cluster.custom_objects()
    try:
        created = api.create_namespaced_custom_object(GROUP, VERSION, cluster.namespace(),
                                                      PLURAL, spec)
    except _api_exception() as exc:
        raise _error(exc) from exc
    return Workflow(created)


def _get_raw(name: str) -> dict[str, Any]:
    api = cluster.custom_objects()
    try:
        found: dict[str, Any] = api.get_namespaced_custom_object(
            GROUP, VERSION, cluster.namespace(), PLURAL, name)
    except _api_exception() as exc:
        raise _error(exc, name) from exc
    return found


def get_workflow(workflow_name: str) -> Workflow:
    """The workflow; as in CloudHarness, a failed one raises :class:`WorkflowException`."""
    workflow = Workflow(_get_raw(workflow_name))
    if workflow.failed():
        raise WorkflowException(Phase.Failed, f"Workflow failed: {workflow.get_status_message()}")
    return workflow


def get_workflows(status: str | None = None, limit: int = 10, continue_token: str | None = None,
                  timeout_seconds: int = 3, field_selector: str | None = None,
                  **kwargs: Any) -> SearchResult:
    """A page of workflows; *status* filters on the phase label Argo maintains."""
    if status is not None and status not in Phase.phases():
        raise BadParam("status", f"status must be one of {', '.join(Phase.phases())}")
    api = cluster.custom_objects()
    try:
        raw = api.list_namespaced_custom_object(
            GROUP, VERSION, cluster.namespace(), PLURAL,
            label_selector=f"{PHASE_LABEL}={status}" if status else None, limit=limit,
            _continue=continue_token, field_selector=field_selector,
            _request_timeout=timeout_seconds, **kwargs)
    except _api_exception() as exc:
        raise _error(exc) from exc
    return SearchResult(raw)


def delete_workflow(workflow_name: str) -> None:
    api = cluster.custom_objects()
    try:
        api.delete_namespaced_custom_object(GROUP, VERSION, cluster.namespace(), PLURAL,
                                            workflow_name, grace_period_seconds=0)
    except _api_exception() as exc:
        raise _error(exc, workflow_name) from exc


def get_workflow_logs_list(workflow_name: str) -> list[str]:
    """The main container's log of each pod of the workflow, oldest pod first."""
    get_workflow(workflow_name)  # not found (or failed) raises, as in CloudHarness
    core = cluster.core()
    ns = cluster.namespace()
    try:
        pods = core.list_namespaced_pod(ns, label_selector=f"{WORKFLOW_LABEL}={workflow_name}")
        ordered = sorted(pods.items, key=lambda p: (str(p.metadata.creation_timestamp or ""),
                                                    p.metadata.name))
        return [core.read_namespaced_pod_log(p.metadata.name, ns, container="main")
                for p in ordered]
    except _api_exception() as exc:
        raise _error(exc, workflow_name) from exc


def get_workflow_logs(workflow_name: str) -> str:
    return "\n".join(get_workflow_logs_list(workflow_name))


def wait_for_workflow(workflow_name: str, timeout: float | None = None) -> Workflow:
    """Watch the workflow until it finishes; after *timeout* seconds, the last state (the
    workflow keeps running, as with CloudHarness' ``execute(timeout)``). A deleted workflow
    raises :class:`WorkflowNotFound`."""
    k8s = cluster.kubernetes_module()
    api = cluster.custom_objects()
    ns = cluster.namespace()
    deadline = None if timeout is None else time.monotonic() + timeout
    raw = _get_raw(workflow_name)
    while not Workflow(raw).is_finished():
        remaining = WATCH_SECONDS if deadline is None else deadline - time.monotonic()
        if remaining <= 0:
            log.error("timeout while waiting for workflow %s", workflow_name)
            break
        watch = k8s.watch.Watch()
        try:
            for event in watch.stream(
                    api.list_namespaced_custom_object, GROUP, VERSION, ns, PLURAL,
                    field_selector=f"metadata.name={workflow_name}",
                    resource_version=raw["metadata"].get("resourceVersion"),
                    timeout_seconds=max(1, int(min(remaining, WATCH_SECONDS)))):
                kind, obj = event["type"], event["raw_object"]
                if kind == "DELETED":
                    raise WorkflowNotFound(workflow_name)
                if kind in ("ADDED", "MODIFIED"):
                    raw = obj
                    if Workflow(raw).is_finished():
                        watch.stop()
                        break
        except _api_exception() as exc:
            if getattr(exc, "status", None) != 410:
                raise _error(exc, workflow_name) from exc
            # The resource version expired: read the current state, watch from there.
            raw = _get_raw(workflow_name)
    return Workflow(raw)
