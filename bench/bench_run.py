"""`tiphys run` engine benchmark: how long the local engine takes per node, and what real
parallelism buys.

    python bench/bench_run.py                 # N = 10, 50; 5 runs each
    python bench/bench_run.py --sizes 100 --runs 3

Two documents per N, written directly as Argo dicts (the engine runs documents): a *chain*
of N steps (each waits for the previous one) and a *fan-out* of N steps in one group, each a
Python script that sleeps 0.2 s. It reports the median wall time of the engine (in process,
compile excluded), the overhead per node on the chain (time minus N * 0.2 s, over N), and the
fan-out's time with -j 1, -j 2 and -j 4. Each script is a real interpreter start-up, which is
most of the overhead. The machine is noisy: read medians, not single runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tiphys.compiler.run import RunOptions, run_document

SLEEP = 0.2


def document(n: int, chain: bool) -> dict[str, Any]:
    step = {"template": "nap"}
    steps = [[{"name": f"s{i}", **step}] for i in range(n)] if chain else \
        [[{"name": f"s{i}", **step} for i in range(n)]]
    nap = {"name": "nap", "script": {"image": "python:3.12", "command": ["python"],
                                     "source": f"import time\ntime.sleep({SLEEP})\n"}}
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
            "metadata": {"name": "bench"},
            "spec": {"entrypoint": "main", "templates": [{"name": "main", "steps": steps}, nap]}}


def timed(doc: dict[str, Any], jobs: int | None, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            result = run_document(doc, RunOptions(Path(tmp), jobs=jobs, python=sys.executable))
            out.append(time.perf_counter() - start)
            assert result.phase == "Succeeded", result.message
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("| N | chain median s | overhead per node ms | fan-out -j 1 s | -j 2 s | -j 4 s |")
    print("|---|---|---|---|---|---|")
    for n in args.sizes:
        chain = statistics.median(timed(document(n, True), 1, args.runs))
        fan = [statistics.median(timed(document(n, False), j, args.runs)) for j in (1, 2, 4)]
        overhead = (chain - n * SLEEP) / n * 1000
        print(f"| {n} | {chain:.2f} | {overhead:.0f} | {fan[0]:.2f} | {fan[1]:.2f} | {fan[2]:.2f} |")


if __name__ == "__main__":
    main()
