"""A minimal Language Server Protocol client for the tests: JSON-RPC 2.0 over a child
process's stdin/stdout with Content-Length framing, as editors speak it.

A reader thread parses frames into a queue, so every wait has a timeout: a server that hangs
or dies fails the test instead of blocking it.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TIMEOUT = 30.0


class LspError(AssertionError):
    pass


class LspClient:
    def __init__(self, cmd: list[str] | None = None, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            cmd or [sys.executable, "-m", "tiphys.compiler", "lsp"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        #: Notifications and server requests seen so far, in order.
        self.seen: list[dict[str, Any]] = []
        self._next_id = 0
        self._stderr: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        # Drain stderr too: a server that logs into a full pipe would block.
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        err = self.proc.stderr
        assert err is not None
        for line in err:
            self._stderr.append(line)

    # -- framing -----------------------------------------------------------------------

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        try:
            while True:
                length = None
                while True:
                    header = out.readline()
                    if not header:
                        return
                    if header in (b"\r\n", b"\n"):
                        break
                    name, _, value = header.decode("ascii").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if length is None:
                    raise LspError("frame without Content-Length")
                body = out.read(length)
                self.messages.put(json.loads(body.decode("utf-8")))
        finally:
            self.messages.put(None)

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        stdin = self.proc.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.flush()

    # -- JSON-RPC ----------------------------------------------------------------------

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any = None, timeout: float = TIMEOUT) -> Any:
        self._next_id += 1
        rid = self._next_id
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        msg = self.wait_for(lambda m: m.get("id") == rid and "method" not in m, timeout,
                            f"response to {method}")
        if "error" in msg:
            raise LspError(f"{method} failed: {msg['error']}")
        return msg.get("result")

    def wait_for(self, match: Callable[[dict[str, Any]], bool], timeout: float = TIMEOUT,
                 what: str = "a message") -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LspError(f"timed out after {timeout:.0f} s waiting for {what}; "
                               f"stderr: {self.stderr_text()}")
            try:
                msg = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if msg is None:
                raise LspError(f"server closed its output while waiting for {what} "
                               f"(exit code {self.proc.poll()}); stderr: {self.stderr_text()}")
            if "method" in msg:
                self.seen.append(msg)
                if "id" in msg:  # a request from the server (e.g. registration): accept it
                    self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            if match(msg):
                return msg

    def diagnostics(self, uri: str, timeout: float = TIMEOUT,
                    version: int | None = None) -> dict[str, Any]:
        """The next publishDiagnostics for *uri* (for *version*, when given)."""
        msg = self.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and (version is None or m["params"].get("version") == version),
            timeout, f"diagnostics for {uri}")
        params: dict[str, Any] = msg["params"]
        return params

    # -- session -----------------------------------------------------------------------

    def initialize(self, root: Path, capabilities: dict[str, Any] | None = None) -> Any:
        result = self.request("initialize", {
            "processId": None,
            "rootUri": root.as_uri(),
            "capabilities": capabilities or {},
        })
        self.notify("initialized", {})
        return result

    def shutdown(self, timeout: float = TIMEOUT) -> int:
        self.request("shutdown", None, timeout)
        self.notify("exit", None)
        return self.proc.wait(timeout=timeout)

    def stderr_text(self) -> str:
        return b"".join(self._stderr).decode("utf-8", "replace")[-3000:]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


def apply_edits(text: str, edits: list[dict[str, Any]]) -> str:
    """Apply LSP TextEdits (UTF-16 positions) to *text*, as an editor does."""
    lines = text.split("\n")

    def offset(pos: dict[str, int]) -> int:
        line, char = pos["line"], pos["character"]
        if line >= len(lines):
            return len(text)
        before = sum(len(x) + 1 for x in lines[:line])
        units = 0
        for i, ch in enumerate(lines[line]):
            if units >= char:
                return before + i
            units += 2 if ord(ch) > 0xFFFF else 1
        return before + len(lines[line])

    spans = sorted(((offset(e["range"]["start"]), offset(e["range"]["end"]), e["newText"])
                    for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text
