"""Compile the files to run exactly as ``tiphys compile`` would (configuration, settings,
checks), and hand back the documents. The one place ``run/`` and ``graph/`` reach into the
compiler's modules (its entry points, the command guard, the diagnostics renderer), so that
moving those modules means changing the imports here only."""

from __future__ import annotations

from typing import Any

from tiphys.compiler.commands.compile import compile_paths
from tiphys.compiler.commands.config import load_config, settings_values
from tiphys.compiler.commands.process_guard import run_command
from tiphys.compiler.commands.report import render
from tiphys.compiler.diagnostics import Diagnostic
from tiphys.compiler.lower.workflow import Settings

__all__ = ["compile_documents", "render", "run_command"]


def compile_documents(
    paths: tuple[str, ...], config_path: str | None = None,
) -> tuple[list[dict[str, Any]], list[Diagnostic], bool]:
    """(documents, diagnostics sorted, configuration problems)."""
    config, problems = load_config(paths, config_path)
    if problems:
        return [], sorted(problems, key=Diagnostic.sort_key), True
    settings = Settings(**settings_values(config, {}))
    results, diags = compile_paths(paths, settings)
    docs = [wf.document for r in results for wf in r.workflows]
    return docs, diags.sorted(), False
