"""Benchmark: language-server latency in a real editor (headless Neovim), default settings.

Opens the ~300-line DSL file of bench/bench_lint.py in ``nvim --headless`` with tiphys as
its language server (started the way docs/lsp.md configures it), then makes --edits edits, one
character each (a digit of a module constant), waiting --gap ms between them so that each is
the last keystroke. For each edit it records, with Neovim's own clock:

keystroke  from the edit in the buffer to the next ``publishDiagnostics`` the editor receives:
           what a user sees. It includes the editor's own ``didChange`` debounce (Neovim's
           default, ``flags.debounce_text_changes``, is 150 ms in 0.7);
server     from the moment Neovim sends ``didChange`` to ``publishDiagnostics``: the server's
           share (its debounce, the analysis, the JSON-RPC round trip).

    python bench/bench_lsp_editor.py [--edits 40] [--gap 400] [--nvim nvim]

Needs Neovim 0.7 or newer (``apt-get install neovim``) and ``pip install -e '.[lsp]'``.
Prints medians and p95s in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_lint import dsl_source

LUA = r"""
local out_path = os.getenv('BENCH_OUT')
local cmd = vim.fn.json_decode(os.getenv('BENCH_CMD'))
local edits = tonumber(os.getenv('BENCH_EDITS'))
local gap = tonumber(os.getenv('BENCH_GAP'))
local row = tonumber(os.getenv('BENCH_ROW'))
local col = tonumber(os.getenv('BENCH_COL'))
local published, last_pub, sent = 0, 0, 0
local id = vim.lsp.start_client({
  name = 'tiphys', cmd = cmd, root_dir = vim.fn.getcwd(),
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      published = published + 1
      last_pub = vim.loop.hrtime()
      return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
    end,
  },
})
vim.lsp.buf_attach_client(0, id)
local client = vim.lsp.get_client_by_id(id)
local notify = client.notify
client.notify = function(method, params)
  if method == 'textDocument/didChange' then sent = vim.loop.hrtime() end
  return notify(method, params)
end
local ok = vim.wait(30000, function() return published > 0 end, 5)
local rows = {}
if ok then
  vim.wait(gap)
  for i = 1, edits do
    local before = published
    local t0 = vim.loop.hrtime()
    vim.api.nvim_buf_set_text(0, row, col, row, col + 1, { tostring(i % 10) })
    if not vim.wait(10000, function() return published > before end, 1) then break end
    table.insert(rows, { keystroke = (last_pub - t0) / 1e6, server = (last_pub - sent) / 1e6 })
    vim.wait(gap)
  end
end
local f = io.open(out_path, 'w')
f:write(vim.fn.json_encode({ started = ok, rows = rows }))
f:close()
vim.lsp.stop_client(id, true)
vim.cmd('qa!')
"""


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edits", type=int, default=40)
    ap.add_argument("--gap", type=int, default=400, help="ms between edits")
    ap.add_argument("--nvim", default="nvim")
    args = ap.parse_args()
    if shutil.which(args.nvim) is None:
        print(f"{args.nvim} not found: apt-get install neovim", file=sys.stderr)
        return 2
    text = dsl_source()
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("BATCH_SIZE = "))
    col = len("BATCH_SIZE = ")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "flow.py")
        path.write_text(text, encoding="utf-8")
        init = Path(tmp, "init.lua")
        init.write_text(LUA, encoding="utf-8")
        out = Path(tmp, "out.json")
        env = {
            **os.environ,
            "BENCH_OUT": str(out),
            "BENCH_CMD": json.dumps([sys.executable, "-c",
                                     "from tiphys.compiler.cli import main; main()", "lsp"]),
            "BENCH_EDITS": str(args.edits), "BENCH_GAP": str(args.gap),
            "BENCH_ROW": str(row), "BENCH_COL": str(col),
        }
        subprocess.run([args.nvim, "--headless", "--clean", str(path), "-c", f"luafile {init}"],
                       cwd=tmp, env=env, timeout=600, check=False,
                       stdin=subprocess.DEVNULL)
        if not out.is_file():
            print("neovim wrote no result", file=sys.stderr)
            return 1
        result = json.loads(out.read_text(encoding="utf-8"))
    rows = result["rows"]
    if not result["started"] or not rows:
        print("the server published no diagnostics", file=sys.stderr)
        return 1
    nvim = subprocess.run([args.nvim, "--version"], capture_output=True, text=True).stdout
    print(f"{nvim.splitlines()[0]}, {len(lines)}-line file, {len(rows)} edits, "
          f"{args.gap} ms apart")
    for key in ("keystroke", "server"):
        values = [r[key] for r in rows]
        print(f"{key:9}  median {statistics.median(values):6.1f} ms   "
              f"p95 {_p95(values):6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
