"""The compile path runs on CPython's ``ast``: ``tiphys compile``, ``lint`` and ``validate``
never import libcst, for DSL files and CloudHarness files alike. libcst is for edits (the
language server's code actions)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLES, SHARED

_PROBE = """
import runpy, sys
{prelude}
sys.argv = ["tiphys", *sys.argv[1:]]
try:
    runpy.run_module("tiphys.compiler", run_name="__main__")
except SystemExit:
    pass
print("LIBCST" if "libcst" in sys.modules else "NO-LIBCST",
      "COMPILER" if "tiphys.compiler.frontend.analyse" in sys.modules
      or "tiphys.compiler.validator" in sys.modules else "NOTHING")
"""


def loaded(args: list[str], tmp_path: Path, prelude: str = "") -> str:
    """What a whole ``tiphys`` process had in ``sys.modules`` at its end (*prelude* runs
    first, in the same process)."""
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE.format(prelude=prelude), *args], capture_output=True,
        text=True, timeout=120,
        env={**os.environ, "TIPHYS_CACHE_DIR": str(tmp_path / "cache")}, cwd=tmp_path,
    )
    return proc.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("command", ["compile", "lint"])
def test_compile_and_lint_of_dsl_files_do_not_import_libcst(command: str,
                                                            tmp_path: Path) -> None:
    args = [command, str(SAMPLES / "etl.py"), str(SAMPLES / "loops.py")]
    if command == "compile":
        args += ["-o", str(tmp_path / "out")]
    assert loaded(args, tmp_path) == "NO-LIBCST COMPILER"


def test_a_file_with_a_syntax_error_does_not_import_libcst(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from tiphys import task\n\n@task\ndef f(:\n    pass\n")
    assert loaded(["lint", str(bad)], tmp_path).startswith("NO-LIBCST")


def test_validate_does_not_import_libcst(tmp_path: Path) -> None:
    example = SHARED / "argo" / "examples" / "arguments-parameters-from-configmap.yaml"
    if not example.exists():
        pytest.skip(f"reference data not found at {SHARED}")
    assert loaded(["validate", str(example)], tmp_path) == "NO-LIBCST COMPILER"


@pytest.mark.parametrize("command", ["compile", "lint"])
def test_compile_and_lint_of_cloudharness_files_do_not_import_libcst(command: str,
                                                                     tmp_path: Path) -> None:
    samples = sorted((SAMPLES / "cloudharness").glob("*.py"))
    assert samples
    args = [command, *map(str, samples)]
    if command == "compile":
        args += ["-o", str(tmp_path / "out")]
    assert loaded(args, tmp_path) == "NO-LIBCST COMPILER"
    if command == "compile":  # the CloudHarness front end did run
        assert sorted((tmp_path / "out").glob("*.yaml"))


_QUICK_FIX = """
from tiphys.compiler.lsp.fixes import fixes_for
text = "from tiphys import task\\n@task\\ndef f() -> str:\\n    return os.sep\\n"
assert [f.code for f in fixes_for(text, "TPH210", 4, 12)] == ["TPH210"]
"""


def test_the_probe_sees_libcst_when_a_quick_fix_is_built(tmp_path: Path) -> None:
    # Quick fixes edit with libcst: the probe above can fail.
    result = loaded(["lint", str(SAMPLES / "cloudharness" / "pipeline.py")], tmp_path,
                    prelude=_QUICK_FIX)
    assert result == "LIBCST COMPILER"


def test_the_language_server_imports_libcst_only_for_a_code_action() -> None:
    pytest.importorskip("pygls")
    code = """
import sys
from tiphys.compiler.lsp import server
from tiphys.compiler.lsp.analysis import analyse_document
from tiphys.compiler.lower.workflow import Settings
text = "from tiphys import task, workflow\\n@task\\ndef f() -> str:\\n    return os.sep\\n" \\
    "wf = workflow('w', f())\\n"
found = analyse_document("x.py", text, Settings())
before = "libcst" in sys.modules
server.code_actions("file:///x.py", text, [], "utf-16")
print(before, [f.diagnostic.code for f in found], "libcst" in sys.modules)
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["False", "['TPH210']", "True"]
