"""Run compiled documents with ``tiphys run``'s engine, for tests.

Containers, http calls and waits are left out (``--no-containers``, ``--no-http``, backoff
scaled to zero) so that runs are fast and offline; tests of those parts set them back.
"""

from __future__ import annotations

import atexit
import copy
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from tiphys.compiler.run import Run, RunOptions, run_document

#: Replaces a script's source to make the step fail, as a broken task would.
FAIL_SOURCES = {"python": "import sys\nsys.exit('made to fail by the test')\n",
                "bash": "echo made to fail by the test >&2\nexit 1\n"}


def make_fail(doc: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """A copy of *doc* where the steps or tasks called *names* run a failing copy of their
    template (other steps using the same template are unchanged)."""
    doc = copy.deepcopy(doc)
    spec = doc["spec"]
    templates = {t["name"]: t for t in spec["templates"]}
    for t in list(spec["templates"]):
        steps = [s for g in t.get("steps", []) for s in g] + t.get("dag", {}).get("tasks", [])
        for step in steps:
            if step["name"] not in names or "template" not in step:
                continue
            failing = copy.deepcopy(templates[step["template"]])
            failing["name"] = f"{failing['name']}-made-to-fail"
            script = failing["script"]
            language = "python" if script["command"][0].startswith("python") else "bash"
            script["source"] = FAIL_SOURCES[language]
            if failing["name"] not in templates:
                spec["templates"].append(failing)
                templates[failing["name"]] = failing
            step["template"] = failing["name"]
    return doc


_WORKDIRS: list[str] = []
atexit.register(lambda: [shutil.rmtree(d, ignore_errors=True) for d in _WORKDIRS])


def workdir() -> Path:
    """A work directory for one run, removed when the tests end."""
    folder = tempfile.mkdtemp(prefix="tiphys-test-run-")
    _WORKDIRS.append(folder)
    return Path(folder)


def run_doc(doc: dict[str, Any], parameters: dict[str, str] | None = None,
            fail: set[str] | None = None, supplied: dict[str, str] | None = None,
            library: list[dict[str, Any]] | None = None, **options: Any) -> Run:
    if fail:
        doc = make_fail(doc, fail)
    folder = options.pop("workdir", None) or workdir()
    settings: dict[str, Any] = {"no_containers": True, "no_http": True, "time_scale": 0.0,
                                "python": sys.executable}
    settings.update(options)
    opts = RunOptions(folder, dict(parameters or {}), dict(supplied or {}), **settings)
    return run_document(doc, opts, library)


def failed_messages(run: Run) -> list[str]:
    return [n.message for n in run.nodes.values() if n.phase in ("Failed", "Error")]
