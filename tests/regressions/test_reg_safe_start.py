"""Regression (issue 9, item 3): ``python -m tiphys.compiler`` ran a ``tiphys.py`` found in
the working directory, because ``python -m`` puts that folder first on the import path. The
``tiphys-safe-start.pth`` file installed with tiphys takes it off before anything is imported
(see tiphys.compiler.safe_start)."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from tiphys.compiler.safe_start import module_to_run, wanted

TIMEOUT = 60
#: Modules a hostile folder could plant: the package itself, what the CLI imports, and
#: runpy, which ``python -m`` imports first.
PLANTED = ("tiphys", "click", "yaml", "libcst", "runpy", "json")
FLOW = '''from tiphys import task, workflow


@task
def hello() -> None:
    print("hi")


wf = workflow("hello", hello())
'''


def _hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "checkout"
    folder.mkdir()
    for name in PLANTED:
        marker = tmp_path / f"ran-{name}"
        (folder / f"{name}.py").write_text(
            f"open({str(marker)!r}, 'w').close()\nraise SystemExit('hostile {name}.py ran')\n")
    (folder / "flow.py").write_text(FLOW)
    return folder


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSAFEPATH", "PYTHONPATH")}
    env["TIPHYS_CACHE_DIR"] = ""
    return env


def _ran(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.glob("ran-*"))


def test_the_start_up_file_is_installed() -> None:
    folders = [*site.getsitepackages(), site.getusersitepackages()]
    found = [f for f in folders if os.path.isfile(os.path.join(f, "tiphys-safe-start.pth"))]
    assert found, ("tiphys-safe-start.pth is not in site-packages: this environment's tiphys "
                   "was installed before setup.py added it; reinstall (pip install -e .)")


@pytest.mark.parametrize("argv", [
    ["-m", "tiphys.compiler", "compile", "flow.py"],
    ["-Im", "tiphys.compiler", "compile", "flow.py"],            # isolated: nothing added
    ["-X", "utf8", "-W", "ignore", "-mtiphys.compiler", "compile", "flow.py"],
    ["-B", "-m", "tiphys.compiler", "lint", "flow.py"],
])
def test_python_m_never_imports_from_the_working_directory(tmp_path: Path,
                                                           argv: list[str]) -> None:
    folder = _hostile_folder(tmp_path)
    run = subprocess.run([sys.executable, *argv], cwd=folder, capture_output=True, text=True,
                         timeout=TIMEOUT, env=_env(), stdin=subprocess.DEVNULL)
    assert _ran(tmp_path) == [], run.stderr
    assert run.returncode == 0, run.stderr
    assert "hostile" not in run.stderr


def test_the_console_script_never_imports_from_the_working_directory(tmp_path: Path) -> None:
    script = shutil.which("tiphys", path=os.path.dirname(sys.executable))
    if script is None:
        pytest.skip("no tiphys console script beside this interpreter")
    folder = _hostile_folder(tmp_path)
    run = subprocess.run([script, "compile", "flow.py"], cwd=folder, capture_output=True,
                         text=True, timeout=TIMEOUT, env=_env(), stdin=subprocess.DEVNULL)
    assert _ran(tmp_path) == [] and run.returncode == 0, run.stderr


def test_other_programs_keep_the_working_directory(tmp_path: Path) -> None:
    # The guard is for tiphys' own -m only: python -c and other modules behave as always.
    folder = tmp_path / "w"
    folder.mkdir()
    (folder / "localmod.py").write_text("VALUE = 42\n")
    code = "import localmod, sys; print(localmod.VALUE)"
    run = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True,
                         text=True, timeout=TIMEOUT, env=_env())
    assert run.stdout.strip() == "42", run.stderr


@pytest.mark.parametrize(("argv", "module"), [
    (["python", "-m", "tiphys.compiler", "x"], "tiphys.compiler"),
    (["python", "-mtiphys.compiler"], "tiphys.compiler"),
    (["python", "-Im", "tiphys"], "tiphys"),
    (["python", "-X", "dev", "-W", "error", "-m", "pytest"], "pytest"),
    (["python", "-Xdev", "-m", "pytest"], "pytest"),
    (["python", "--check-hash-based-pycs", "always", "-m", "tiphys.compiler"],
     "tiphys.compiler"),
    (["python", "-c", "import tiphys", "-m", "tiphys.compiler"], None),
    (["python", "script.py", "-m", "tiphys.compiler"], None),
    (["python", "-"], None),
    (["python"], None),
    (["python", "-m"], None),
])
def test_module_to_run(argv: list[str], module: str | None) -> None:
    assert module_to_run(argv) == module
    assert wanted(argv) == (module is not None and module.split(".")[0] == "tiphys")
