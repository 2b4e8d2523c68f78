"""The one place the generated-program tests run a workflow: Argo's local stand-in.

Swapping the engine (for ``tiphys run``) is a change to :func:`run_to_completion` only.
"""

from __future__ import annotations

from typing import Any

from tests.argo_sim import Simulator


def run_to_completion(doc: dict[str, Any]) -> dict[str, str]:
    """Run *doc*; raise if any task fails; return each step's status."""
    run = Simulator(doc).execute()
    assert run.status == "Succeeded", run
    return dict(run.statuses)
