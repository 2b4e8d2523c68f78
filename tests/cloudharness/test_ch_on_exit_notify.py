"""CloudHarness' ``tests/test_on_exit_notify.py``, ported, plus the quoting fix.

Every test compiles ``PipelineOperation(name, [PythonTask('test-task', fn)], on_exit_notify=…)``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ch_helpers import compile_one

FN = """
def fn():
    print('done')

"""
CUSTOM = {"task-images": {"my-custom-exit-handler": "reg/my-custom-exit-handler:2",
                          "custom-image": "reg/custom-image:2"}}


def _exit(tmp_path: Path, notify: str) -> tuple[dict[str, Any], dict[str, Any]]:
    doc = compile_one(tmp_path, FN + f"""
op = operations.PipelineOperation('test-exit-', [tasks.PythonTask('test-task', fn)],
                                  on_exit_notify={notify})
""", CUSTOM)
    spec = doc["spec"]
    handler = [t for t in spec["templates"] if t["name"] == "exit-handler"]
    assert spec["onExit"] == "exit-handler" and len(handler) == 1
    assert spec["templates"][-1] is handler[0]
    env = {e["name"]: e.get("value") for e in handler[0]["container"]["env"]}
    return handler[0], env


def test_on_exit_notify_custom_image_only(tmp_path: Path) -> None:
    handler, env = _exit(tmp_path, "{'image': 'my-custom-exit-handler'}")
    assert "my-custom-exit-handler" in handler["container"]["image"]
    assert env["workflow_result"] == "{{workflow.status}}"
    assert "queue_name" not in env
    assert "payload" not in env
    # A custom image keeps its own command.
    assert "command" not in handler["container"]


def test_on_exit_notify_with_queue_and_payload(tmp_path: Path) -> None:
    _, env = _exit(tmp_path, """{'queue': 'my_queue', 'payload': '{"test": true}', 'image': 'custom-image'}""")
    assert env["workflow_result"] == "{{workflow.status}}"
    assert env["queue_name"] == "my_queue"
    assert env["payload"] == '{"test": true}'


def test_on_exit_notify_mixed_usage(tmp_path: Path) -> None:
    _, env = _exit(tmp_path, "{'image': 'custom-image', 'queue': 'my_queue'}")
    assert env["queue_name"] == "my_queue"
    assert "payload" not in env


def test_on_exit_notify_default_image(tmp_path: Path) -> None:
    handler, _ = _exit(tmp_path, """{'queue': 'my_queue', 'payload': '{"test": true}'}""")
    assert "workflows-notify-queue" in handler["container"]["image"]


def test_on_exit_notify_payload_from_the_request(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, FN + """
def controller(payload):
    op = operations.PipelineOperation('test-exit-', [tasks.PythonTask('test-task', fn)],
                                      on_exit_notify={'queue': 'q', 'payload': payload})
""")
    assert doc["spec"]["arguments"] == {"parameters": [{"name": "payload"}]}
    env = doc["spec"]["templates"][-1]["container"]["env"]
    assert {"name": "payload", "value": "{{workflow.parameters.payload}}"} in env


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX shell")
@pytest.mark.parametrize("queue", [True, False], ids=["queue", "no-queue"])
def test_default_handler_quotes_its_arguments(tmp_path: Path, queue: bool) -> None:
    """The notify-queue image runs ``python main.py ${workflow_result} ${queue_name}
    ${payload}`` unquoted: a JSON payload with spaces became several arguments. The handler's
    command quotes each variable, and still leaves out the ones that are not set."""
    notify = "{'queue': 'my queue', 'payload': '{\"test\": true, \"n\": \"a  b\"}'}" if queue \
        else "{'payload': '{\"test\": true}'}"
    handler, env = _exit(tmp_path, notify)
    command = handler["container"]["command"]
    (tmp_path / "main.py").write_text("import json, sys\nprint(json.dumps(sys.argv[1:]))\n")
    run_env = {k: v for k, v in env.items() if v is not None}
    run_env["workflow_result"] = "Succeeded"
    run_env["PATH"] = str(Path(shutil.which("python3") or "python3").parent) + ":/usr/bin:/bin"
    script = command[2].replace("exec python ", "exec python3 ")
    out = subprocess.run([command[0], command[1], script], env=run_env, cwd=tmp_path,
                         capture_output=True, text=True, check=True).stdout


    expected = ["Succeeded", "my queue", '{"test": true, "n": "a  b"}'] if queue \
        else ["Succeeded", '{"test": true}']
    assert json.loads(out) == expected
