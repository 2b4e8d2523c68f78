"""The one place the generated-program tests run a workflow: ``tiphys run``'s engine, on the
emitted document (containers and http calls left out; the generated programs have none)."""

from __future__ import annotations

from typing import Any

from tests.run_helpers import failed_messages, run_doc


def run_to_completion(doc: dict[str, Any]) -> dict[str, str]:
    """Run *doc*; raise if any node fails; return each node's phase by its display name."""
    run = run_doc(doc)
    assert run.phase == "Succeeded", (run.phase, run.message, failed_messages(run))
    return {node.name: node.phase for node in run.nodes.values()}
