"""``tiphys run`` from the command line: every sample runs to Succeeded (container, http and
cluster-only steps reported), exit codes 0/1/2, the output modes, and lazy imports."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tiphys.compiler.cli import main
from tiphys.compiler.run.live import TreeView, tree_lines

from conftest import REPO, SAMPLES
from run_helpers import run_doc

CH_SAMPLES = REPO / "samples" / "cloudharness"
ALL = [*sorted(SAMPLES.glob("*.py")), *sorted(CH_SAMPLES.glob("*.py"))]


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stdout, result.stderr


def workflows_of(path: Path) -> list[str]:
    code, out, err = run(["graph", str(path)])
    assert code == 0, err
    return [line.split('["', 1)[1].split('"]', 1)[0] for line in out.splitlines()
            if line.startswith("  subgraph wf_")]


@pytest.fixture
def no_sleep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scripts run with ``time.sleep`` a no-op (the CloudHarness seeds sleep 2 s)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text("import time\ntime.sleep = lambda s: None\n")
    monkeypatch.setenv("PYTHONPATH", str(site))


@pytest.mark.parametrize("sample", ALL, ids=[f"{p.parent.name}/{p.stem}" for p in ALL])
def test_every_sample_runs_to_succeeded(sample: Path, tmp_path: Path, no_sleep: None) -> None:
    for name in workflows_of(sample):
        code, out, err = run(["run", str(sample), "--workflow", name, "--no-containers",
                              "--no-http", "--workdir", str(tmp_path / name)])
        assert code == 0, out + err
        assert "Succeeded in" in out
        status = json.loads((tmp_path / name / "status.json").read_text())
        for node in status["nodes"]:
            # dependency_logic's flaky check fails half the time, by design; its failure is
            # handled by a depends. Nothing errs.
            assert node["phase"] != "Error", node
            if node["phase"] == "Skipped" and node["type"] != "Retry" and node["message"] and \
                    not node["message"].startswith("when "):
                # Each step left out says why, in the summary too.
                assert f"skipped {node['displayName']}: {node['message']}" in out


def test_container_steps_need_a_runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    code, out, _ = run(["run", str(SAMPLES / "pods.py"), "--workdir", str(tmp_path / "w")])
    assert code == 1
    assert "docker is not installed" in out and "Failed" in out


def test_failure_exit_code_and_log_tail(tmp_path: Path) -> None:
    src = tmp_path / "flow.py"
    src.write_text("from tiphys import task, workflow, pipeline\n\n"
                   "@task\ndef boom() -> None:\n    print('last words')\n    raise SystemExit(4)\n\n"
                   "wf = workflow('boom', pipeline(boom()))\n")
    code, out, _ = run(["run", str(src), "--workdir", str(tmp_path / "w")])
    assert code == 1
    assert "Workflow boom Failed" in out
    assert "Error (exit code 4)" in out and "  | last words" in out


def test_json_output_and_parameters(tmp_path: Path) -> None:
    code, out, err = run(["run", str(SAMPLES / "conditions.py"), "-p", "seed=3", "--output",
                          "json", "--workdir", str(tmp_path)])
    assert code == 0, err
    status = json.loads(out)
    assert status["phase"] == "Succeeded" and status["workflow"] == "coinflip"
    coin = next(n for n in status["nodes"] if n["displayName"] == "coin")
    assert coin["inputs"] == {"seed": "3"}
    assert Path(coin["log"]).exists()


@pytest.mark.parametrize("args,message", [
    (["-p", "nope=1"], "unknown parameter(s) nope"),
    (["-p", "seed"], "-p takes NAME=VALUE"),
    (["--workflow", "other"], "no workflow named 'other'"),
    (["-j", "0"], "-j takes"),
])
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    code, _, err = run(["run", str(SAMPLES / "conditions.py"), *args])
    assert code == 2 and message in err


def test_several_workflows_need_a_choice() -> None:
    code, _, err = run(["run", str(SAMPLES / "artifacts.py")])
    assert code == 2 and "choose one with --workflow" in err


def test_compile_errors_exit_1(tmp_path: Path) -> None:
    src = tmp_path / "bad.py"
    src.write_text("from tiphys import task, workflow\n\n@task\ndef t(x: int) -> None:\n    pass\n\n"
                   "wf = workflow('w', t(y=1))\n")
    code, _, err = run(["run", str(src)])
    assert code == 1 and "bad.py:7:22: TPH100" in err


def test_tree_view_draws_the_node_tree_in_place(tmp_path: Path) -> None:
    from argo_docs import ECHO, workflow

    doc = workflow({"name": "main", "steps": [[{"name": "hello", "template": "echo", "arguments": {
        "parameters": [{"name": "msg", "value": "hi"}]}}]]}, ECHO)
    result = run_doc(doc)
    lines = tree_lines(result)
    assert lines[0].startswith("✔ test  [main]  Succeeded")
    assert lines[1].startswith("  ✔ [0]")
    assert lines[2].startswith("    ✔ hello  [echo]  Succeeded")
    out = io.StringIO()
    view = TreeView(result, out, interval=0.01)
    view.start()
    view.draw()
    view.finish()
    text = out.getvalue()
    assert "\x1b[J" in text and f"\x1b[{len(lines)}F" in text  # redrawn over itself
    assert "Workflow test Succeeded" in text


def test_compile_does_not_import_the_runner_or_the_graph() -> None:
    code = ("import sys\nfrom click.testing import CliRunner\nfrom tiphys.compiler.cli import main\n"
            f"r = CliRunner().invoke(main, ['compile', {str(SAMPLES / 'etl.py')!r}, '--no-cache'])\n"
            "assert r.exit_code == 0, r.output\n"
            "loaded = [m for m in sys.modules if m.startswith(('tiphys.compiler.run', 'tiphys.compiler.graph'))]\n"
            "assert not loaded, loaded\n")
    subprocess.run([sys.executable, "-c", code], check=True)
