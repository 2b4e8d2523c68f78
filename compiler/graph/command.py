"""``tiphys graph``: compile the files as ``tiphys compile`` does and print a picture of each
workflow. Exit 0, 1 when the files do not compile, 2 on usage errors."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from tiphys.compiler.run.compile_source import render, run_command


def run_graph(paths: Sequence[str], *, workflow: str | None, fmt: str,
              config_path: str | None) -> int:
    return run_command(lambda: _run(paths, workflow, fmt, config_path))


def _run(paths: Sequence[str], workflow: str | None, fmt: str, config_path: str | None) -> int:
    from tiphys.compiler.graph.model import build
    from tiphys.compiler.graph.render import dot, mermaid
    from tiphys.compiler.run.command import RUNNABLE, workflow_name
    from tiphys.compiler.run.compile_source import compile_documents

    docs, diags, config_problem = compile_documents(tuple(paths), config_path)
    if diags:
        sys.stderr.write(render(diags, "concise"))
    if config_problem:
        return 2
    if any(d.is_error for d in diags):
        return 1
    docs = [d for d in docs if d.get("kind") in RUNNABLE]
    if workflow is not None:
        chosen = [d for d in docs if workflow_name(d) == workflow]
        if not chosen:
            names = ", ".join(workflow_name(d) for d in docs) or "none"
            print(f"tiphys graph: no workflow named {workflow!r}; the files define: {names}",
                  file=sys.stderr)
            return 2
        docs = chosen
    graph = build(docs)
    sys.stdout.write(mermaid(graph) if fmt == "mermaid" else dot(graph))
    return 0
