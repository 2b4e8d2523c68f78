"""``tiphys compile`` and ``tiphys lint`` never import the language server's dependencies."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import SAMPLES

SERVER_ONLY = ("pygls", "lsprotocol", "cattrs")


def imported(args: list[str]) -> set[str]:
    """Top-level packages a whole ``tiphys`` process imported, from ``-X importtime``."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tiphys.compiler", *args],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "TIPHYS_CACHE_DIR": ""},
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    names = packages(proc.stderr)
    assert "tiphys" in names and "ast" in names  # the probe works: the compiler was imported
    return names


def packages(importtime: str) -> set[str]:
    names = set()
    for line in importtime.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


@pytest.mark.parametrize("command", ["compile", "lint"])
def test_no_server_dependency_is_imported(command: str) -> None:
    names = imported([command, str(SAMPLES / "etl.py")])
    assert not names & set(SERVER_ONLY), sorted(names & set(SERVER_ONLY))


def test_the_probe_sees_the_server_dependencies() -> None:
    # The same probe on the server's own modules finds them: the test above can fail.
    pytest.importorskip("pygls")
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import tiphys.compiler.lsp.server"],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert {"pygls", "lsprotocol"} <= packages(proc.stderr)
