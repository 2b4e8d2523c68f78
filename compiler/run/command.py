"""``tiphys run``: compile the files as ``tiphys compile`` does, pick a workflow, run its
document locally, show it, and exit 0 (Succeeded), 1 (Failed or Errored, or the files do not
compile) or 2 (usage)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tiphys.compiler.run.compile_source import render, run_command

RUNNABLE = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")


class Usage(Exception):
    """A usage error: message on stderr, exit 2."""


def parse_pairs(pairs: Sequence[str], flag: str) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise Usage(f"{flag} takes NAME=VALUE, not {pair!r}")
        out[name.strip()] = value
    return out


def workflow_name(doc: dict[str, Any]) -> str:
    meta = doc.get("metadata", {})
    return str(meta.get("name") or str(meta.get("generateName", "")).rstrip("-"))


def choose(docs: list[dict[str, Any]], wanted: str | None) -> dict[str, Any]:
    runnable = [d for d in docs if d.get("kind") in RUNNABLE]
    names = [workflow_name(d) for d in runnable]
    if wanted is not None:
        for doc, name in zip(runnable, names, strict=True):
            if name == wanted:
                return doc
        raise Usage(f"no workflow named {wanted!r}; the files define: {', '.join(names) or 'none'}")
    if not runnable:
        raise Usage("the files define no workflow to run")
    if len(runnable) > 1:
        raise Usage(f"the files define {len(runnable)} workflows ({', '.join(names)}): "
                    "choose one with --workflow NAME")
    return runnable[0]


def check_parameters(doc: dict[str, Any], given: dict[str, str]) -> None:
    spec = doc["spec"]["workflowSpec"] if doc.get("kind") == "CronWorkflow" else doc["spec"]
    declared = spec.get("arguments", {}).get("parameters", [])
    known = {p["name"] for p in declared}
    unknown = sorted(set(given) - known)
    if unknown:
        raise Usage(f"unknown parameter(s) {', '.join(unknown)}; the workflow takes: "
                    f"{', '.join(sorted(known)) or 'none'}")
    missing = [p["name"] for p in declared if p["name"] not in given and "value" not in p
               and "default" not in p and "default" not in p.get("valueFrom", {})]
    if missing:
        raise Usage("parameter(s) without a value: " + ", ".join(missing) +
                    "; pass " + " ".join(f"-p {m}=VALUE" for m in missing))


def run_run(paths: Sequence[str], *, workflow: str | None, parameters: Sequence[str],
            supplied: Sequence[str], workdir: str | None, python: str | None, jobs: int | None,
            no_containers: bool, no_http: bool, output: str, config_path: str | None,
            fmt: str = "concise") -> int:
    return run_command(lambda: _run(paths, workflow, parameters, supplied, workdir, python,
                                    jobs, no_containers, no_http, output, config_path, fmt))


def _run(paths: Sequence[str], workflow: str | None, parameters: Sequence[str],
         supplied: Sequence[str], workdir: str | None, python: str | None, jobs: int | None,
         no_containers: bool, no_http: bool, output: str, config_path: str | None,
         fmt: str) -> int:
    from tiphys.compiler.run.compile_source import compile_documents

    try:
        params = parse_pairs(parameters, "-p")
        values = parse_pairs(supplied, "-s")
        if jobs is not None and jobs < 1:
            raise Usage("-j takes a number of jobs of at least 1")
        if python is not None and not (os.path.isfile(python) or _which(python)):
            raise Usage(f"--python {python}: no such interpreter")
        docs, diags, config_problem = compile_documents(tuple(paths), config_path)
        if diags:
            sys.stderr.write(render(diags, fmt))
        if config_problem:
            return 2
        if any(d.is_error for d in diags):
            return 1
        doc = choose(docs, workflow)
        check_parameters(doc, params)
    except Usage as exc:
        print(f"tiphys run: {exc}", file=sys.stderr)
        return 2
    from tiphys.compiler.run.engine import Engine
    from tiphys.compiler.run.live import PlainView, TreeView, View
    from tiphys.compiler.run.model import RunOptions

    name = workflow_name(doc)
    folder = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix=f"tiphys-run-{name}-"))
    folder.mkdir(parents=True, exist_ok=True)
    options = RunOptions(folder.resolve(), params, values, _which(python) if python else None,
                         jobs, no_containers, no_http)
    engine = Engine(docs, options)
    view: View | None = None
    if output == "json":
        view = None
    elif output == "tree" or (output == "auto" and sys.stdout.isatty()):
        view = TreeView(engine.run)
    else:
        view = PlainView(engine.run)
    if view is not None:
        view.start()
    try:
        run = engine.execute_workflow(doc)
    except KeyboardInterrupt:
        # Steps run in their own sessions (so a deadline can kill a whole process group):
        # stop them before leaving.
        engine.cancel_reason = "interrupted"
        engine.cancel.set()
        if isinstance(view, TreeView):
            view.stop.set()
        time.sleep(0.3)
        print(f"\ntiphys run: interrupted; running steps were stopped. Work directory: {folder}",
              file=sys.stderr)
        return 1
    if view is not None:
        view.finish()
    else:
        json.dump(run.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    (folder / "status.json").write_text(json.dumps(run.to_json(), indent=2), encoding="utf-8")
    return 0 if run.phase == "Succeeded" else 1


def _which(program: str) -> str | None:
    import shutil

    if os.path.isfile(program):
        return os.path.abspath(program)
    return shutil.which(program)
