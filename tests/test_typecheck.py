"""DSL files type-check under mypy --strict, as a user's would after the README's install.

The package is installed into a fresh virtual environment with the README's first command, on a
copy of the project (as a fresh clone would be), once per run: it is slow (about a minute). mypy
then runs against that environment (``--python-executable``), with no path set by hand.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, SAMPLES

pytest.importorskip("mypy", reason="mypy is part of the test extra: pip install -e '.[test]'")

pytestmark = pytest.mark.slow


def readme_install() -> list[str]:
    """The ``pip install ...`` of the README's first command, as arguments."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Start here.*?```sh\n(.*?)```", text, re.S)
    assert block is not None, "README has no 'Start here' commands"
    first = block.group(1).splitlines()[0]
    install = next(part.strip() for part in first.split("&&") if "pip install" in part)
    return install.split()


@pytest.fixture(scope="module")
def user_python(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("clone")
    clone = root / "tiphys"
    clone.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, clone / name)
    for folder in ("dsl", "compiler", "schemas"):
        shutil.copytree(REPO / folder, clone / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "venv", str(root / ".venv")], check=True)
    bin_dir = root / ".venv" / "bin"
    command = readme_install()
    assert command[:3] == ["pip", "install", "-e"], command
    proc = subprocess.run([str(bin_dir / "pip"), *command[1:]], cwd=clone,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    yield str(bin_dir / "python")


def mypy(python: str, cwd: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MYPYPATH"}
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-executable",
         python, "--config-file", os.devnull, *files],
        capture_output=True, text=True, env=env, cwd=cwd, check=False,
    )


def test_samples_typecheck_strict(user_python: str, tmp_path: Path) -> None:
    proc = mypy(user_python, tmp_path, *sorted(str(p) for p in SAMPLES.glob("*.py")))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_dsl_misuse_is_caught(user_python: str, tmp_path: Path) -> None:
    """The check above can fail: a misuse of the DSL is a mypy error."""
    (tmp_path / "bad.py").write_text("from tiphys import workflow\nwf = workflow(name=3)\n")
    proc = mypy(user_python, tmp_path, "bad.py")
    assert proc.returncode == 1 and "workflow" in proc.stdout, proc.stdout


FLOW = '''from tiphys import param, pipeline, task, workflow


@task
def fetch(url: str) -> str:
    return url


@task
def train(epochs: int, lr: float = 0.1) -> str:
    return f"{epochs} at {lr}"


page = fetch(url="https://example.com")
model = train(epochs=param("epochs", default=3), lr=page)
wf = workflow("w", pipeline(page, model, {extra}))
'''


def test_a_task_keeps_its_signature_for_mypy(user_python: str, tmp_path: Path) -> None:
    """@task keeps the function's parameters: a misspelled keyword and a literal of the wrong
    type are mypy errors; a node or param(...) stands in for any value."""
    (tmp_path / "flow.py").write_text(FLOW.replace("{extra}", "train(epochs=1)"))
    clean = mypy(user_python, tmp_path, "flow.py")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (tmp_path / "flow.py").write_text(FLOW.replace("{extra}",
                                                   'fetch(ulr="x"), train(epochs="ten")'))
    proc = mypy(user_python, tmp_path, "flow.py")
    assert proc.returncode == 1
    assert 'Unexpected keyword argument "ulr"' in proc.stdout, proc.stdout
    assert 'Argument "epochs" to "__call__" of "Task" has incompatible type "str"' in \
        proc.stdout, proc.stdout
