"""A tiny local stand-in for Argo's controller, for tests: runs a compiled workflow's scripts.

It follows Argo's rules for what the tests need:

* ``{{...}}`` tags are substituted as plain text in arguments and env values; ``{{=...}}``
  expression tags (used for ``when``) are evaluated with a small translation of expr-lang to
  Python over the same variables, nested by their dots;
* each script template's source is written to a file and run with its command; output
  parameters are read from their ``valueFrom.path`` files (redirected into a temporary
  folder); a script's stdout, trailing newline trimmed, is ``outputs.result``;
* steps run group by group, DAG tasks when their ``depends`` holds (a plain name means
  Succeeded, Skipped or Daemoned; otherwise the task is Omitted);
* ``when`` false → Skipped; withItems / withSequence / withParam run once per item, with the
  item in ``{{item}}``, and aggregate each output parameter as Argo does: a JSON list of the
  values, each a string;
* a failing script fails the run unless ``continueOn`` or a ``depends`` that accepts failure
  lets it go on; ``spec.hooks.exit`` runs last with ``{{workflow.status}}``.

Container templates cannot run here (no images), nor resource, http and templateRef ones:
they are recorded as skipped and succeed, with placeholder outputs; a suspend template
resumes at once with the values given in ``supplied``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tiphys.compiler.frontend.scripts.python_script import OUTPUT_DIR
from tiphys.compiler.ir.artifacts import ARTIFACT_DIR

TAG = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
EXPR_TAG = re.compile(r"\{\{=(.*?)\}\}", re.S)


class StepFailed(Exception):
    def __init__(self, template: str, stderr: str) -> None:
        super().__init__(f"template {template} failed:\n{stderr}")
        self.template = template
        self.stderr = stderr


@dataclass
class Run:
    #: (template name, inputs, outputs) of every leaf template run, in order.
    calls: list[tuple[str, dict[str, str], dict[str, str]]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    stdout: list[str] = field(default_factory=list)
    #: Status of every step/task by "<template>/<name>".
    statuses: dict[str, str] = field(default_factory=dict)
    status: str = "Succeeded"


class _Tree(dict[str, Any]):
    """Nested variables for expression tags: ``tasks.coin.outputs.parameters['return']``."""

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError as exc:
            raise AttributeError(key) from exc


def _tree(scope: dict[str, str]) -> _Tree:
    root = _Tree()
    for key, value in scope.items():
        node = root
        parts = key.split(".")
        for part in parts[:-1]:
            nxt = node.get(part)
            if not isinstance(nxt, _Tree):
                nxt = _Tree()
                node[part] = nxt
            node = nxt
        node.setdefault(parts[-1], value)
    return root


def evaluate_expression(text: str, scope: dict[str, str]) -> Any:
    """A small expr-lang subset as Python: &&, ||, !, comparisons, asInt, asFloat."""
    py = text.replace("&&", " and ").replace("||", " or ")
    py = re.sub(r"!(?!=)", " not ", py)
    env = dict(_tree(scope))
    env.update({"asInt": int, "asFloat": float})
    return eval(py, {"__builtins__": {}}, env)  # test helper on compiler output only


def substitute(text: str, scope: dict[str, str]) -> str:
    text = EXPR_TAG.sub(lambda m: _render(evaluate_expression(m.group(1), scope)), text)

    def repl(m: re.Match[str]) -> str:
        key = m.group(1)
        if key not in scope:
            raise KeyError(f"unresolved tag {{{{{key}}}}} in {text!r}; scope has {sorted(scope)}")
        return scope[key]

    return TAG.sub(repl, text)


def _render(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _item_text(item: Any) -> str:
    return item if isinstance(item, str) else json.dumps(item)


class Simulator:
    def __init__(self, doc: dict[str, Any], parameters: dict[str, str] | None = None,
                 fail: set[str] | None = None,
                 supplied: dict[str, str] | None = None) -> None:
        if doc.get("kind") == "CronWorkflow":  # each run is a Workflow of its workflowSpec
            doc = {**doc, "kind": "Workflow", "spec": doc["spec"]["workflowSpec"]}
        self.doc = doc
        spec = doc["spec"]
        self.templates = {t["name"]: t for t in spec["templates"]}
        self.globals: dict[str, str] = {"workflow.name": "sim", "workflow.status": "Running"}
        for p in spec.get("arguments", {}).get("parameters", []):
            self.globals[f"workflow.parameters.{p['name']}"] = str(p.get("value", ""))
        for k, v in (parameters or {}).items():
            self.globals[f"workflow.parameters.{k}"] = v
        #: Step/task names whose script is made to fail (exit 1) before it runs.
        self.fail = fail or set()
        #: Values a person supplies when resuming a suspend template, by parameter name.
        self.supplied = supplied or {}
        self.run = Run()
        #: Artifact contents produced so far: files under a folder kept for the run.
        self.store = Path(tempfile.mkdtemp(prefix="tiphys-sim-artifacts-"))

    def execute(self) -> Run:
        for name, hook in self.doc["spec"].get("hooks", {}).items():
            # Hooks other than exit fire when their expression holds; a running workflow's
            # status is "Running".
            if name != "exit" and evaluate_expression(hook["expression"], self.globals):
                self._invoke({"name": f"hook-{name}", **hook}, dict(self.globals), "hooks",
                             "spec")
        try:
            self.call(self.doc["spec"]["entrypoint"], {})
        except StepFailed:
            self.run.status = "Failed"
            self._exit_hook()
            raise
        self._exit_hook()
        return self.run

    def _exit_hook(self) -> None:
        hook = self.doc["spec"].get("hooks", {}).get("exit")
        if hook is not None:
            self.globals["workflow.status"] = self.run.status
            self._invoke({"name": "exit-hook", **hook}, dict(self.globals), "hooks", "spec")

    def _artifact_sources(self, step: dict[str, Any], scope: dict[str, str]) -> dict[str, str]:
        """Each argument artifact as a file: from another node's output, or a location
        (whose content is a placeholder naming it: there is no storage here)."""
        out = {}
        for a in step.get("arguments", {}).get("artifacts", []):
            if "from" in a:
                key = a["from"].strip("{} ")
                out[a["name"]] = scope[key]
            else:
                path = self.store / f"location-{len(list(self.store.iterdir()))}"
                kind = next(k for k in a if k != "name")
                path.write_text(f"sim:{kind}:{json.dumps(a[kind], sort_keys=True)}")
                out[a["name"]] = str(path)
        return out

    def call(self, name: str, args: dict[str, str], step_name: str = "",
             artifacts: dict[str, str] | None = None) -> dict[str, str]:
        t = self.templates[name]
        artifacts = artifacts or {}
        inputs: dict[str, str] = {}
        for p in t.get("inputs", {}).get("parameters", []):
            if p["name"] in args:
                inputs[p["name"]] = args[p["name"]]
            elif "default" in p:
                inputs[p["name"]] = str(p["default"])
            else:
                raise AssertionError(f"{name}: input {p['name']} was not supplied")
        scope = dict(self.globals)
        scope.update({f"inputs.parameters.{k}": v for k, v in inputs.items()})
        for a in t.get("inputs", {}).get("artifacts", []):
            if a["name"] in artifacts:
                scope[f"inputs.artifacts.{a['name']}"] = artifacts[a["name"]]
            elif not a.get("optional"):
                raise AssertionError(f"{name}: input artifact {a['name']} was not supplied")
        if "steps" in t:
            return self._steps(t, scope)
        if "dag" in t:
            return self._dag(t, scope)
        if "script" in t:
            outputs = self._script(t, scope, step_name in self.fail)
            self.run.calls.append((name, inputs, outputs))
            return outputs
        self.run.skipped.append(name)
        outputs: dict[str, str] = {}
        for p in t.get("outputs", {}).get("parameters", []):
            source = p.get("valueFrom", {})
            value = self.supplied.get(p["name"], "") if "supplied" in source else f"sim-{p['name']}"
            outputs[f"parameters.{p['name']}"] = value
        if "http" in t:
            outputs["result"] = ""
        return outputs

    def _items(self, step: dict[str, Any], scope: dict[str, str]) -> list[Any] | None:
        if "withItems" in step:
            return list(step["withItems"])
        if "withSequence" in step:
            seq = step["withSequence"]
            if "count" in seq:
                return list(range(int(seq["count"])))
            return list(range(int(seq.get("start", 0)), int(seq["end"]) + 1))
        if "withParam" in step:
            return list(json.loads(substitute(step["withParam"], scope)))
        return None

    def _invoke(self, step: dict[str, Any], scope: dict[str, str], prefix: str,
                where: str) -> str:
        """Run one step or task; record its outputs in *scope*; return its status."""
        key = f"{where}/{step['name']}"
        if "when" in step and substitute(step["when"], scope) != "true":
            self.run.statuses[key] = "Skipped"
            return "Skipped"
        items = self._items(step, scope)
        runs = [None] if items is None else items
        outputs_per_run = []
        status = "Succeeded"
        for item in runs:
            local = dict(scope)
            if item is not None:
                local["item"] = _item_text(item)
            args = {
                p["name"]: substitute(str(p["value"]), local)
                for p in step.get("arguments", {}).get("parameters", [])
            }
            if "templateRef" in step:
                ref = step["templateRef"]
                self.run.skipped.append(f"{ref['name']}/{ref['template']}")
                outputs_per_run.append({})
                continue
            try:
                outputs_per_run.append(self.call(step["template"], args, step["name"],
                                                 self._artifact_sources(step, local)))
            except StepFailed:
                status = "Failed"
                on = step.get("continueOn", {})
                if not on.get("failed") and prefix == "steps":
                    self.run.statuses[key] = status
                    raise
        self.run.statuses[key] = status
        exit_hook = step.get("hooks", {}).get("exit")
        if exit_hook is not None:
            self._invoke({"name": f"{step['name']}-exit", **exit_hook}, dict(scope), prefix,
                         where)
        if items is None:
            for k, value in (outputs_per_run[0] if outputs_per_run else {}).items():
                scope[f"{prefix}.{step['name']}.outputs.{k}"] = value
        else:
            names = {k for out in outputs_per_run for k in out if k.startswith("parameters.")}
            for k in names:
                scope[f"{prefix}.{step['name']}.outputs.{k}"] = json.dumps(
                    [out[k] for out in outputs_per_run if k in out])
        return status

    def _template_outputs(self, t: dict[str, Any], scope: dict[str, str]) -> dict[str, str]:
        out = {}
        for p in t.get("outputs", {}).get("parameters", []):
            out[f"parameters.{p['name']}"] = substitute(p["valueFrom"]["parameter"], scope)
        for a in t.get("outputs", {}).get("artifacts", []):
            out[f"artifacts.{a['name']}"] = scope[a["from"].strip("{} ")]
        return out

    def _steps(self, t: dict[str, Any], scope: dict[str, str]) -> dict[str, str]:
        for group in t["steps"]:
            # A parallel group sees only what finished before it started.
            before = dict(scope)
            for step in group:
                local = dict(before)
                self._invoke(step, local, "steps", t["name"])
                scope.update({k: v for k, v in local.items() if k not in before})
        return self._template_outputs(t, scope)

    def _dag(self, t: dict[str, Any], scope: dict[str, str]) -> dict[str, str]:
        tasks = {task["name"]: task for task in t["dag"]["tasks"]}
        status: dict[str, str] = {}
        while len(status) < len(tasks):
            ready = [n for n, task in tasks.items() if n not in status
                     and _depends_names(task.get("depends", "")) <= set(status)]
            assert ready, f"DAG stuck: {sorted(set(tasks) - set(status))}"
            for n in ready:
                task = tasks[n]
                if task.get("depends") and not _depends_holds(task["depends"], status):
                    status[n] = "Omitted"
                    self.run.statuses[f"{t['name']}/{n}"] = "Omitted"
                    continue
                status[n] = self._invoke(task, scope, "tasks", t["name"])
        failed = [n for n, s in status.items() if s == "Failed"]
        handled = {n for n in failed for task in tasks.values()
                   if re.search(rf"\b{re.escape(n)}\.(Failed|Errored)\b", task.get("depends", ""))}
        if set(failed) - handled:
            raise StepFailed(t["name"], f"tasks failed: {sorted(set(failed) - handled)}")
        return self._template_outputs(t, scope)

    def _script(self, t: dict[str, Any], scope: dict[str, str], fail: bool) -> dict[str, str]:
        script = t["script"]
        with tempfile.TemporaryDirectory(prefix="tiphys-sim-") as tmp:
            src = Path(tmp) / "script"
            source = script["source"]
            if fail:
                source = "import sys\nsys.exit('made to fail by the test')\n" \
                    if script["command"] == ["python"] else "exit 1\n"
            src.write_text(source, encoding="utf-8")
            env = {k: v for k, v in os.environ.items() if not k.startswith("TIPHYS_")}
            art_dir = Path(tmp) / "artifacts"
            env["TIPHYS_ARTIFACTS_DIR"] = str(art_dir)
            for a in t.get("inputs", {}).get("artifacts", []):
                key = f"inputs.artifacts.{a['name']}"
                if key in scope:
                    target = art_dir / a["path"].removeprefix(ARTIFACT_DIR + "/")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(scope[key], target)
            for e in script.get("env", []):
                # valueFrom (a Secret or ConfigMap key) is the cluster's: a placeholder here.
                env[e["name"]] = substitute(e["value"], scope) if "value" in e \
                    else f"sim-{e['name']}"
            outdir = Path(tmp) / "outputs"
            env["TIPHYS_OUTPUT_DIR"] = str(outdir)
            command = list(script["command"])
            if command == ["python"]:
                command = [sys.executable]
            proc = subprocess.run([*command, str(src)], env=env, capture_output=True,
                                  check=False, timeout=60)
            if proc.returncode != 0:
                raise StepFailed(t["name"], proc.stderr.decode(errors="replace"))
            stdout = proc.stdout.decode()
            self.run.stdout.append(stdout)
            outputs = {"result": stdout.rstrip("\n")}
            for p in t.get("outputs", {}).get("parameters", []):
                path = p["valueFrom"]["path"]
                assert path.startswith(OUTPUT_DIR + "/"), path
                local = outdir / path[len(OUTPUT_DIR) + 1:]
                outputs[f"parameters.{p['name']}"] = local.read_text(encoding="utf-8")
            for a in t.get("outputs", {}).get("artifacts", []):
                produced = art_dir / a["path"].removeprefix(ARTIFACT_DIR + "/")
                if not produced.exists():
                    if a.get("optional"):
                        continue
                    raise StepFailed(t["name"], f"output artifact {a['name']} was not written")
                kept = self.store / f"{t['name']}-{a['name']}-{len(list(self.store.iterdir()))}"
                shutil.copyfile(produced, kept)
                outputs[f"artifacts.{a['name']}"] = str(kept)
            return outputs


_RESULT = re.compile(r"\b([A-Za-z0-9][-A-Za-z0-9]*)(?:\.(\w+))?")


def _depends_names(text: str) -> set[str]:
    return {m.group(1) for m in _RESULT.finditer(text)}


def _depends_holds(text: str, status: dict[str, str]) -> bool:
    def repl(m: re.Match[str]) -> str:
        name, result = m.group(1), m.group(2)
        s = status[name]
        if result is None:
            ok = s in ("Succeeded", "Skipped", "Daemoned")
        else:
            ok = s == result or (result == "AnySucceeded" and s == "Succeeded")
        return "True" if ok else "False"

    py = _RESULT.sub(repl, text).replace("&&", " and ").replace("||", " or ")
    py = re.sub(r"!(?!=)", " not ", py)
    return bool(eval(py, {"__builtins__": {}}, {}))  # test helper on compiler output only
