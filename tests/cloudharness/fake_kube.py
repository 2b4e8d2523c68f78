"""A local stand-in for the Kubernetes API server, for contract tests of the run-time API.

It serves, on 127.0.0.1, the part of the API the run-time classes use, following the
Kubernetes API conventions:

- custom objects: ``/apis/argoproj.io/v1alpha1/namespaces/<ns>/workflows[/<name>]``:
  POST (201, ``generateName`` → a name, 409 on a taken name, 422 without a name), GET one
  (200/404), GET a list (``labelSelector``, ``fieldSelector=metadata.name=``, ``limit`` and
  ``continue``), DELETE (200 with a ``Status``, 404);
- watches: the list URL with ``watch=true``, answering a chunked stream of JSON lines
  ``{"type": ADDED|MODIFIED|DELETED|ERROR, "object": ...}`` from ``resourceVersion`` on, until
  ``timeoutSeconds``; a ``resourceVersion`` older than the compaction point gets an ERROR
  event carrying a ``Status`` with code 410 (Expired);
- pods: ``/api/v1/namespaces/<ns>/pods?labelSelector=`` and ``.../pods/<pod>/log``;
- errors are ``Status`` objects (``kind: Status``, ``code``, ``reason``, ``message``).

Tests change workflows through :meth:`FakeKube.update` (what Argo's controller would do);
every request is recorded in ``requests``. Nothing here is Kubernetes: these are contract
tests of the requests and the handling of the answers.
"""

from __future__ import annotations

import copy
import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

PREFIX = "/apis/argoproj.io/v1alpha1/namespaces/"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: Any = None


@dataclass
class FakeKube:
    workflows: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    pods: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    logs: dict[str, str] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    #: (resourceVersion, type, object) of every change, in order.
    events: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    #: Watches from a resourceVersion below this get 410 Expired.
    compacted: int = 0
    names: Any = field(default_factory=lambda: (f"{i:05d}" for i in itertools.count(1)))
    version: int = 100
    #: When set, every created workflow moves to this phase shortly after (a stand-in for
    #: Argo's controller running it).
    finish_with: str | None = None
    lock: threading.Condition = field(default_factory=threading.Condition)
    url: str = ""

    # -- what the controller does -----------------------------------------------------------

    def update(self, namespace: str, name: str, phase: str | None = None,
               delete: bool = False, **status: Any) -> None:
        with self.lock:
            wf = self.workflows[(namespace, name)]
            self.version += 1
            if delete:
                del self.workflows[(namespace, name)]
                wf["metadata"]["resourceVersion"] = str(self.version)
                self.events.append((self.version, "DELETED", copy.deepcopy(wf)))
            else:
                wf.setdefault("status", {}).update(status)
                if phase is not None:
                    wf["status"]["phase"] = phase
                    wf["metadata"].setdefault("labels", {})[
                        "workflows.argoproj.io/phase"] = phase
                wf["metadata"]["resourceVersion"] = str(self.version)
                self.events.append((self.version, "MODIFIED", copy.deepcopy(wf)))
            self.lock.notify_all()

    def create(self, namespace: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        metadata = body.setdefault("metadata", {})
        if "name" not in metadata:
            if "generateName" not in metadata:
                return 422, status(422, "Invalid", "metadata.name: Required value: name or "
                                   "generateName is required")
            metadata["name"] = metadata["generateName"] + next(self.names)
        if (namespace, metadata["name"]) in self.workflows:
            return 409, status(409, "AlreadyExists",
                               f'workflows.argoproj.io "{metadata["name"]}" already exists')
        with self.lock:
            self.version += 1
            metadata.update(namespace=namespace, resourceVersion=str(self.version),
                            uid=f"uid-{self.version}", creationTimestamp="2026-01-01T00:00:00Z")
            self.workflows[(namespace, metadata["name"])] = body
            self.events.append((self.version, "ADDED", copy.deepcopy(body)))
            self.lock.notify_all()
        if self.finish_with is not None:
            threading.Timer(0.05, self.update, (namespace, metadata["name"],
                                                self.finish_with)).start()
        return 201, body


def status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


def _selected(obj: dict[str, Any], query: dict[str, str]) -> bool:
    for part in filter(None, query.get("labelSelector", "").split(",")):
        key, _, value = part.partition("=")
        if obj["metadata"].get("labels", {}).get(key) != value:
            return False
    for part in filter(None, query.get("fieldSelector", "").split(",")):
        key, _, value = part.partition("=")
        if key != "metadata.name" or obj["metadata"]["name"] != value:
            return False
    return True


def make_handler(kube: FakeKube) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, code: int, body: Any, content_type: str = "application/json") -> None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _record(self) -> tuple[list[str], dict[str, str], Any]:
            url = urlparse(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            kube.requests.append(Request(self.command, url.path, query, copy.deepcopy(body)))
            return url.path.strip("/").split("/"), query, body

        def do_POST(self) -> None:
            parts, _, body = self._record()
            if self.path.startswith(PREFIX) and len(parts) == 6:
                code, obj = kube.create(parts[4], body)
                return self._send(code, obj)
            self._send(404, status(404, "NotFound", "the server could not find the resource"))

        def do_DELETE(self) -> None:
            parts, _, _ = self._record()
            key = (parts[4], parts[6]) if len(parts) == 7 else None
            if key not in kube.workflows:
                name = parts[-1]
                return self._send(404, status(404, "NotFound",
                                              f'workflows.argoproj.io "{name}" not found'))
            kube.update(*key, delete=True)
            self._send(200, {"kind": "Status", "apiVersion": "v1", "metadata": {},
                             "status": "Success", "details": {"name": key[1]}})

        def do_GET(self) -> None:
            parts, query, _ = self._record()
            if self.path.startswith(PREFIX):
                ns = parts[4]
                if len(parts) == 7:
                    wf = kube.workflows.get((ns, parts[6]))
                    if wf is None:
                        return self._send(404, status(
                            404, "NotFound", f'workflows.argoproj.io "{parts[6]}" not found'))
                    return self._send(200, wf)
                if query.get("watch") == "true":
                    return self._watch(ns, query)
                return self._list(ns, query)
            if parts[:3] == ["api", "v1", "namespaces"] and parts[4] == "pods":
                ns = parts[3]
                if len(parts) == 5:
                    items = [p for p in kube.pods.get(ns, []) if _selected(p, query)]
                    return self._send(200, {"kind": "PodList", "apiVersion": "v1",
                                            "metadata": {"resourceVersion": str(kube.version)},
                                            "items": items})
                if len(parts) == 7 and parts[6] == "log" and parts[5] in kube.logs:
                    return self._send(200, kube.logs[parts[5]], "text/plain")
            self._send(404, status(404, "NotFound", "the server could not find the resource"))

        def _list(self, ns: str, query: dict[str, str]) -> None:
            items = [wf for (n, _), wf in sorted(kube.workflows.items()) if n == ns
                     and _selected(wf, query)]
            start = int(query.get("continue") or 0)
            limit = int(query.get("limit") or 0) or len(items)
            page = items[start:start + limit]
            metadata: dict[str, Any] = {"resourceVersion": str(kube.version)}
            if start + limit < len(items):
                metadata["continue"] = str(start + limit)
            self._send(200, {"apiVersion": "argoproj.io/v1alpha1", "kind": "WorkflowList",
                             "metadata": metadata, "items": page})

        def _chunk(self, event: dict[str, Any]) -> None:
            data = (json.dumps(event) + "\n").encode()
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        def _watch(self, ns: str, query: dict[str, str]) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            since = int(query.get("resourceVersion") or 0)
            timeout = float(query.get("timeoutSeconds") or 5)
            if since and since < kube.compacted:
                self._chunk({"type": "ERROR", "object": status(
                    410, "Expired", f"too old resource version: {since} ({kube.compacted})")})
            else:
                sent = since
                end = threading.Event()
                timer = threading.Timer(timeout, lambda: (end.set(), _wake(kube)))
                timer.start()
                try:
                    while not end.is_set():
                        with kube.lock:
                            fresh = [e for e in kube.events if e[0] > sent]
                            if not fresh:
                                kube.lock.wait(0.5)
                                continue
                        for version, kind, obj in fresh:
                            sent = version
                            if obj["metadata"].get("namespace") == ns and _selected(obj, query):
                                self._chunk({"type": kind, "object": obj})
                finally:
                    timer.cancel()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

    return Handler


def _wake(kube: FakeKube) -> None:
    with kube.lock:
        kube.lock.notify_all()


def start() -> tuple[FakeKube, ThreadingHTTPServer]:
    kube = FakeKube()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(kube))
    server.daemon_threads = True
    kube.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return kube, server
