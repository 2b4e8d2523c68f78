"""Adding a task's input and output artifacts to its template."""

from __future__ import annotations

from typing import Any

from tiphys.compiler import ir


def add_artifacts(
    tmpl: dict[str, Any],
    t: ir.PythonTask | ir.BashTask | ir.ContainerTask | ir.ContainerSetTask,
) -> dict[str, Any]:
    """*tmpl* with ``inputs.artifacts`` and ``outputs.artifacts``, keys kept in order."""
    ins = [i for i in t.inputs if i.artifact]
    if ins:
        tmpl.setdefault("inputs", {})
        tmpl["inputs"]["parameters"] = [p for p in tmpl["inputs"].get("parameters", [])
                                        if p["name"] not in {i.name for i in ins}]
        if not tmpl["inputs"]["parameters"]:
            del tmpl["inputs"]["parameters"]
        tmpl["inputs"]["artifacts"] = [
            {"name": i.name, "path": i.path, **({"optional": True} if i.optional else {})}
            for i in ins
        ]
    if t.artifact_outputs:
        arts = []
        for a in t.artifact_outputs:
            art: dict[str, Any] = {"name": a.name, "path": a.path}
            if a.optional:
                art["optional"] = True
            if a.archive is not None:
                kind, _, level = a.archive.partition(":")  # "tar:N": a compression level
                art["archive"] = {kind: {"compressionLevel": int(level)} if level else {}}
            if a.location is not None:
                art.update(a.location.to_argo())
            arts.append(art)
        if "outputs" not in tmpl:
            # keep "outputs" right after "inputs" (or the name), as in every template
            items = list(tmpl.items())
            at = next((i + 1 for i, (k, _) in enumerate(items) if k == "inputs"), 1)
            items.insert(at, ("outputs", {}))
            tmpl.clear()
            tmpl.update(items)
        tmpl["outputs"]["artifacts"] = arts
    # An input artifact is not an env variable: drop the entries made for parameters.
    names = {i.name for i in ins}
    for key in ("script", "container"):
        body = tmpl.get(key)
        if body and "env" in body:
            body["env"] = [e for e in body["env"] if not (
                e["name"] in names or e["name"].removeprefix("TIPHYS_INPUT_") in names)]
            if not body["env"]:
                del body["env"]
    return tmpl
