"""Bad input is refused at once, as a diagnostic: never a traceback, never a hang.

Only regular files are read, up to a size limit (64 MiB by default; ``--max-size`` or
``TIPHYS_VALIDATE_MAX_BYTES``). Success is one line on stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tiphys.compiler.commands.validate import DEFAULT_MAX_BYTES, run_validate, validate_files

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from tiphys.compiler.cli import main; main()", "validate"]
GOOD = """apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: ok-
spec:
  entrypoint: main
  templates:
    - name: main
      container: {image: busybox}
"""


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=20,
                          env={**os.environ, **(env or {})}, check=False)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_device_is_refused() -> None:
    diags = validate_files(["/dev/zero"]).sorted()
    assert [(d.code, d.line) for d in diags] == [("ARG008", 0)]
    assert "device" in diags[0].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_without_writer_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    proc = cli(str(fifo))  # the timeout above turns a hang into a failure
    assert proc.returncode == 1
    assert "ARG008" in proc.stdout and "FIFO" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_directory_is_refused(tmp_path: Path) -> None:
    proc = cli(str(tmp_path))
    assert proc.returncode == 2 and "is a directory" in proc.stderr
    assert [d.code for d in validate_files([str(tmp_path)]).sorted()] == ["ARG008"]


def test_size_limit_flag_and_environment(tmp_path: Path) -> None:
    f = tmp_path / "wf.yaml"
    f.write_text(GOOD, encoding="utf-8")
    assert DEFAULT_MAX_BYTES == 64 * 1024 * 1024
    assert validate_files([str(f)], max_bytes=len(GOOD)).sorted() == []
    over = validate_files([str(f)], max_bytes=len(GOOD) - 1).sorted()
    assert [d.code for d in over] == ["ARG008"]
    proc = cli("--max-size", "10", str(f))
    assert proc.returncode == 1 and "ARG008" in proc.stdout
    proc = cli(str(f), env={"TIPHYS_VALIDATE_MAX_BYTES": "10"})
    assert proc.returncode == 1 and "limit of 10" in proc.stdout


def test_five_thousand_digit_integer(tmp_path: Path) -> None:
    f = tmp_path / "big.yaml"
    f.write_text(GOOD.replace("  entrypoint: main", "  parallelism: " + "7" * 5000
                              + "\n  entrypoint: main"), encoding="utf-8")
    proc = cli(str(f))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "ARG006" in proc.stdout and "5000 characters" in proc.stdout


def test_success_is_one_line_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    f = tmp_path / "wf.yaml"
    f.write_text(GOOD, encoding="utf-8")
    assert run_validate([str(f)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "tiphys validate: 1 file valid\n"


def test_failure_prints_no_success_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    f = tmp_path / "wf.yaml"
    f.write_text(GOOD.replace("image:", "imag:"), encoding="utf-8")
    assert run_validate([str(f)]) == 1
    out, err = capsys.readouterr()
    assert "ARG005" in out and err == ""


def test_strict_schema_is_accepted_by_schema_option(tmp_path: Path) -> None:
    f = tmp_path / "wf.yaml"
    f.write_text(GOOD, encoding="utf-8")
    schema = str(REPO / "schemas" / "argo-strict.schema.json")
    proc = cli("--schema", schema, str(f))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("  generateName: ok-", "  generateName: Not_DNS-"),
                   encoding="utf-8")
    codes = {d.code for d in validate_files([str(bad)], schema_path=schema).sorted()}
    assert "SCH003" in codes
