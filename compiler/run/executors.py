"""Leaf templates: scripts run as local subprocesses, containers with docker or podman.

A node's files live in ``WORKDIR/nodes/NODE-ID/``: the script, its stdout and stderr, the
combined ``main.log``, and the folders standing for the pod's paths. Paths the compiled
tasks use are redirected there (``/tmp/tiphys/outputs`` through ``TIPHYS_OUTPUT_DIR``,
``/tmp/tiphys/artifacts`` through ``TIPHYS_ARTIFACTS_DIR``); a path under a volume mount is
redirected to the volume's folder in ``WORKDIR/volumes/``, including in environment values
(CloudHarness passes ``shared_directory=/mnt/shared``); any other path is the machine's own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tiphys.compiler.run.artifacts import ArtifactError, place
from tiphys.compiler.run.durations import seconds
from tiphys.compiler.run.expressions import ExpressionError, evaluate
from tiphys.compiler.run.model import Node
from tiphys.compiler.run.substitution import Unresolved, substitute_all, tree

if TYPE_CHECKING:
    from tiphys.compiler.run.engine import Engine

OUTPUT_DIR = "/tmp/tiphys/outputs"
ARTIFACT_DIR = "/tmp/tiphys/artifacts"
Outcome = tuple[str, str, dict[str, str]]
SKIPPED_KINDS = {
    "resource": "resource templates act on a cluster: not run locally",
    "data": "data templates read cluster storage: not run locally",
    "plugin": "executor plugins run on the cluster: not run locally",
    "containerSet": "containerSet templates are not run locally",
}


def run_leaf(engine: Engine, t: dict[str, Any], kind: str, scope: dict[str, str],
             node: Node) -> Outcome:
    if kind in SKIPPED_KINDS:
        return "Skipped", SKIPPED_KINDS[kind], _defaults(t)
    if kind == "unknown":
        return "Error", "the template has no body tiphys run knows", {}
    try:
        body = substitute_all({k: v for k, v in t.items() if k not in ("inputs", "outputs")}, scope)
    except Unresolved as exc:
        return "Error", f"failed to resolve {exc}", {}
    t = {**t, **body}
    from tiphys.compiler.run import other_kinds

    if kind == "suspend":
        return other_kinds.suspend(engine, t, scope, node)
    if kind == "http":
        if engine.options.no_http:
            return "Skipped", "http call not made (--no-http)", _defaults(t)
        with engine.leaf_slots:
            return other_kinds.http(engine, t, scope, node)
    if kind == "container" and engine.options.no_containers:
        return "Skipped", "container not run (--no-containers)", _defaults(t)
    workspace = Workspace(engine, t, node)
    if kind == "container":
        from tiphys.compiler.run.containers import container_command

        node.type = "Container"
        argv, reason = container_command(engine, t, workspace)
        if argv is None:
            return "Error", reason, {}
        env: dict[str, str] | None = None
    else:
        argv, env = workspace.script_command()
    try:
        workspace.place_inputs(scope)
    except (ArtifactError, OSError) as exc:
        return "Error", f"input artifacts: {exc}", {}
    with engine.leaf_slots:
        return workspace.execute(argv, env, _deadline(t))


def _deadline(t: dict[str, Any]) -> float | None:
    limits = []
    for key in ("activeDeadlineSeconds", "timeout"):
        if t.get(key) not in (None, ""):
            with contextlib.suppress(ValueError):
                limits.append(seconds(t[key]))
    return min(limits) if limits else None


def _defaults(t: dict[str, Any]) -> dict[str, str]:
    """Output parameters with a ``valueFrom.default``, for a node that did not run."""
    return {f"parameters.{p['name']}": str(p["valueFrom"]["default"])
            for p in t.get("outputs", {}).get("parameters", [])
            if "default" in p.get("valueFrom", {})}


class Workspace:
    """One leaf node's folder and the mapping of the pod's paths into it."""

    def __init__(self, engine: Engine, t: dict[str, Any], node: Node) -> None:
        self.engine = engine
        self.t = t
        self.node = node
        self.dir = engine.options.workdir / "nodes" / node.id
        self.dir.mkdir(parents=True, exist_ok=True)
        body = t.get("script") or t.get("container") or {}
        self.body: dict[str, Any] = body
        #: Lines for the log: env values the cluster would give and this run cannot.
        self.notes: list[str] = []
        volumes = engine.options.workdir / "volumes"
        self.mounts: list[tuple[str, Path]] = []
        for m in body.get("volumeMounts", []):
            local = volumes / m["name"] / m.get("subPath", "")
            if not m.get("subPath"):
                local.mkdir(parents=True, exist_ok=True)
            self.mounts.append((m["mountPath"].rstrip("/"), local))

    def local(self, path: str) -> Path:
        """Where the pod's *path* is on this machine."""
        for prefix, folder in ((OUTPUT_DIR, self.dir / "outputs"),
                               (ARTIFACT_DIR, self.dir / "artifacts"), *self.mounts):
            if path == prefix or path.startswith(prefix + "/"):
                return folder / path[len(prefix):].lstrip("/")
        return Path(path)

    def _remap_value(self, value: str) -> str:
        for prefix, folder in self.mounts:
            if value == prefix or value.startswith(prefix + "/"):
                return str(folder) + value[len(prefix):]
        return value

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TIPHYS_INPUT_", "TIPHYS_OUTPUT_DIR", "TIPHYS_ARTIFACTS_DIR"))}
        env.update(self.engine.options.env)
        env["TIPHYS_OUTPUT_DIR"] = str(self.dir / "outputs")
        env["TIPHYS_ARTIFACTS_DIR"] = str(self.dir / "artifacts")
        env.update(self.declared_env())
        return env

    def declared_env(self) -> dict[str, str]:
        """The template's env: values (paths under volumes redirected), the downward API's
        pod name and namespace; a Secret or ConfigMap key only from the local environment."""
        out = {}
        notes = []
        for e in self.body.get("env", []):
            if "value" in e:
                out[e["name"]] = self._remap_value(str(e["value"]))
                continue
            source = e.get("valueFrom", {})
            field = source.get("fieldRef", {}).get("fieldPath")
            if field == "metadata.name":
                out[e["name"]] = self.node.id
            elif field == "metadata.namespace":
                out[e["name"]] = self.engine.globals.get("workflow.namespace", "default")
            elif e["name"] in os.environ:
                out[e["name"]] = os.environ[e["name"]]
            else:
                notes.append(f"{e['name']} ({', '.join(source) or 'no value'}) is not set: it "
                             "comes from the cluster; export it to pass a local value")
        self.notes = notes
        return out

    def script_command(self) -> tuple[list[str], dict[str, str]]:
        script = self.body
        src = self.dir / "script"
        src.write_text(str(script.get("source", "")), encoding="utf-8")
        src.chmod(0o755)  # Argo's script file is executable: `command: [sh, -c]` runs it
        command = [str(c) for c in (script.get("command") or ["sh"])]
        if Path(command[0]).name in ("python", "python3"):
            command[0] = self.engine.options.python or sys.executable
        return [*command, str(src), *[str(a) for a in script.get("args", [])]], self.env()

    def place_inputs(self, scope: dict[str, str]) -> None:
        for a in self.t.get("inputs", {}).get("artifacts", []):
            source = scope.get(f"inputs.artifacts.{a['name']}")
            if source is not None and a.get("path"):
                place(source, self.local(a["path"]))

    def execute(self, argv: list[str], env: dict[str, str] | None, deadline: float | None) -> Outcome:
        node = self.node
        out_path, err_path = self.dir / "stdout", self.dir / "stderr"
        cwd = self.body.get("workingDir")
        cwd = cwd if cwd and Path(cwd).is_dir() and env is not None else str(self.dir)
        stopped: list[str] = []
        try:
            with open(out_path, "wb") as out, open(err_path, "wb") as err:
                proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                        env=env, cwd=cwd, start_new_session=True)
                watcher = threading.Thread(target=self._watch, args=(proc, deadline, stopped),
                                           daemon=True)
                watcher.start()
                try:
                    proc.wait()  # returns as soon as the process ends
                except BaseException:  # Ctrl-C in this thread: leave no process behind
                    _kill(proc)
                    raise
                watcher.join()
        except OSError as exc:
            return "Error", f"cannot start {argv[0]}: {exc.strerror or exc}", {}
        stdout = out_path.read_text(encoding="utf-8", errors="replace")
        stderr = err_path.read_text(encoding="utf-8", errors="replace")
        node.stdout = stdout
        log = self.dir / "main.log"
        notes = "".join(f"tiphys run: {n}\n" for n in self.notes)
        log.write_text(notes + stdout + stderr, encoding="utf-8")
        node.log = log
        outputs = {"result": stdout.rstrip("\n"), "exitCode": str(proc.returncode)}
        if stopped:
            return "Failed", stopped[0], outputs
        if proc.returncode != 0:
            last = stderr.strip().splitlines()[-1:] or [""]
            detail = f": {last[0][:300]}" if last[0] else ""
            return "Failed", f"Error (exit code {proc.returncode}){detail}", outputs
        problem = self.collect(outputs)
        if problem:
            return "Error", problem, outputs
        return "Succeeded", "", outputs

    def _watch(self, proc: subprocess.Popen[bytes], deadline: float | None,
               stopped: list[str]) -> None:
        """Kill *proc*'s process group when the run is cancelled or the deadline passes."""
        started = time.monotonic()
        while proc.poll() is None:
            if self.engine.cancel.wait(0.05):
                stopped.append(self.engine.cancel_reason)
            elif deadline is not None and time.monotonic() - started > deadline:
                stopped.append("Pod was active on the node longer than the specified "
                               f"deadline ({deadline:g}s)")
            if stopped:
                _kill(proc)
                return

    def output_path(self, path: str) -> Path:
        """Where the output the pod writes at *path* is: a redirected path, else the node's
        folder standing for the pod's working directory ``/`` (a script that writes
        ``result.txt`` for ``/result.txt``), else the machine's own path."""
        local = self.local(path)
        if local == Path(path):
            relative = self.dir / path.lstrip("/")
            if relative.exists():
                return relative
        return local

    def collect(self, outputs: dict[str, str]) -> str:
        """Read the output parameters and store the output artifacts; a message on failure."""
        for p in self.t.get("outputs", {}).get("parameters", []):
            vf = p.get("valueFrom", {})
            key = f"parameters.{p['name']}"
            if "path" in vf:
                local = self.output_path(str(vf["path"]))
                try:
                    outputs[key] = local.read_text(encoding="utf-8")
                    continue
                except (OSError, UnicodeDecodeError) as exc:
                    if "default" not in vf:
                        return (f"failed to read output parameter {p['name']!r} from "
                                f"{vf['path']}: {exc.strerror if isinstance(exc, OSError) else exc}")
            if "expression" in vf:
                try:
                    outputs[key] = str(evaluate(vf["expression"], tree(outputs)))
                    continue
                except ExpressionError as exc:
                    return f"output parameter {p['name']!r}: {exc}"
            if "default" in vf:
                outputs[key] = str(vf["default"])
            elif "value" in p:
                outputs[key] = str(p["value"])
        for a in self.t.get("outputs", {}).get("artifacts", []):
            if not a.get("path"):
                continue
            produced = self.output_path(str(a["path"]))
            if not produced.exists():
                if a.get("optional"):
                    continue
                return f"output artifact {a['name']!r} was not written at {a['path']}"
            outputs[f"artifacts.{a['name']}"] = self.engine.repo.store(self.node.id, a["name"], produced)
        return ""


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()
