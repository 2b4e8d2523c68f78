"""Hand-written Argo documents for the engine's tests: the engine runs documents, so these
exercise Argo features whether or not the DSL emits them."""

from __future__ import annotations

import textwrap
from typing import Any

import yaml


def doc(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(textwrap.dedent(text))
    return loaded


def python(name: str, source: str, inputs: list[str] = (), outputs: list[str] = (),  # type: ignore[assignment]
           **extra: Any) -> dict[str, Any]:
    """A script template running *source*; each input is in the env as $NAME, each output
    parameter is read from /tmp/tiphys/outputs/NAME (the folder is $TIPHYS_OUTPUT_DIR)."""
    t: dict[str, Any] = {
        "name": name,
        "script": {
            "image": "python:3.12", "command": ["python"],
            "source": "import os, sys\nout = os.environ.get('TIPHYS_OUTPUT_DIR', '/tmp/tiphys/outputs')\n"
                      "os.makedirs(out, exist_ok=True)\n" + textwrap.dedent(source),
            "env": [{"name": i.upper(), "value": f"{{{{inputs.parameters.{i}}}}}"} for i in inputs],
        },
    }
    if inputs:
        t["inputs"] = {"parameters": [{"name": i} for i in inputs]}
    if outputs:
        t["outputs"] = {"parameters": [{"name": o, "valueFrom": {"path": f"/tmp/tiphys/outputs/{o}"}}
                                       for o in outputs]}
    t.update(extra)
    return t


def workflow(entry: dict[str, Any], *templates: dict[str, Any], **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
            "metadata": {"name": "test"},
            "spec": {"entrypoint": entry["name"], "templates": [entry, *templates], **spec}}


ECHO = python("echo", "print(os.environ['MSG'])", inputs=["msg"])
FAIL = python("fail", "print('about to fail'); sys.exit(3)")
