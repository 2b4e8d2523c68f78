"""The language server in a real editor: headless Neovim (Debian's ``neovim``) attaches
``tiphys lsp`` with default client settings, shows its diagnostics at the right place (Neovim
converts the server's UTF-16 columns to bytes, so a line with an emoji before the error checks
the conversion end to end), and applies the "add the import" quick fix to the buffer.

Skips, with the reason, when ``nvim`` or pygls is not installed. Every wait is bounded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the language server needs the lsp extra (pygls)")
NVIM = shutil.which("nvim")
pytestmark = pytest.mark.skipif(NVIM is None, reason="neovim not installed (apt-get install "
                                "neovim): the real-editor test needs it")

SOURCE = '''from tiphys import pipeline, task, workflow


@task
def fetch(url: str) -> str:
    banner = "😀 fetched"; return json.dumps({"url": url})


page = fetch(url="https://example.com")
wf = workflow("in-neovim", pipeline(page))
'''

LUA = r"""
local out_path = os.getenv('TEST_OUT')
local cmd = vim.fn.json_decode(os.getenv('TEST_CMD'))
local result = {}
local id = vim.lsp.start_client({ name = 'tiphys', cmd = cmd, root_dir = vim.fn.getcwd() })
vim.lsp.buf_attach_client(0, id)
result.attached = vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 10)
result.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, end_col = d.end_col,
                                     code = d.code, message = d.message })
end
local first = nil
for _, d in ipairs(vim.diagnostic.get(0)) do
  if d.code == 'TPH210' then first = d end
end
if first then
  local params = vim.lsp.util.make_range_params()
  params.range = { start = { line = first.lnum, character = 0 },
                   ['end'] = { line = first.lnum + 1, character = 0 } }
  -- Neovim 0.7 echoes the diagnostics with byte columns (not the UTF-16 ones it was sent):
  -- the server must still find the fix.
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(0, first.lnum) }
  local replies = vim.lsp.buf_request_sync(0, 'textDocument/codeAction', params, 10000) or {}
  result.titles = {}
  for _, reply in pairs(replies) do
    for _, action in ipairs(reply.result or {}) do
      table.insert(result.titles, action.title)
      if action.edit and action.title:find('import json') then
        vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
      end
    end
  end
  result.text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, true), '\n')
  -- After the fix the server re-analyses the changed buffer: the error goes away.
  result.fixed = vim.wait(15000, function()
    for _, d in ipairs(vim.diagnostic.get(0)) do
      if d.code == 'TPH210' then return false end
    end
    return true
  end, 10)
end
local f = io.open(out_path, 'w')
f:write(vim.fn.json_encode(result))
f:close()
vim.lsp.stop_client(id, true)
vim.cmd('qa!')
"""


def _run_neovim(tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "flow.py"
    path.write_text(SOURCE, encoding="utf-8")
    script = tmp_path / "attach.lua"
    script.write_text(LUA, encoding="utf-8")
    out = tmp_path / "out.json"
    env = {**os.environ, "TEST_OUT": str(out), "TEST_CMD": json.dumps(
        [sys.executable, "-c", "from tiphys.compiler.cli import main; main()", "lsp"])}
    assert NVIM is not None
    subprocess.run([NVIM, "--headless", "--clean", str(path), "-c", f"luafile {script}"],
                   cwd=tmp_path, env=env, timeout=120, check=False, stdin=subprocess.DEVNULL,
                   capture_output=True)
    assert out.is_file(), "neovim wrote no result"
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def test_diagnostics_and_quick_fix_in_neovim(tmp_path: Path) -> None:
    result = _run_neovim(tmp_path)
    assert result["attached"], "no diagnostics reached the editor"
    undefined = [d for d in result["diagnostics"] if d["code"] == "TPH210"]
    assert len(undefined) == 1, result["diagnostics"]
    line = SOURCE.splitlines()[5]
    # Neovim's columns are byte offsets into the line: the emoji is 4 bytes in UTF-8, 2 code
    # units in UTF-16 (what the server sends), 1 character in Python.
    start = len(line[: line.index("json.dumps")].encode("utf-8"))
    assert (undefined[0]["lnum"], undefined[0]["col"]) == (5, start)
    assert undefined[0]["end_col"] == start + len("json")
    assert "json" in undefined[0]["message"]
    assert "Add 'import json' inside 'fetch'" in result["titles"]
    assert "    import json\n" in result["text"] + "\n"
    assert result["fixed"], "the error stayed after the quick fix"
