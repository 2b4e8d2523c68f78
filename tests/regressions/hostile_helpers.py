"""Helpers of the hardening regressions (issue 9): a small project, the command run in a
subprocess with a timeout (a FIFO or /dev/zero must fail a test, never hang it), and
compile-cache entries read and written the way a forger would."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

#: Seconds any one command may take; a hang is a failure.
TIMEOUT = 60

GOOD = '''from tiphys import task, workflow


@task
def hello() -> str:
    return "hi"


wf = workflow("hello", hello())
'''


def make_project(root: Path, table: str = "", files: dict[str, str] | None = None) -> Path:
    """A git-rooted project: flows/ (hello.py by default) and a pyproject.toml."""
    (root / ".git").mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text('[project]\nname = "p"\n\n' + table, encoding="utf-8")
    flows = root / "flows"
    flows.mkdir(exist_ok=True)
    for name, text in (files if files is not None else {"hello.py": GOOD}).items():
        (flows / name).write_text(text, encoding="utf-8")
    return root


def tiphys(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m tiphys.compiler ARGS`` in *cwd*, with the project's own cache folder
    unless *env* says otherwise; killed (and the test failed) after TIMEOUT seconds."""
    environ = {k: v for k, v in os.environ.items()
               if k not in ("TIPHYS_CACHE_DIR", "TIPHYS_DEBUG")}
    environ.update(env)
    return subprocess.run([sys.executable, "-m", "tiphys.compiler", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=TIMEOUT, env=environ,
                          stdin=subprocess.DEVNULL)


def entries(root: Path) -> list[Path]:
    return sorted((root / ".tiphys_cache" / "compile").glob("*.json"))


def read_entry(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    head, _, body = path.read_bytes().partition(b"\n")
    return json.loads(head), json.loads(body)


def write_entry(path: Path, header: dict[str, Any], content: dict[str, Any],
                reseal: bool = True) -> None:
    """Write an entry; with *reseal*, its digest is recomputed (a forger who knows the
    format), so the checks behind the digest are what decides."""
    body = json.dumps(content).encode("utf-8")
    if reseal:
        header = dict(header, digest=hashlib.sha256(body).hexdigest())
    path.write_bytes(json.dumps(header).encode("utf-8") + b"\n" + body)
