"""The language server end to end: a real client speaking JSON-RPC over stdio to
``python -m tiphys.compiler lsp``. Every wait is bounded (see lsp_client.TIMEOUT)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lsp_client import LspClient, apply_edits

pytest.importorskip("pygls", reason="the language server needs the lsp extra (pygls)")

BUGGY = '''from tiphys import pipeline, task, workflow

LIMIT = compute_limit()


@task
def fetch(url: str) -> str:
    """Fetch a page."""
    banner = "😀 fetched"; return json.dumps({"url": url, "limit": LIMIT})


@task
def shout(text: str) -> None:
    print(text.upper())


page = fetch(url="https://example.com")
wf = workflow("bug", pipeline(page, shout(text=page)))
'''
CLEAN = BUGGY.replace("LIMIT = compute_limit()", "LIMIT = 10").replace(
    'banner = "😀 fetched"; return json.dumps', 'import json\n    return json.dumps')


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "TIPHYS_CACHE_DIR": "", **extra}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[LspClient]:
    c = LspClient(env=env())
    try:
        c.initialize(tmp_path)
        yield c
    finally:
        c.close()


def by_code(params: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["code"]: d for d in params["diagnostics"]}


def test_initialize_capabilities(tmp_path: Path) -> None:
    # --stdio is accepted (and ignored) for clients that always pass it.
    c = LspClient([sys.executable, "-m", "tiphys.compiler", "lsp", "--stdio"], env=env())
    try:
        result = c.initialize(tmp_path)
        caps = result["capabilities"]
        assert caps["positionEncoding"] == "utf-16"
        assert caps["textDocumentSync"]["openClose"] is True
        assert caps["textDocumentSync"]["change"] == 2  # incremental
        assert caps["codeActionProvider"]["codeActionKinds"] == ["quickfix"]
        assert result["serverInfo"]["name"] == "tiphys"
        assert c.shutdown() == 0
    finally:
        c.close()


def test_session_diagnostics_fixes_and_close(client: LspClient, tmp_path: Path) -> None:
    path = tmp_path / "flow.py"
    path.write_text(BUGGY, encoding="utf-8")
    uri = path.as_uri()
    text = BUGGY
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": text}})
    published = client.diagnostics(uri)
    assert published["version"] == 1
    found = by_code(published)
    assert {"TPH210", "TPH216"} <= set(found)
    undefined = found["TPH210"]
    line = text.splitlines()[8]
    col = line.index("json")
    # After the emoji (two UTF-16 code units), LSP characters are one more than code points.
    assert undefined["range"] == {"start": {"line": 8, "character": col + 1},
                                  "end": {"line": 8, "character": col + 5}}
    assert undefined["severity"] == 1 and undefined["source"] == "tiphys"
    assert undefined["codeDescription"]["href"].endswith("/docs/codes.md#tph210")

    # Quick fix 1: import json inside the task.
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": undefined["range"],
        "context": {"diagnostics": [undefined]}})
    assert [a["title"] for a in actions] == ["Add 'import json' inside 'fetch'"]
    assert actions[0]["kind"] == "quickfix"
    text = apply_edits(text, actions[0]["edit"]["changes"][uri])
    assert '    """Fetch a page."""\n    import json\n' in text
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text}]})
    published = client.diagnostics(uri, version=2)
    assert "TPH210" not in by_code(published)
    variable = by_code(published)["TPH216"]

    # Quick fix 2, with no diagnostics in the context (the server uses what it published).
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": variable["range"],
        "context": {"diagnostics": []}})
    assert [a["title"] for a in actions] == [
        "Make 'LIMIT' a parameter of task 'fetch' (a workflow parameter)"]
    text = apply_edits(text, actions[0]["edit"]["changes"][uri])
    assert 'page = fetch(url="https://example.com", LIMIT=param("LIMIT"))' in text
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": text}]})
    assert client.diagnostics(uri, version=3)["diagnostics"] == []

    # An incremental edit at a UTF-16 position: break the name again, right after the emoji.
    line = text.splitlines()[9]
    assert line.startswith('    banner = "😀 fetched"')
    start = line.index("json") + 1  # UTF-16
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 4},
        "contentChanges": [{"range": {"start": {"line": 9, "character": start},
                                      "end": {"line": 9, "character": start + 4}},
                            "text": "jsn"}]})
    published = client.diagnostics(uri, version=4)
    assert by_code(published)["TPH210"]["range"]["start"] == {"line": 9, "character": start}
    assert "'jsn'" in by_code(published)["TPH210"]["message"]

    # Save publishes too; close clears.
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert "TPH210" in by_code(client.diagnostics(uri, version=4))
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri)["diagnostics"] == []
    assert client.shutdown() == 0


def test_changes_are_debounced_and_the_latest_version_wins(tmp_path: Path) -> None:
    # A long pause, so that the burst below surely arrives within it on a busy machine.
    c = LspClient(env=env(TIPHYS_LSP_DEBOUNCE="1.0"))
    try:
        c.initialize(tmp_path)
        uri = (tmp_path / "flow.py").as_uri()
        c.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": CLEAN}})
        assert c.diagnostics(uri, version=1)["diagnostics"] == []
        for version in range(2, 7):
            broken = CLEAN.replace("return json.dumps", f"return json{version}.dumps")
            c.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": broken}]})
        published = c.diagnostics(uri)
        assert published["version"] == 6
        assert "'json6'" in by_code(published)["TPH210"]["message"]
        versions = [m["params"].get("version") for m in c.seen
                    if m.get("method") == "textDocument/publishDiagnostics"]
        assert versions == [1, 6]
        assert c.shutdown() == 0
    finally:
        c.close()


def test_configuration_and_non_python_documents(client: LspClient, tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.tiphys.lint]\nignore = ["TPH216"]\n', encoding="utf-8")
    # A TOML document is not Python: no diagnostics for it, whatever it contains.
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": pyproject.as_uri(), "languageId": "toml", "version": 1,
        "text": pyproject.read_text(encoding="utf-8")}})
    uri = (tmp_path / "flow.py").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": BUGGY}})
    published = client.diagnostics(uri, version=1)
    assert "TPH210" in by_code(published) and "TPH216" not in by_code(published)
    # The configuration changes on disk: the next analysis reads it again.
    pyproject.write_text('[tool.tiphys.lint]\nignore = ["TPH210"]\n', encoding="utf-8")
    os.utime(pyproject, (1, 1))  # a different mtime, however fast the test runs
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    published = client.diagnostics(uri, version=1)
    assert "TPH216" in by_code(published) and "TPH210" not in by_code(published)
    assert not [m for m in client.seen if m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == pyproject.as_uri()]
    assert client.shutdown() == 0


def test_exit_without_shutdown_exits_1(tmp_path: Path) -> None:
    c = LspClient(env=env())
    try:
        c.initialize(tmp_path)
        c.notify("exit", None)
        assert c.proc.wait(timeout=30) == 1
    finally:
        c.close()


BLOCK_PYGLS = """
import sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("pygls", "lsprotocol"):
            raise ImportError(f"No module named {name!r} (blocked by the test)")
        return None

sys.meta_path.insert(0, Block())
sys.argv = ["tiphys", "lsp"]
from tiphys.compiler.cli import main
main()
"""


def test_without_pygls_a_clear_message_and_exit_2() -> None:
    import subprocess

    proc = subprocess.run([sys.executable, "-c", BLOCK_PYGLS], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert "pip install 'tiphys[lsp]'" in proc.stderr
    assert proc.stdout == ""
