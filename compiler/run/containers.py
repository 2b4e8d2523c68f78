"""Container templates with docker or podman: found once per run, and checked reachable.

The pod's paths become bind mounts from the node's folder: each folder holding an output
parameter or artifact, each input artifact, each volume mount. Without a reachable runtime
the node fails with a message that names what is missing.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tiphys.compiler.run.engine import Engine
    from tiphys.compiler.run.executors import Workspace

RUNTIMES = ("docker", "podman")
_found: dict[tuple[str, ...], tuple[str | None, str]] = {}
_lock = threading.Lock()


def find_runtime(wanted: str | None) -> tuple[str | None, str]:
    """(executable, "") for the first runtime installed and reachable, else (None, why)."""
    names = (wanted,) if wanted else RUNTIMES
    key = (*names, shutil.which(names[0]) or "")
    with _lock:
        if key not in _found:
            _found[key] = _probe(names)
        return _found[key]


def _probe(names: tuple[str, ...]) -> tuple[str | None, str]:
    problems = []
    for name in names:
        exe = shutil.which(name)
        if exe is None:
            problems.append(f"{name} is not installed")
            continue
        try:
            proc = subprocess.run([exe, "info"], capture_output=True, timeout=20, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            problems.append(f"{name} is installed but not reachable ({exc})")
            continue
        if proc.returncode == 0:
            return exe, ""
        detail = proc.stderr.decode(errors="replace").strip().splitlines()[:1]
        problems.append(f"{name} is installed but not reachable"
                        + (f" ({detail[0][:200]})" if detail else ""))
    return None, ("a container template needs docker or podman: " + "; ".join(problems) +
                  ". Install or start one, or pass --no-containers to skip container steps")


def container_command(engine: Engine, t: dict[str, Any], ws: Workspace) -> tuple[list[str] | None, str]:
    exe, why = find_runtime(engine.options.container_runtime)
    if exe is None:
        return None, why
    body = t["container"]
    argv = [exe, "run", "--rm", "--name", ws.node.id]
    mounts: dict[str, Path] = {}
    for kind in ("parameters", "artifacts"):
        for o in t.get("outputs", {}).get(kind, []):
            path = o.get("valueFrom", {}).get("path") if kind == "parameters" else o.get("path")
            if path:
                folder = str(PurePosixPath(path).parent)
                mounts[folder] = ws.dir / "pod" / folder.lstrip("/")
    for a in t.get("inputs", {}).get("artifacts", []):
        if a.get("path"):
            mounts.setdefault(a["path"], ws.dir / "pod" / a["path"].lstrip("/"))
    for prefix, local in ws.mounts:
        mounts[prefix] = local
    ws.mounts = [*((p, m) for p, m in mounts.items()), *ws.mounts]
    for path, local in mounts.items():
        if not PurePosixPath(path).suffix:
            local.mkdir(parents=True, exist_ok=True)
        argv += ["-v", f"{local}:{path}"]
    if body.get("workingDir"):
        argv += ["-w", str(body["workingDir"])]
    for name, value in ws.declared_env().items():
        argv += ["-e", f"{name}={value}"]
    if body.get("command"):
        argv += ["--entrypoint", str(body["command"][0])]
    argv.append(str(body.get("image", "")))
    argv += [str(c) for c in (body.get("command") or [])[1:]]
    argv += [str(a) for a in body.get("args", [])]
    return argv, ""
