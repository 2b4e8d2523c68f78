"""Contract tests of the run-time API against a local API server (fake_kube.py).

No cluster is reachable from the test machine. The server follows the Kubernetes API
conventions for custom objects (paths, status codes, Status bodies, the watch event stream),
so these tests check the requests tiphys sends and how it handles the answers; they do not
prove anything about a real API server or Argo's controller.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

pytest.importorskip("kubernetes", reason="the run-time API needs tiphys[cluster]")

from fake_kube import PREFIX, FakeKube, start

from tiphys.cloudharness import argo_service, cluster, operations, tasks
from tiphys.cloudharness.argo_service import (
    BadParam,
    WorkflowException,
    WorkflowNotFound,
)

NS = "ch"
WORKFLOWS = f"{PREFIX}{NS}/workflows"


@pytest.fixture
def kube() -> Iterator[FakeKube]:
    fake, server = start()
    cluster.connect(host=fake.url, namespace=NS)
    try:
        yield fake
    finally:
        cluster.disconnect()
        server.shutdown()
        server.server_close()


def op(name: str = "sync-") -> operations.DistributedSyncOperation:
    return operations.DistributedSyncOperation(name, tasks.CommandBasedTask("t", ["true"]))


def later(seconds: float, action: Any, *args: Any, **kwargs: Any) -> threading.Thread:
    def run() -> None:
        time.sleep(seconds)
        action(*args, **kwargs)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_submit_posts_the_document(kube: FakeKube) -> None:
    operation = operations.PipelineOperation("pipe-", [tasks.BashTask("a", "ls")])
    workflow = operation.submit()
    post = kube.requests[-1]
    assert (post.method, post.path) == ("POST", WORKFLOWS)
    assert post.body == operation.to_workflow()
    assert workflow.name == "pipe-00001" and operation.persisted is workflow
    assert workflow.raw["metadata"]["namespace"] == NS
    assert workflow.status is None and not workflow.is_finished()


def test_async_execute_submits_and_gives_the_update_url(kube: FakeKube,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    operation = operations.ParallelOperation("par-", [tasks.BashTask("a", "ls")])
    with pytest.raises(RuntimeError, match="has not been submitted"):
        operation.get_operation_update_url()
    assert operation.execute().name == "par-00001"
    monkeypatch.delenv("CH_DOMAIN", raising=False)
    with pytest.raises(RuntimeError, match="CH_WORKFLOWS_SUBDOMAIN"):
        operation.get_operation_update_url()
    monkeypatch.setenv("CH_WORKFLOWS_SUBDOMAIN", "workflows")
    monkeypatch.setenv("CH_DOMAIN", "example.org")
    assert operation.get_operation_update_url() == "workflows.example.org/operations/par-00001"


def test_status_of_a_submitted_operation(kube: FakeKube) -> None:
    operation = operations.SingleTaskOperation("s-", tasks.BashTask("a", "ls"))
    assert not operation.is_error() and not operation.is_running()  # not submitted
    name = operation.submit().name
    kube.update(NS, name, "Running")
    assert operation.is_running() and not operation.is_error()
    assert operation.persisted is not None
    assert operation.persisted.status == operations.OperationStatus.RUNNING == \
        argo_service.Phase.NodeRunning
    kube.update(NS, name, "Error", message="pod deleted")
    assert operation.is_error() and not operation.is_running()
    kube.update(NS, name, "Failed", message="exit code 1")
    assert operation.is_error()
    assert [r.path for r in kube.requests if r.method == "GET"] == [f"{WORKFLOWS}/{name}"] * 5


def test_get_workflow(kube: FakeKube) -> None:
    name = op().submit().name
    kube.update(NS, name, "Succeeded")
    workflow = argo_service.get_workflow(name)
    assert workflow.succeeded() and workflow.is_finished()
    with pytest.raises(WorkflowNotFound) as missing:
        argo_service.get_workflow("riuhfsdhsdfsfisdf")
    assert missing.value.status == 404
    kube.update(NS, name, "Failed", message="boom")
    with pytest.raises(WorkflowException, match="Workflow failed: boom"):
        argo_service.get_workflow(name)


def test_get_workflows_filters_and_pages(kube: FakeKube) -> None:
    names = [op(f"w{i}-").submit().name for i in range(3)]
    for name in names[:2]:
        kube.update(NS, name, "Running")
    found = argo_service.get_workflows(status="Running", limit=1)
    request = kube.requests[-1]
    assert (request.method, request.path) == ("GET", WORKFLOWS)
    assert request.query["labelSelector"] == "workflows.argoproj.io/phase=Running"
    assert request.query["limit"] == "1"
    assert [w.name for w in found.items] == [names[0]] and found.continue_token == "1"
    rest = argo_service.get_workflows(status="Running", limit=1,
                                      continue_token=found.continue_token)
    assert kube.requests[-1].query["continue"] == "1"
    assert [w.name for w in rest.items] == [names[1]] and rest.continue_token is None
    assert len(argo_service.get_workflows(limit=10).items) == 3
    with pytest.raises(BadParam):
        argo_service.get_workflows(status="Done")


def test_delete_workflow(kube: FakeKube) -> None:
    name = op().submit().name
    argo_service.delete_workflow(name)
    assert (kube.requests[-1].method, kube.requests[-1].path) == ("DELETE",
                                                                  f"{WORKFLOWS}/{name}")
    sent = kube.requests[-1]
    assert (sent.body or {}).get("gracePeriodSeconds", sent.query.get("gracePeriodSeconds")) \
        in (0, "0")
    with pytest.raises(WorkflowNotFound):
        argo_service.get_workflow(name)
    with pytest.raises(WorkflowNotFound):
        argo_service.delete_workflow(name)


def test_logs_of_the_workflow_s_pods(kube: FakeKube) -> None:
    name = op().submit().name
    label = {"workflows.argoproj.io/workflow": name}
    kube.pods[NS] = [
        {"metadata": {"name": f"{name}-t-2", "labels": label,
                      "creationTimestamp": "2026-01-01T00:00:02Z"}},
        {"metadata": {"name": f"{name}-t-1", "labels": label,
                      "creationTimestamp": "2026-01-01T00:00:01Z"}},
        {"metadata": {"name": "other", "labels": {"workflows.argoproj.io/workflow": "x"}}},
    ]
    kube.logs.update({f"{name}-t-1": "first\n", f"{name}-t-2": "second\n", "other": "no"})
    assert argo_service.get_workflow_logs_list(name) == ["first\n", "second\n"]
    assert argo_service.get_workflow_logs(name) == "first\n\nsecond\n"
    log_requests = [r for r in kube.requests if r.path.endswith("/log")]
    assert log_requests[0].path == f"/api/v1/namespaces/{NS}/pods/{name}-t-1/log"
    assert log_requests[0].query["container"] == "main"
    with pytest.raises(WorkflowNotFound):
        argo_service.get_workflow_logs("nope")


def test_execute_waits_with_a_watch(kube: FakeKube) -> None:
    operation = op()
    later(0.3, kube.update, NS, "sync-00001", "Running")
    later(0.6, kube.update, NS, "sync-00001", "Succeeded")
    workflow = operation.execute(timeout=20)
    assert workflow.succeeded() and operation.persisted is workflow
    watches = [r for r in kube.requests if r.query.get("watch") == "true"]
    assert watches and watches[0].path == WORKFLOWS
    assert watches[0].query["fieldSelector"] == "metadata.name=sync-00001"
    assert watches[0].query["resourceVersion"] == "101"


def test_execute_timeout_returns_the_last_state(kube: FakeKube) -> None:
    operation = op()
    later(0.2, kube.update, NS, "sync-00001", "Running")
    started = time.monotonic()
    workflow = operation.execute(timeout=1.5)
    assert 1.0 <= time.monotonic() - started < 5
    assert workflow.status == "Running" and not workflow.is_finished()


def test_execute_of_a_failing_workflow_raises(kube: FakeKube) -> None:
    later(0.3, kube.update, NS, "sync-00001", "Failed", message="exit code 1")
    with pytest.raises(WorkflowException, match="exit code 1"):
        op().execute(timeout=20)


def test_a_workflow_deleted_while_waiting(kube: FakeKube) -> None:
    later(0.3, kube.update, NS, "sync-00001", delete=True)
    with pytest.raises(WorkflowNotFound):
        op().execute(timeout=20)


def test_an_expired_watch_is_resumed_from_a_fresh_read(kube: FakeKube) -> None:
    kube.compacted = 10**6  # every watch from an old resourceVersion gets 410 Expired

    def finish() -> None:
        kube.update(NS, "sync-00001", "Succeeded")
    later(0.3, finish)
    assert op().execute(timeout=20).succeeded()
    gets = [r for r in kube.requests if r.method == "GET" and r.path.endswith("/sync-00001")]
    assert len(gets) >= 2  # the first read, and the reads after each 410


def test_api_errors_become_workflow_exceptions(kube: FakeKube) -> None:
    body = op("taken-").to_workflow()
    body["metadata"] = {"name": "taken"}
    argo_service.submit_workflow(body)
    with pytest.raises(WorkflowException, match=r'409.*"taken" already exists') as taken:
        argo_service.submit_workflow(body)
    assert taken.value.status == 409
    body["metadata"] = {}
    with pytest.raises(WorkflowException, match=r"422.*generateName is required"):
        argo_service.submit_workflow(body)


class RecordingQueue:
    """Stands for the Kafka topic (events.EventClient) to check the protocol's order."""

    log: ClassVar[list[tuple[str, str]]] = []
    messages: ClassVar[list[Any]] = [{"result": "42"}]

    def __init__(self, topic: str) -> None:
        self.topic = topic

    def create_topic(self) -> None:
        self.log.append(("create", self.topic))

    def consume_all(self) -> list[Any]:
        self.log.append(("consume", self.topic))
        return list(self.messages)

    def delete_topic(self) -> None:
        self.log.append(("delete", self.topic))


def test_results_are_read_from_the_workflow_s_topic(kube: FakeKube,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from tiphys.cloudharness import events

    monkeypatch.setattr(events, "EventClient", RecordingQueue)
    RecordingQueue.log = []
    operation = operations.DistributedSyncOperationWithResults(
        "res-", tasks.CustomTask("sum", "workflows-extract-download", a=1))

    def finish() -> None:
        (name,) = [n for _, n in kube.workflows]
        RecordingQueue.log.append(("finished", name))
        kube.update(NS, name, "Succeeded")
    later(0.3, finish)
    assert operation.execute(timeout=20) == [{"result": "42"}]
    post = next(r for r in kube.requests if r.method == "POST")
    name = post.body["metadata"]["name"]
    assert name.startswith("res-") and len(name) == len("res-") + 5
    assert "generateName" not in post.body["metadata"]
    # The topic exists before the workflow (CloudHarness created it after submitting).
    assert RecordingQueue.log == [("create", name), ("finished", name), ("consume", name),
                                  ("delete", name)]


def test_kubeconfig_credentials(kube: FakeKube, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside a cluster, the credentials come from the kubeconfig (as in CloudHarness)."""
    config = tmp_path / "config"
    config.write_text(f"""apiVersion: v1
kind: Config
clusters: [{{name: local, cluster: {{server: "{kube.url}"}}}}]
users: [{{name: me, user: {{token: secret-token}}}}]
contexts: [{{name: here, context: {{cluster: local, user: me, namespace: {NS}}}}}]
current-context: here
""")
    monkeypatch.setenv("KUBECONFIG", str(config))
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    cluster.disconnect()
    assert cluster.namespace() == NS  # the context's namespace
    assert op().submit().name == "sync-00001"
    post = kube.requests[-1]
    assert (post.method, post.path) == ("POST", WORKFLOWS)


def test_in_cluster_credentials_come_first(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from kubernetes.config import incluster_config

    (tmp_path / "token").write_text("sa-token")
    (tmp_path / "ca.crt").write_text("not checked here")
    monkeypatch.setattr(incluster_config, "SERVICE_TOKEN_FILENAME", str(tmp_path / "token"))
    monkeypatch.setattr(incluster_config, "SERVICE_CERT_FILENAME", str(tmp_path / "ca.crt"))
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1")
    monkeypatch.setenv("KUBERNETES_SERVICE_PORT", "443")
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "missing"))
    cluster.disconnect()
    try:
        configuration = cluster.api_client().configuration
        assert configuration.host == "https://10.0.0.1:443"
        assert configuration.api_key["BearerToken"].endswith("sa-token")
    finally:
        cluster.disconnect()


def test_no_credentials_is_a_clear_error(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "missing"))
    cluster.disconnect()
    with pytest.raises(cluster.ClusterUnavailable, match="no Kubernetes credentials"):
        op().submit()


def test_missing_client_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "kubernetes", None)
    cluster.disconnect()
    with pytest.raises(cluster.ClusterUnavailable, match=r"pip install 'tiphys\[cluster\]'"):
        op().submit()
