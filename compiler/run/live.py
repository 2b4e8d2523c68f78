"""What ``tiphys run`` shows while it runs.

On a terminal, the node tree with each node's phase, duration and retries, redrawn in place a
few times a second. Otherwise plain lines, one when a node starts and one when it ends, so
that a CI log reads top to bottom. At the end: the workflow's phase, its outputs, where the
logs are, and the last lines of each failed node's log.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from tiphys.compiler.run.model import NOT_LOCAL, Node, Run

SYMBOLS = {"Pending": "◷", "Running": "●", "Succeeded": "✔", "Failed": "✖", "Error": "⚠",
           "Skipped": "○", "Omitted": "-"}
#: Structural nodes the plain view does not report (their children say it all).
_QUIET = ("StepGroup", "Retry")
TAIL_LINES = 10


def _duration(node: Node) -> str:
    d = node.duration
    if d is None:
        return ""
    return f"{d:.1f}s" if d < 60 else f"{int(d // 60)}m{int(d % 60):02d}s"


def tree_lines(run: Run, width: int = 120) -> list[str]:
    """The node tree, one line a node, children indented under their parent."""
    with run.lock:
        nodes = dict(run.nodes)
    lines: list[str] = []

    def walk(node_id: str, depth: int) -> None:
        node = nodes[node_id]
        parts = [f"{'  ' * depth}{SYMBOLS.get(node.phase, '?')} {node.display}"]
        if node.template and node.type not in ("StepGroup", "TaskGroup"):
            parts.append(f"[{node.template}]")
        parts.append(node.phase)
        if node.duration is not None and node.type != "StepGroup":
            parts.append(_duration(node))
        if node.type == "Retry" and node.retries:
            parts.append(f"retries: {node.retries}")
        if (node.message and node.phase != "Succeeded") or (node.type == "Suspend" and node.message):
            parts.append(f"— {node.message.splitlines()[0] if node.message else ''}")
        line = "  ".join(parts)
        lines.append(line if len(line) <= width else line[: width - 1] + "…")
        for child in node.children:
            if child in nodes:
                walk(child, depth + 1)

    roots = [n.id for n in nodes.values() if n.parent is None]
    for root in roots:
        walk(root, 0)
    return lines


class View:
    """Base: a listener on the run's nodes; ``finish`` prints the summary."""

    def __init__(self, run: Run, out: TextIO | None = None) -> None:
        self.run = run
        self.out = out or sys.stdout

    def start(self) -> None:
        self.run.listeners.append(self.on_node)

    def on_node(self, node: Node) -> None:
        pass

    def finish(self) -> None:
        summary(self.run, self.out)


class PlainView(View):
    def on_node(self, node: Node) -> None:
        if node.type in _QUIET or node.id == self.run.root:
            return
        if node.phase == "Running":
            self._line(f"{node.name} Running")
        elif node.fulfilled:
            extra = f" ({_duration(node)})" if node.duration else ""
            message = f": {node.message.splitlines()[0]}" if node.message else ""
            self._line(f"{node.name} {node.phase}{extra}{message}")

    def _line(self, text: str) -> None:
        with self.run.lock:
            self.out.write(f"{time.strftime('%H:%M:%S')} {text}\n")
            self.out.flush()


class TreeView(View):
    """Redraws the tree in place (ANSI: cursor up, clear to the end of the screen)."""

    def __init__(self, run: Run, out: TextIO | None = None, interval: float = 0.2) -> None:
        super().__init__(run, out)
        self.interval = interval
        self.drawn = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _loop(self) -> None:
        while not self.stop.wait(self.interval):
            self.draw()

    def draw(self) -> None:
        import shutil

        size = shutil.get_terminal_size((120, 40))
        lines = tree_lines(self.run, size.columns - 1)
        room = max(size.lines - 2, 5)
        if len(lines) > room:
            # The cursor cannot go above the screen: keep the root and the latest nodes.
            hidden = len(lines) - room + 2
            lines = [lines[0], f"  … {hidden} nodes not shown", *lines[-(room - 2):]]
        up = f"\x1b[{self.drawn}F" if self.drawn else ""
        self.out.write(up + "\x1b[J" + "".join(line + "\n" for line in lines))
        self.out.flush()
        self.drawn = len(lines)

    def finish(self) -> None:
        self.stop.set()
        self.thread.join()
        self.draw()
        super().finish()


def summary(run: Run, out: TextIO) -> None:
    total = (run.finished or time.monotonic()) - run.started
    out.write(f"\nWorkflow {run.workflow} {run.phase} in {total:.1f}s")
    out.write(f": {run.message}\n" if run.message and run.phase != "Succeeded" else "\n")
    for key, value in run.outputs.items():
        out.write(f"  output {key} = {value[:200]}\n")
    not_run = [n for n in run.nodes.values() if n.phase == "Skipped" and n.type != "Retry"
               and n.message.startswith(NOT_LOCAL)]
    for n in not_run:
        out.write(f"  skipped {n.display}: {n.message}\n")
    failed = [n for n in run.nodes.values() if n.phase in ("Failed", "Error") and not n.children]
    for n in failed:
        if run.phase == "Succeeded":
            # Handled by a depends or continueOn: worth a line, not a log.
            out.write(f"  {n.display} {n.phase} (handled): {n.message}\n")
            continue
        out.write(f"\n{n.name} {n.phase}: {n.message}\n")
        if n.log is not None and n.log.exists():
            tail = n.log.read_text(encoding="utf-8", errors="replace").splitlines()[-TAIL_LINES:]
            out.write("".join(f"  | {line}\n" for line in tail))
            out.write(f"  (log: {n.log})\n")
    out.write(f"Work directory: {run.workdir}\n")
    out.flush()
