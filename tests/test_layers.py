"""The stages' import contracts hold: imports run only downward (pyproject.toml's
[tool.importlinter], explained in docs/architecture.md).

import-linter scans packages on disk, and the editable install maps ``tiphys`` to dsl/ and
``tiphys.compiler`` to compiler/, two separate folders it cannot see as one package. The test
lays the tree out as an installed wheel (symlinks, as .ci/typecheck does for mypy) and runs
``lint-imports`` there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _wheel_tree(tmp: Path) -> Path:
    root = tmp / "site"
    shutil.copytree(REPO / "dsl", root / "tiphys", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "compiler", root / "tiphys" / "compiler",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "schemas", root / "tiphys" / "schemas")
    return root


def _lint_imports(root: Path, config: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([exe, str(config), "--no-cache"], cwd=root, env=env, text=True,
                          capture_output=True, timeout=300)


def test_import_contracts_hold(tmp_path: Path) -> None:
    root = _wheel_tree(tmp_path)
    result = _lint_imports(root, REPO / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_a_back_arrow_breaks_the_contract(tmp_path: Path) -> None:
    """The check can fail: an IR module that imports the lowering is reported."""
    root = _wheel_tree(tmp_path)
    ir_core = root / "tiphys" / "compiler" / "ir" / "core.py"
    ir_core.write_text(ir_core.read_text() + "\nfrom tiphys.compiler.lower import workflow\n")
    result = _lint_imports(root, REPO / "pyproject.toml")
    assert result.returncode != 0
    assert "tiphys.compiler.ir.core -> tiphys.compiler.lower.workflow" in result.stdout


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    """A folder of modules missing from ``packages`` installs fine in editable mode and is
    absent from the wheel users get: every package under dsl/ and compiler/ must be listed."""
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = set()
    for top, name in (("dsl", "tiphys"), ("compiler", "tiphys.compiler")):
        for init in (REPO / top).rglob("__init__.py"):
            rel = init.parent.relative_to(REPO / top).parts
            if "__pycache__" not in rel:
                found.add(".".join((name, *rel)))
    assert found <= listed, sorted(found - listed)
