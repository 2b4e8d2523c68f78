"""Compiling never runs the user's code: module-level side effects do not happen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TRAP = '''
import os, sys
from tiphys import task, workflow, pipeline
import numpy_is_not_installed_here as np

open({marker!r}, "w").write("module level ran")
raise SystemExit("module level ran")

def side_effect():
    open({marker!r}, "w").write("default argument ran")
    return 1

@task
def t(x: int = side_effect()) -> int:
    return int(np.sum([x]))

wf = workflow("trap", pipeline(t(x=2)))
'''


def test_compiling_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "marker.txt"
    src = tmp_path / "trap.py"
    src.write_text(TRAP.format(marker=str(marker)))
    proc = subprocess.run(
        [sys.executable, "-m", "tiphys.compiler", "compile", str(src)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "name: trap" in proc.stdout
    assert "import numpy_is_not_installed_here as np" in proc.stdout  # carried, not imported
    assert not marker.exists()
