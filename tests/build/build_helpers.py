"""Helpers for the build-time generation tests: a throw-away project and a CLI runner."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tiphys.compiler.cli import main

GOOD = """from tiphys import task, workflow

@task
def hello() -> str:
    return "hi"

wf = workflow("hello", hello())
"""

SECOND = """from tiphys import bash, pipeline, task, workflow

@task
def count(n: int = 3) -> int:
    return n * 2

wf = workflow("second", pipeline(count(n=4), bash("done", "echo done")))
"""

BAD = """from tiphys import task, workflow

@task
def hello() -> str:
    return missing_name

wf = workflow("broken", hello())
"""

#: A file that compiles cleanly but warns (TPH010: no workflow in a file named explicitly).
NO_WORKFLOW = """from tiphys import task

@task
def lonely() -> None:
    pass
"""


def make_project(root: Path, table: str | None = '[tool.tiphys]\npaths = ["flows"]\n'
                 'output = "deploy/argo"\n', files: dict[str, str] | None = None) -> Path:
    """A git-rooted project with flows/ and (unless *table* is None) a pyproject.toml."""
    (root / ".git").mkdir(parents=True, exist_ok=True)
    if table is not None:
        (root / "pyproject.toml").write_text('[project]\nname = "p"\n\n' + table,
                                             encoding="utf-8")
    flows = root / "flows"
    flows.mkdir(exist_ok=True)
    for name, text in (files if files is not None else {"a.py": GOOD, "b.py": SECOND}).items():
        (flows / name).write_text(text, encoding="utf-8")
    return root


@contextmanager
def cwd(path: Path) -> Iterator[None]:
    here = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(here)


def run(args: list[str], where: Path | None = None) -> tuple[int, str, str]:
    """Invoke the CLI in-process (in *where*, if given): (exit code, stdout, stderr)."""
    runner = CliRunner()
    if where is None:
        result = runner.invoke(main, args, catch_exceptions=False)
    else:
        with cwd(where):
            result = runner.invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under *root* (except the compile cache): bytes and mtime."""
    out = {}
    for p in sorted(root.rglob("*")):
        if ".tiphys_cache" in p.parts or not p.is_file():
            continue
        out[p.relative_to(root).as_posix()] = (p.read_bytes(), p.stat().st_mtime_ns)
    return out


@pytest.fixture(autouse=True)
def own_cache_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests decide where the cache goes: the validator's tests set TIPHYS_CACHE_DIR for the
    whole session, which would move these projects' caches out of their trees."""
    monkeypatch.delenv("TIPHYS_CACHE_DIR", raising=False)
    monkeypatch.delenv("TIPHYS_DEBUG", raising=False)


def read_entry(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """A compile-cache entry: (its header line, its content)."""
    head, _, body = path.read_bytes().partition(b"\n")
    return json.loads(head), json.loads(body)


def write_entry(path: Path, header: dict[str, Any], content: dict[str, Any]) -> None:
    """Write an entry whose digest matches *content*, as a careful forger would: what the
    cache checks beyond the digest (shape, names, key) is then what decides."""
    body = json.dumps(content).encode("utf-8")
    header = dict(header, digest=hashlib.sha256(body).hexdigest())
    path.write_bytes(json.dumps(header).encode("utf-8") + b"\n" + body)
