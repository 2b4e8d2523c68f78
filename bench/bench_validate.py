"""Benchmark: validate all of Argo's example documents in ONE process, start-up included.

Spawns the CLI as a subprocess 5 times over every example file (223 documents in 212 files)
and prints the median whole-process wall time. By default only the semantic checks run (the
project's default); pass --schema / --crd to time those too.

    python bench/bench_validate.py [--runs 5] [--examples DIR] [-- extra validate args]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_EXAMPLES = REPO.parent / "shared" / "argo" / "examples"
# The interpreter running this script, so no shell shim (pyenv, venv wrappers) is timed.
CLI = [sys.executable, "-c", "from tiphys.compiler.cli import main; main()"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--examples", type=Path, default=DEFAULT_EXAMPLES)
    ap.add_argument("extra", nargs="*", help="extra arguments for `tiphys validate`")
    args = ap.parse_args()
    if not args.examples.is_dir():
        print(f"examples not found: {args.examples}", file=sys.stderr)
        return 2
    files = sorted(str(p) for p in args.examples.rglob("*.yaml"))
    cmd = [*CLI, "validate", *args.extra, *files]
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - t0)
        if proc.returncode not in (0, 1):
            print(proc.stderr, file=sys.stderr)
            return 2
    n_diag = len(proc.stdout.splitlines())  # validate reports on stdout
    print(f"files={len(files)} runs={args.runs} exit={proc.returncode} diagnostics={n_diag}")
    print("times: " + " ".join(f"{t:.3f}" for t in times))
    print(f"median whole-process seconds: {statistics.median(times):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
