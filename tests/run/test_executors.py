"""Leaf templates against real processes: containers through a fake ``docker`` on PATH (no
container runtime here), HTTP against a local server, the interpreter, volumes."""

from __future__ import annotations

import http.server
import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from argo_docs import python, workflow
from run_helpers import run_doc

FAKE_DOCKER = r'''#!{python}
"""A stand-in for docker: `info` succeeds; `run` records its arguments and writes the
output parameter /out/result through its bind mount, as the container would."""
import json, os, sys
args = sys.argv[1:]
if args[:1] == ["info"]:
    sys.exit(0)
with open(os.environ["FAKE_DOCKER_LOG"], "a") as f:
    f.write(json.dumps(args) + "\n")
mounts = dict(reversed(a.split(":", 1)) for a in args[args.index("run"):] if ":" in a and a.startswith("/"))
if "/out" in mounts:
    open(os.path.join(mounts["/out"], "result"), "w").write("made in a container")
print("container says", " ".join(args[-2:]))
sys.exit(int(os.environ.get("FAKE_DOCKER_EXIT", "0")))
'''

CONTAINER = {"name": "c", "container": {"image": "alpine:3", "command": ["sh", "-c"],
                                        "args": ["echo {{inputs.parameters.x}}"],
                                        "env": [{"name": "K", "value": "v"}]},
             "inputs": {"parameters": [{"name": "x"}]},
             "outputs": {"parameters": [{"name": "result", "valueFrom": {"path": "/out/result"}}]}}
STEPS = {"name": "main", "steps": [[{"name": "box", "template": "c", "arguments": {
    "parameters": [{"name": "x", "value": "hi"}]}}]]}


@pytest.fixture
def fake_docker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "docker"
    exe.write_text(FAKE_DOCKER.replace("{python}", sys.executable))
    exe.chmod(0o755)
    log = tmp_path / "docker.log"
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("FAKE_DOCKER_LOG", str(log))
    return log


def test_containers_run_with_docker_when_it_is_reachable(fake_docker: Path) -> None:
    run = run_doc(workflow(STEPS, CONTAINER), no_containers=False)
    assert run.phase == "Succeeded", [n.message for n in run.nodes.values()]
    node = run.by_display("box")[0]
    assert node.type == "Container"
    assert node.outputs["parameters.result"] == "made in a container"
    assert node.stdout == "container says -c echo hi\n"  # the argument is substituted
    [args] = [json.loads(line) for line in fake_docker.read_text().splitlines()]
    assert args[:2] == ["run", "--rm"]
    assert args[args.index("-e"):args.index("-e") + 2] == ["-e", "K=v"]
    assert args[args.index("--entrypoint") + 1] == "sh"
    assert "alpine:3" in args


def test_a_failing_container_fails_its_step(fake_docker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DOCKER_EXIT", "2")
    run = run_doc(workflow(STEPS, CONTAINER), no_containers=False)
    assert run.phase == "Failed"
    assert run.by_display("box")[0].message.startswith("Error (exit code 2)")


def test_without_a_runtime_the_step_fails_naming_what_is_missing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # neither docker nor podman
    run = run_doc(workflow(STEPS, CONTAINER), no_containers=False)
    assert run.phase == "Failed"
    message = run.by_display("box")[0].message
    assert "docker is not installed" in message and "podman is not installed" in message
    assert "--no-containers" in message


def test_an_unreachable_runtime_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exe = tmp_path / "docker"
    exe.write_text("#!/bin/sh\necho 'Cannot connect to the Docker daemon' >&2\nexit 1\n")
    exe.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    run = run_doc(workflow(STEPS, CONTAINER), no_containers=False)
    message = run.by_display("box")[0].message
    assert "docker is installed but not reachable (Cannot connect to the Docker daemon)" in message


def test_no_containers_skips_them() -> None:
    run = run_doc(workflow(STEPS, CONTAINER), no_containers=True)
    assert run.phase == "Succeeded"
    assert run.by_display("box")[0].phase == "Skipped"
    assert run.by_display("box")[0].message == "container not run (--no-containers)"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        code = 200 if self.path == "/ok" else 503
        body = json.dumps({"path": self.path, "auth": self.headers.get("X-Token")}).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def http_doc(url: str, condition: str | None = None) -> dict[str, object]:
    t: dict[str, object] = {"name": "call", "http": {
        "url": url, "method": "GET", "headers": [{"name": "X-Token", "value": "t0k"}]}}
    if condition:
        t["http"]["successCondition"] = condition  # type: ignore[index]
    echo = python("echo", "print(os.environ['MSG'])", inputs=["msg"])
    steps = {"name": "main", "steps": [[{"name": "h", "template": "call"}], [{
        "name": "e", "template": "echo", "arguments": {"parameters": [
            {"name": "msg", "value": "{{steps.h.outputs.result}}"}]}}]]}
    return workflow(steps, t, echo)


def test_http_templates_are_called_for_real(server: str) -> None:
    run = run_doc(http_doc(f"{server}/ok"), no_http=False)
    assert run.phase == "Succeeded"
    assert json.loads(run.stdout[0]) == {"path": "/ok", "auth": "t0k"}


def test_http_status_and_success_condition(server: str) -> None:
    assert run_doc(http_doc(f"{server}/down"), no_http=False).phase == "Failed"
    run = run_doc(http_doc(f"{server}/down", "response.statusCode == 503"), no_http=False)
    assert run.phase == "Succeeded"
    run = run_doc(http_doc(f"{server}/ok", "response.statusCode == 201"), no_http=False)
    assert "successCondition" in run.by_display("h")[0].message


def test_no_http_skips_http_templates() -> None:
    run = run_doc(http_doc("http://127.0.0.1:9/never"), no_http=True)
    assert run.by_display("h")[0].phase == "Skipped"


def test_python_option_chooses_the_interpreter(tmp_path: Path) -> None:
    wrapper = tmp_path / "mypython"
    wrapper.write_text(f"#!/bin/sh\nexport VIA_WRAPPER=yes\nexec {sys.executable} \"$@\"\n")
    wrapper.chmod(0o755)
    t = python("t", "print(os.environ.get('VIA_WRAPPER'))")
    run = run_doc(workflow({"name": "main", "steps": [[{"name": "s", "template": "t"}]]}, t),
                  python=str(wrapper))
    assert run.stdout == ["yes\n"]


def test_volume_paths_are_local_folders_shared_by_steps(tmp_path: Path) -> None:
    def t(name: str, source: str) -> dict[str, object]:
        out = python(name, source)
        out["script"]["env"] = [{"name": "shared", "value": "/mnt/shared"}]
        out["script"]["volumeMounts"] = [{"name": "data", "mountPath": "/mnt/shared"}]
        return out

    write = t("write", "open(os.path.join(os.environ['shared'], 'f'), 'w').write('kept')")
    read = t("read", "print(open(os.path.join(os.environ['shared'], 'f')).read())")
    steps = {"name": "main", "steps": [[{"name": "w", "template": "write"}],
                                       [{"name": "r", "template": "read"}]]}
    run = run_doc(workflow(steps, write, read), workdir=tmp_path)
    assert run.stdout[-1] == "kept\n"
    assert (tmp_path / "volumes" / "data" / "f").read_text() == "kept"
