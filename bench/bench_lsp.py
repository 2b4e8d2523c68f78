"""Benchmark: keystroke to published diagnostics, in a real client, with default settings.

Starts ``tiphys lsp`` as an editor does (JSON-RPC over stdio, the tests' client), opens the
~300-line file of bench_lint.py, then types: bursts of --keys keystrokes --gap seconds apart
(each one a full-text didChange, as most clients send), then a pause. For each burst it times
from the last keystroke to the publishDiagnostics of that version, and reports the median and
95th percentile over --bursts bursts. The server runs with its default debounce and with
bytecode caching on.

    python bench/bench_lsp.py [--bursts 40] [--keys 4] [--gap 0.12]

Limits (issue 11): median <= 60 ms, p95 <= 150 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "lsp"))
from bench_lint import dsl_source  # noqa: E402
from lsp_client import LspClient  # noqa: E402

#: The server runs as an installed one does: bytecode caching on, default debounce.
CHILD_ENV = {k: v for k, v in os.environ.items()
             if k not in ("PYTHONDONTWRITEBYTECODE", "TIPHYS_LSP_DEBOUNCE",
                          "TIPHYS_LSP_TIMEOUT")}


def typed(base: str, count: int) -> str:
    """*base* after *count* keystrokes: characters typed into the workflow's name."""
    return base.replace('workflow(\n    "nightly', 'workflow(\n    "nightly' + "x" * count, 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bursts", type=int, default=40)
    ap.add_argument("--keys", type=int, default=4, help="keystrokes per burst")
    ap.add_argument("--gap", type=float, default=0.12, help="seconds between keystrokes")
    args = ap.parse_args()
    base = dsl_source()
    if typed(base, 1) == base:
        raise SystemExit("the benchmark file changed: no workflow name to type into")
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        client = LspClient(env={**CHILD_ENV, "TIPHYS_CACHE_DIR": ""})
        try:
            client.initialize(Path(tmp))
            uri = (Path(tmp) / "nightly.py").as_uri()
            client.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "python", "version": 1, "text": base}})
            first = client.diagnostics(uri, version=1)
            if first["diagnostics"]:
                raise SystemExit(f"benchmark file has diagnostics: {first['diagnostics'][:2]}")
            version, keys = 1, 0
            for _ in range(args.bursts):
                for k in range(args.keys):
                    if k:
                        time.sleep(args.gap)
                    version += 1
                    keys += 1
                    client.notify("textDocument/didChange", {
                        "textDocument": {"uri": uri, "version": version},
                        "contentChanges": [{"text": typed(base, keys)}]})
                    sent = time.perf_counter()
                client.diagnostics(uri, version=version)
                latencies.append(time.perf_counter() - sent)
                time.sleep(0.3)  # the pause between two bursts
            client.shutdown()
        finally:
            client.close()
    latencies.sort()
    median = statistics.median(latencies)
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    print(f"file: {base.count(chr(10))} lines; {args.bursts} bursts of {args.keys} keystrokes "
          f"{args.gap * 1000:.0f} ms apart")
    print(f"last keystroke -> published diagnostics: median {median * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms (min {latencies[0] * 1000:.0f}, "
          f"max {latencies[-1] * 1000:.0f})")
    ok = median <= 0.060 and p95 <= 0.150
    print("within limits" if ok else "OVER LIMITS")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
