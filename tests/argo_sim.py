"""A tiny local stand-in for Argo's controller, for tests: runs a compiled workflow's scripts.

It follows Argo's rules for what the tests need: ``{{...}}`` tags are substituted as plain
text in arguments and env values; each script template's source is written to a file and run
with its command; output parameters are read from their ``valueFrom.path`` files (redirected
into a temporary folder); a script's stdout, trailing newline trimmed, is ``outputs.result``;
steps run group by group, DAG tasks in dependency order. Container templates cannot run here
(no images): they are recorded as skipped.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tiphys.compiler.pytask import OUTPUT_DIR

TAG = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


@dataclass
class Run:
    #: (template name, inputs, outputs) of every leaf template run, in order.
    calls: list[tuple[str, dict[str, str], dict[str, str]]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    stdout: list[str] = field(default_factory=list)


def substitute(text: str, scope: dict[str, str]) -> str:
    def repl(m: re.Match[str]) -> str:
        key = m.group(1)
        if key not in scope:
            raise KeyError(f"unresolved tag {{{{{key}}}}} in {text!r}; scope has {sorted(scope)}")
        return scope[key]

    return TAG.sub(repl, text)


class Simulator:
    def __init__(self, doc: dict[str, Any], parameters: dict[str, str] | None = None) -> None:
        self.doc = doc
        spec = doc["spec"]
        self.templates = {t["name"]: t for t in spec["templates"]}
        self.globals: dict[str, str] = {}
        for p in spec.get("arguments", {}).get("parameters", []):
            self.globals[f"workflow.parameters.{p['name']}"] = str(p.get("value", ""))
        for k, v in (parameters or {}).items():
            self.globals[f"workflow.parameters.{k}"] = v
        self.run = Run()

    def execute(self) -> Run:
        self.call(self.doc["spec"]["entrypoint"], {})
        return self.run

    def call(self, name: str, args: dict[str, str]) -> dict[str, str]:
        t = self.templates[name]
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
        if "steps" in t:
            return self._steps(t, scope)
        if "dag" in t:
            return self._dag(t, scope)
        if "script" in t:
            outputs = self._script(t, scope)
            self.run.calls.append((name, inputs, outputs))
            return outputs
        self.run.skipped.append(name)
        return {}

    def _invoke(self, step: dict[str, Any], scope: dict[str, str], prefix: str) -> None:
        args = {
            p["name"]: substitute(str(p["value"]), scope)
            for p in step.get("arguments", {}).get("parameters", [])
        }
        outputs = self.call(step["template"], args)
        for key, value in outputs.items():
            scope[f"{prefix}.{step['name']}.outputs.{key}"] = value

    def _template_outputs(self, t: dict[str, Any], scope: dict[str, str]) -> dict[str, str]:
        out = {}
        for p in t.get("outputs", {}).get("parameters", []):
            out[f"parameters.{p['name']}"] = substitute(p["valueFrom"]["parameter"], scope)
        return out

    def _steps(self, t: dict[str, Any], scope: dict[str, str]) -> dict[str, str]:
        for group in t["steps"]:
            # A parallel group sees only what finished before it started.
            before = dict(scope)
            for step in group:
                local = dict(before)
                self._invoke(step, local, "steps")
                scope.update({k: v for k, v in local.items() if k not in before})
        return self._template_outputs(t, scope)

    def _dag(self, t: dict[str, Any], scope: dict[str, str]) -> dict[str, str]:
        tasks = {task["name"]: task for task in t["dag"]["tasks"]}
        done: set[str] = set()
        while len(done) < len(tasks):
            ready = [
                n for n, task in tasks.items() if n not in done
                and set(filter(None, task.get("depends", "").replace("&&", " ").split())) <= done
            ]
            assert ready, f"DAG stuck: {sorted(set(tasks) - done)}"
            for n in ready:
                self._invoke(tasks[n], scope, "tasks")
                done.add(n)
        return self._template_outputs(t, scope)

    def _script(self, t: dict[str, Any], scope: dict[str, str]) -> dict[str, str]:
        script = t["script"]
        with tempfile.TemporaryDirectory(prefix="tiphys-sim-") as tmp:
            src = Path(tmp) / "script"
            src.write_text(script["source"], encoding="utf-8")
            env = {k: v for k, v in os.environ.items() if not k.startswith("TIPHYS_")}
            for e in script.get("env", []):
                env[e["name"]] = substitute(e["value"], scope)
            outdir = Path(tmp) / "outputs"
            env["TIPHYS_OUTPUT_DIR"] = str(outdir)
            command = list(script["command"])
            if command == ["python"]:
                command = [sys.executable]
            proc = subprocess.run([*command, str(src)], env=env, capture_output=True,
                                  check=False, timeout=60)
            if proc.returncode != 0:
                raise AssertionError(
                    f"template {t['name']} failed ({proc.returncode}):\n"
                    f"{proc.stderr.decode(errors='replace')}"
                )
            stdout = proc.stdout.decode()
            self.run.stdout.append(stdout)
            outputs = {"result": stdout.rstrip("\n")}
            for p in t.get("outputs", {}).get("parameters", []):
                path = p["valueFrom"]["path"]
                assert path.startswith(OUTPUT_DIR + "/"), path
                local = outdir / path[len(OUTPUT_DIR) + 1:]
                outputs[f"parameters.{p['name']}"] = local.read_text(encoding="utf-8")
            return outputs
