"""Benchmark: `tiphys compile` over a project of 200 DSL files, cold and warm cache.

Generates a project (pyproject.toml with [tool.tiphys], a .git folder, flows/ with N files of
30-60 lines and 3-6 tasks each: pipelines, parallel groups and DAGs, parameters, a carried
import and constant, bash steps), then times whole processes, start-up included:

  cold   the compile cache emptied before each run (compile everything, write the cache)
  warm   a second run over the unchanged tree (every file a cache hit)

for the pre-commit/CI form (`compile --check`, paths and output from the config) and the
stdout form (`compile flows`). Median of --runs runs each. Cold and warm outputs are compared
byte for byte, and the warm run must not import libcst, yaml, jsonschema or the validator.

    python bench/bench_cache.py [--files 200] [--runs 5] [--keep DIR] [--bytecode]

--bytecode lets the timed processes cache byte-code (drops PYTHONDONTWRITEBYTECODE, which
some environments set): an installed tiphys has its .pyc files, a source checkout run with
that variable compiles tiphys' own modules from source on every start (about 15 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The interpreter running this script, so no shell shim (pyenv, venv wrappers) is timed.
CLI = [sys.executable, "-c", "from tiphys.compiler.cli import main; main()"]
# The cache must be the project's .tiphys_cache, which the cold runs delete.
ENV = {k: v for k, v in os.environ.items() if k != "TIPHYS_CACHE_DIR"}
HEAVY = ("libcst", "yaml", "jsonschema", "tiphys.compiler.validator", "tiphys.compiler.commands.pipeline")

_VERBS = ["fetch", "clean", "score", "merge", "rank", "split", "train", "check", "report", "load"]


def flow_source(i: int, rng: random.Random) -> str:
    """One realistic DSL file: 3-6 tasks, a shape chosen per file."""
    n = rng.randint(3, 6)
    shape = ("pipeline", "parallel", "dag")[i % 3]
    names = [f"{rng.choice(_VERBS)}_{i}_{k}" for k in range(n)]
    out = [f'"""Flow {i}: {shape} of {n} steps."""', "", "import json", "",
           "from tiphys import bash, dag, parallel, param, pipeline, task, workflow", "",
           f"LIMIT = {rng.randint(5, 500)}", "", ""]
    out += ["@task", f"def {names[0]}(rows: int) -> list[int]:",
            "    # Deterministic stand-in for a query.",
            "    return [(r * 37) % LIMIT for r in range(rows)]", "", ""]
    for name in names[1:-1]:
        out += [f"@task(retries={rng.randint(0, 3)}, memory=\"{rng.choice((128, 256, 512))}Mi\")",
                f"def {name}(values: list[int], factor: int = {rng.randint(1, 9)}) -> list[int]:",
                "    kept = [v * factor for v in values if v % 2 == 0]",
                "    print(json.dumps({'kept': len(kept)}))",
                "    return kept", "", ""]
    out += ["@task", f"def {names[-1]}(*, total: int) -> str:",
            "    return f\"total={total}\"", "", ""]
    out += [f"first = {names[0]}(rows=param(\"rows\", default={rng.randint(10, 99)}))"]
    mids = []
    for k, name in enumerate(names[1:-1]):
        src = "first" if shape != "pipeline" or k == 0 else f"m{k - 1}"
        out.append(f"m{k} = {name}(values={src})")
        mids.append(f"m{k}")
    out.append(f"done = {names[-1]}(total=param(\"total\", default={rng.randint(1, 9)}))")
    out.append(f"note = bash(\"note-{i}\", \"echo flow {i} finished\")")
    if shape == "pipeline":
        body = f"pipeline(first, {', '.join(mids)}, done, note)" if mids else "pipeline(first, done, note)"
    elif shape == "parallel":
        inner = f"parallel({', '.join(mids)})" if len(mids) > 1 else (mids[0] if mids else "done")
        body = f"pipeline(first, {inner}, done, note)"
    else:
        body = f"dag({', '.join(mids) or 'first'}, done, note)"
    out += ["", "wf = workflow(", f"    \"flow-{i}\",", f"    {body},",
            f"    labels={{\"team\": \"team-{i % 7}\"}},", ")"]
    return "\n".join(out) + "\n"


def make_project(root: Path, files: int) -> None:
    rng = random.Random(20240611)
    (root / ".git").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "bench-flows"\nversion = "0"\n\n'
        '[tool.tiphys]\npaths = ["flows"]\noutput = "deploy/argo"\nnamespace = "argo"\n',
        encoding="utf-8")
    flows = root / "flows"
    flows.mkdir()
    for i in range(files):
        (flows / f"flow_{i:03d}.py").write_text(flow_source(i, rng), encoding="utf-8")


def run(root: Path, args: list[str], *, probe: bool = False) -> tuple[float, subprocess.CompletedProcess[str]]:
    cmd = CLI
    if probe:  # the same command, reporting which heavy modules got imported
        cmd = [sys.executable, "-c",
               "import sys\nfrom tiphys.compiler.cli import main\ntry:\n    main()\nfinally:\n"
               f"    print('IMPORTED', sorted(m for m in sys.modules if m.startswith({HEAVY!r})),"
               " file=sys.stderr)"]
    t0 = time.perf_counter()
    proc = subprocess.run([*cmd, *args], cwd=root, capture_output=True, text=True, check=False,
                          env=ENV)
    return time.perf_counter() - t0, proc


def measure(root: Path, args: list[str], runs: int, label: str) -> tuple[float, float]:
    cache = root / ".tiphys_cache"
    cold, warm = [], []
    cold_out = None
    for _ in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        t, proc = run(root, args)
        cold.append(t)
        cold_out = (proc.returncode, proc.stdout, proc.stderr)
    for _ in range(runs):
        t, proc = run(root, args)
        warm.append(t)
        if (proc.returncode, proc.stdout, proc.stderr) != cold_out:
            raise SystemExit(f"{label}: warm output differs from cold output")
    _, probe = run(root, args, probe=True)
    imported = probe.stderr.rsplit("IMPORTED", 1)[-1].strip()
    if imported != "[]":
        raise SystemExit(f"{label}: the warm run imported {imported}")
    print(f"{label}: exit={cold_out[0] if cold_out else '?'}")
    print(f"  cold: median {statistics.median(cold):.3f} s  ({' '.join(f'{t:.3f}' for t in cold)})")
    print(f"  warm: median {statistics.median(warm):.3f} s  ({' '.join(f'{t:.3f}' for t in warm)})")
    return statistics.median(cold), statistics.median(warm)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="generate the project here and keep it")
    ap.add_argument("--bytecode", action="store_true",
                    help="let the timed processes write and use .pyc files")
    args = ap.parse_args()
    if args.bytecode:
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    root = args.keep or Path(tempfile.mkdtemp(prefix="tiphys-bench-cache-"))
    try:
        if root.exists() and any(root.iterdir()):
            shutil.rmtree(root)
        make_project(root, args.files)
        lines = [len(p.read_text().splitlines()) for p in (root / "flows").glob("*.py")]
        print(f"files={args.files} lines/file={min(lines)}-{max(lines)} runs={args.runs} "
              f"python={sys.version.split()[0]} "
              f"bytecode={'off' if ENV.get('PYTHONDONTWRITEBYTECODE') else 'on'}")
        # Write deploy/argo first, so that --check has something to compare with.
        _, proc = run(root, ["compile"])
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 2
        run(root, ["--version"])  # warm the OS file cache
        times = [run(root, ["--version"])[0] for _ in range(args.runs)]
        print(f"baseline `tiphys --version`: median {statistics.median(times):.3f} s")
        times = [run(root, ["compile", "--check", "--no-cache"])[0] for _ in range(args.runs)]
        print(f"reference `compile --check --no-cache`: median {statistics.median(times):.3f} s")
        _, warm_check = measure(root, ["compile", "--check"], args.runs, "compile --check (config)")
        measure(root, ["compile", "flows"], args.runs, "compile flows (stdout)")
        return 0 if warm_check < 0.3 else 1
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
