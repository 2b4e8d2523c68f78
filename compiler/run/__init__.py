"""``tiphys run``'s engine: executes emitted Argo documents (plain dicts) locally.

Use :func:`run_document` from Python; the command line is in :mod:`command`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tiphys.compiler.run.model import Node, Run, RunOptions

__all__ = ["Node", "Run", "RunOptions", "run_document"]


def run_document(doc: dict[str, Any], options: RunOptions | None = None,
                 library: list[dict[str, Any]] | None = None) -> Run:
    """Run one Workflow / WorkflowTemplate / CronWorkflow document to its end. *library*
    holds the WorkflowTemplates its templateRefs may name."""
    import tempfile

    from tiphys.compiler.run.engine import Engine

    if options is None:
        options = RunOptions(Path(tempfile.mkdtemp(prefix="tiphys-run-")))
    options.workdir.mkdir(parents=True, exist_ok=True)
    return Engine([*(library or []), doc], options).execute_workflow(doc)
