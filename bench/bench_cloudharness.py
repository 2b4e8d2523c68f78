"""Benchmark: `tiphys compile` of the CloudHarness samples, whole process.

For each ``samples/cloudharness/*.py`` (or the files given), times ``tiphys compile --no-cache
FILE`` as a fresh process, start-up and imports included, median of --runs runs after one
untimed warm-up run, with bytecode caching on (as an installed package runs:
PYTHONDONTWRITEBYTECODE is removed from the children's environment). Also reports whether
the compile imported libcst (it should not: the CloudHarness front end runs on ``ast``).

    python bench/bench_cloudharness.py [--runs 5] [FILE ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The interpreter running this script, so no shell shim (pyenv, venv wrappers) is timed.
CLI = [sys.executable, "-c", "from tiphys.compiler.cli import main; main()"]
PROBE = [sys.executable, "-c",
         "import sys\nfrom tiphys.compiler.cli import main\n"
         "try:\n    main()\nexcept SystemExit:\n    pass\n"
         "print('libcst' in sys.modules, file=sys.stderr)"]
#: Children run with bytecode caching on, whatever this shell says.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(path: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([*CLI, "compile", "--no-cache", str(path)], cwd=path.parent,
                          env=CHILD_ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{path}: exit {done.returncode}\n{done.stderr}")
    return elapsed


def imports_libcst(path: Path) -> bool:
    done = subprocess.run([*PROBE, "compile", "--no-cache", str(path)], cwd=path.parent,
                          env=CHILD_ENV, capture_output=True, text=True)
    return done.stderr.strip().splitlines()[-1] == "True"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "samples" / "cloudharness").glob("*.py"))
    print("| file | median s | min-max s | imports libcst |")
    print("|---|---|---|---|")
    medians = []
    for path in files:
        path = path.resolve()
        run_once(path)  # warm-up: writes the .pyc files
        times = [run_once(path) for _ in range(args.runs)]
        medians.append(statistics.median(times))
        print(f"| {path.name} | {medians[-1]:.3f} | {min(times):.3f}-{max(times):.3f} | "
              f"{'yes' if imports_libcst(path) else 'no'} |")
    print(f"\nmedian over files: {statistics.median(medians):.3f} s "
          f"({args.runs} runs each, load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
