"""Compile-speed benchmark: whole-process time and peak RSS of `tiphys compile`, against Hera.

    python bench/bench_compile.py                 # N = 10, 100, 1000, 5000; 5 runs each
    python bench/bench_compile.py --sizes 1000 --runs 7

For each shape (chain, layered; see gen.py) and N it generates the DSL file, runs
``python -m tiphys.compiler compile FILE > /dev/null`` RUNS times and reports the median
wall time and the peak RSS of the child process (from ``wait4``). When Hera is importable
(``pip install -e '.[bench]'``) it runs the same shapes written for Hera in the same way and
prints the ratio Hera/tiphys. Children run with bytecode caching on (PYTHONDONTWRITEBYTECODE
is removed from their environment) after one untimed warm-up run, as an installed package
runs. Last, an in-process breakdown of one N=1000 compile shows where the time goes. The machine is noisy: read medians and ratios, not single runs.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen import hera_source, tiphys_source

#: Children run as an installed package does: with bytecode caching on, whatever this
#: shell says (PYTHONDONTWRITEBYTECODE would make every run compile every module again).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(argv: list[str]) -> tuple[float, float, float]:
    """(seconds, peak RSS in MB, CPU seconds: user + system) of one child process."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen(argv, stdout=sink, stderr=subprocess.PIPE, env=CHILD_ENV)
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{argv} failed ({proc.returncode}):\n{err.decode()}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def measure(argv: list[str], runs: int) -> tuple[float, float, float, float, float]:
    """Median, min and max wall seconds, peak RSS in MB, median CPU seconds."""
    run_once(argv)  # warm-up, untimed: writes the bytecode cache, fills the OS file cache
    times, rss, cpu = [], [], []
    for _ in range(runs):
        t, m, c = run_once(argv)
        times.append(t)
        rss.append(m)
        cpu.append(c)
    return statistics.median(times), min(times), max(times), max(rss), statistics.median(cpu)


def breakdown(path: Path) -> str:
    """Where the time goes, in process (imports excluded)."""
    code = f"""
import time
t0 = time.perf_counter()
from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.frontend.source import read_source
from tiphys.compiler.frontend.analyse import analyse
from tiphys.compiler.lower.workflow import Settings, lower_workflow
from tiphys.compiler.strict_schema import check_strict
from tiphys.compiler.validator import check_documents
from tiphys.compiler.emit import dump_documents
t1 = time.perf_counter()
d = Diagnostics()
s = read_source({str(path)!r}, d); t2 = time.perf_counter()
m = analyse(s, d); t3 = time.perf_counter()
lw = lower_workflow(m.workflows[0], Settings(), d); t4 = time.perf_counter()
check_strict(lw.document); t5 = time.perf_counter()
check_documents([lw.document]); t6 = time.perf_counter()
out = dump_documents([lw.document]); t7 = time.perf_counter()
parts = [("imports", t1 - t0), ("parse (ast)", t2 - t1), ("analyse", t3 - t2),
         ("lower", t4 - t3), ("strict schema", t5 - t4), ("Argo rules", t6 - t5),
         ("emit YAML", t7 - t6)]
print(" | ".join(f"{{k}} {{v:.3f}} s" for k, v in parts), f"| output {{len(out) // 1024}} KB")
"""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env=CHILD_ENV).stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,100,1000,5000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-hera", action="store_true", help="skip Hera even if installed")
    args = ap.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    hera = not args.no_hera and importlib.util.find_spec("hera") is not None
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.runs} runs each; "
          f"Hera {'installed' if hera else 'not installed (pip install -e .[bench])'}; "
          f"load average {os.getloadavg()[0]:.1f}")
    print()
    # CPU seconds (user + system, from wait4) beside wall time: on a shared machine the wall
    # time of both tools grows with the load, their CPU time much less.
    print("| shape | N | tiphys median s (min-max) | tiphys CPU s | tiphys peak RSS MB | "
          "Hera median s | Hera CPU s | Hera peak RSS MB | Hera / tiphys (wall) | "
          "Hera / tiphys (CPU) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    medians: dict[tuple[str, int], float] = {}
    for shape in ("chain", "layered"):
        for n in sizes:
            src = tmp / f"tiphys_{shape}_{n}.py"
            src.write_text(tiphys_source(shape, n))
            med, lo, hi, rss, cpu = measure([sys.executable, "-m", "tiphys.compiler",
                                             "compile", str(src)], args.runs)
            medians[(shape, n)] = med
            row = f"| {shape} | {n} | {med:.2f} ({lo:.2f}-{hi:.2f}) | {cpu:.2f} | {rss:.0f} |"
            if hera:
                hsrc = tmp / f"hera_{shape}_{n}.py"
                hsrc.write_text(hera_source(shape, n))
                hmed, _, _, hrss, hcpu = measure([sys.executable, str(hsrc)], args.runs)
                row += (f" {hmed:.2f} | {hcpu:.2f} | {hrss:.0f} | {hmed / med:.1f}x |"
                        f" {hcpu / cpu:.1f}x |")
            else:
                row += " - | - | - | - | - |"
            print(row, flush=True)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} (1 min), "
          f"{os.getloadavg()[1]:.1f} (5 min)")
    for shape in ("chain", "layered"):
        if (shape, 1000) in medians and (shape, 5000) in medians:
            ratio = medians[(shape, 5000)] / medians[(shape, 1000)]
            print(f"{shape}: time(5000) / time(1000) = {ratio:.1f} (5.0 would be linear "
                  "with no fixed cost)")
    if 1000 in sizes:
        print()
        for shape in ("chain", "layered"):
            print(f"{shape} N=1000 in process: {breakdown(tmp / f'tiphys_{shape}_1000.py')}")


if __name__ == "__main__":
    main()
