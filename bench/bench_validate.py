"""Benchmark `tiphys validate` in ONE process per run, start-up included.

Two cases, each run --runs times as a subprocess; reported are the medians of whole-process
wall time, of the child's CPU time (user + system: on a shared, busy machine the wall time
grows with the load average, which is printed too, the CPU time much less) and of its peak
resident memory (ru_maxrss):

* examples: every upstream Argo example file (223 documents in 212 files) in one batch;
* large:    one generated Workflow of about --large-mb megabytes (default 50), written to a
            temporary file.

    python bench/bench_validate.py [--runs 5] [--examples DIR] [--large-mb 50]
                                   [--shape typical|dense] [--skip-large] [-- validate args]

The large document is a Workflow with one steps template calling thousands of templates
(containers with arguments, env, resources, volume mounts and outputs; scripts with their
source), so every stage (YAML, strict decoding, the rules) does work; --shape dense leaves the
scripts out, for the worst case of many small nodes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_EXAMPLES = REPO.parent / "shared" / "argo" / "examples"
# The interpreter running this script, so no shell shim (pyenv, venv wrappers) is timed.
CLI = [sys.executable, "-c", "from tiphys.compiler.cli import main; main()"]

_TEMPLATE = """  - name: work-{i}
    inputs:
      parameters:
      - name: message
      - name: count
        value: "{i}"
    container:
      image: registry.example.com/team/worker:1.{i}
      command: [sh, -c]
      args: ["echo {{{{inputs.parameters.message}}}} {{{{inputs.parameters.count}}}} > /tmp/out"]
      env:
      - {{name: WORKER_INDEX, value: "{i}"}}
      - {{name: POD, valueFrom: {{fieldRef: {{fieldPath: metadata.name}}}}}}
      resources:
        requests: {{cpu: 100m, memory: 64Mi}}
        limits: {{cpu: 500m, memory: 256Mi}}
      volumeMounts:
      - {{name: scratch, mountPath: /scratch}}
    outputs:
      parameters:
      - name: out
        valueFrom: {{path: /tmp/out}}
"""
_SCRIPT = """  - name: report-{i}
    inputs:
      parameters:
      - name: message
    script:
      image: python:3.12-slim
      command: [python]
      source: |
        # Summarise the rows of one partition and print the summary as JSON.
        #
        # The partition index comes from the workflow; the message from the caller. Rows are
        # generated here so that the example is self-contained; a real job would read them
        # from the input artifact mounted under /data and write its report next to it.
        import json
        import os
        import sys

        def summarise(rows):
            total = sum(r["value"] for r in rows)
            return {{"rows": len(rows), "total": total, "mean": total / max(len(rows), 1)}}

        rows = [{{"name": f"row-{{n}}", "value": n * {i}}} for n in range(100)]
        summary = summarise(rows)
        summary["message"] = "{{{{inputs.parameters.message}}}}"
        json.dump(summary, sys.stdout)
        print(os.environ.get("HOSTNAME", "unknown"), file=sys.stderr)
"""
_SCRIPT_STEP = """    - - name: report-{i}
        template: report-{i}
        arguments:
          parameters:
          - {{name: message, value: "report {i}"}}
"""
_STEP = """    - - name: step-{i}
        template: work-{i}
        arguments:
          parameters:
          - {{name: message, value: "hello from step {i}"}}
"""


def large_workflow(target_bytes: int, shape: str = "typical") -> str:
    """A valid Workflow of about *target_bytes*.

    ``dense``: container templates and the steps calling them only, about 9 bytes of YAML per
    node. ``typical`` (the default): each container template comes with a script template
    (a Python source of 22 lines), about 16 bytes per node, as dense as Argo's own examples
    (320 KB for 19,219 nodes).
    """
    units = [(_STEP, _TEMPLATE)]
    if shape == "typical":
        units.append((_SCRIPT_STEP, _SCRIPT))
    per = sum(len(a.format(i=10**5)) + len(b.format(i=10**5)) for a, b in units)
    n = max(1, target_bytes // per)
    head = ("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n"
            "  generateName: large-\nspec:\n  entrypoint: main\n  volumes:\n"
            "  - name: scratch\n    emptyDir: {}\n  templates:\n  - name: main\n    steps:\n")
    parts = [head]
    parts += [step.format(i=i) for i in range(n) for step, _ in units]
    parts += [tmpl.format(i=i) for i in range(n) for _, tmpl in units]
    return "".join(parts)


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child
    rss_mb: float  # peak resident memory (Linux reports ru_maxrss in KiB)
    code: int
    stdout: str


def run_once(cmd: list[str]) -> Run:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode not in (0, 1):
            print(err.read().decode(), file=sys.stderr)
            raise SystemExit(2)
        return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                   proc.returncode, out.read().decode())


def report(name: str, runs: list[Run]) -> None:
    last = runs[-1]
    lines = last.stdout.splitlines()
    print(f"{name}: runs={len(runs)} exit={last.code} diagnostics={len(lines)}")
    for line in lines[:3] if name.startswith("large") else []:
        print("  " + line[:160])
    print("  wall s: " + " ".join(f"{r.wall:.2f}" for r in runs))
    print(f"  median wall s: {statistics.median(r.wall for r in runs):.2f}   "
          f"median CPU s: {statistics.median(r.cpu for r in runs):.2f}   "
          f"median peak RSS MB: {statistics.median(r.rss_mb for r in runs):.0f}")
    print(f"  load average at the end: {os.getloadavg()[0]:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--examples", type=Path, default=DEFAULT_EXAMPLES)
    ap.add_argument("--large-mb", type=float, default=50.0)
    ap.add_argument("--shape", choices=["typical", "dense"], default="typical",
                    help="node density of the large document (see large_workflow)")
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("extra", nargs="*", help="extra arguments for `tiphys validate`")
    args = ap.parse_args()
    if not args.examples.is_dir():
        print(f"examples not found: {args.examples}", file=sys.stderr)
        return 2
    files = sorted(str(p) for p in args.examples.rglob("*.yaml"))
    cmd = [*CLI, "validate", *args.extra, *files]
    report(f"examples ({len(files)} files)", [run_once(cmd) for _ in range(args.runs)])
    if args.skip_large:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "large.yaml"
        big.write_text(large_workflow(int(args.large_mb * 1_000_000), args.shape),
                       encoding="utf-8")
        size_mb = big.stat().st_size / 1_000_000
        cmd = [*CLI, "validate", *args.extra, str(big)]
        report(f"large ({size_mb:.1f} MB, {args.shape}, one Workflow)",
               [run_once(cmd) for _ in range(args.runs)])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
