"""CustomTask image names: which exist, and the full reference each resolves to.

CloudHarness' build turns every ``Dockerfile`` below ``applications/<app>/tasks/`` into an
image named by its path segments joined with '-', the neutral segments (src, tasks, server,
backend) dropped: ``applications/samples/tasks/sum/Dockerfile`` is ``samples-sum``. Each
application's own ``applications/<app>/Dockerfile`` is the image ``<app>``. At run time
CloudHarness looks a name up in its deployment values and, when it is unknown, passes it
through unchanged; tiphys passes it through too, with a warning and the closest known names
(the lowering's TPH640), unless it looks like an external reference (it has a '/' or a ':').
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass

#: Path segments CloudHarness leaves out of image names.
NEUTRAL_PATHS = frozenset({"src", "tasks", "server", "backend"})
#: Images CloudHarness itself builds (infrastructure and the workflows app's tasks), which a
#: project references without having their Dockerfiles.
BUILTIN_IMAGES = (
    "cloudharness-base",
    "workflows-extract-download",
    "workflows-notify-queue",
    "workflows-send-result-event",
)
_SKIP_DIRS = frozenset({"node_modules", "__pycache__", ".git", ".venv", "venv", "dist", "build"})


def image_name_for(parts: Iterable[str]) -> str:
    """The image name of a Dockerfile folder, given its path below ``applications/``."""
    return "-".join(p for p in parts if p and p not in NEUTRAL_PATHS)


def discover(applications: str) -> tuple[str, ...]:
    """Image names built from the Dockerfiles of a CloudHarness applications folder.

    Not cached: a Dockerfile added deep in the tree changes no modification time up here,
    and the walk covers only ``<app>/Dockerfile`` and ``<app>/tasks/`` (milliseconds)."""
    root = os.path.abspath(applications)
    found: set[str] = set()
    try:
        apps = sorted(os.listdir(root))
    except OSError:
        return ()
    for app in apps:
        app_dir = os.path.join(root, app)
        if not os.path.isdir(app_dir) or app.startswith("."):
            continue
        if os.path.isfile(os.path.join(app_dir, "Dockerfile")):
            found.add(app)
        tasks_dir = os.path.join(app_dir, "tasks")
        for here, dirs, files in os.walk(tasks_dir):
            dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
            if "Dockerfile" in files:
                rel = os.path.relpath(here, root).split(os.sep)
                name = image_name_for(rel)
                if name:
                    found.add(name)
    return tuple(sorted(found))


@dataclass(frozen=True, slots=True)
class Resolved:
    #: The full reference, or None when the name is unknown.
    reference: str | None
    #: The closest known names, for "did you mean".
    suggestions: tuple[str, ...] = ()


def looks_external(name: str) -> bool:
    """``quay.io/x/y``, ``python:3.12``: a reference, not a CloudHarness image name."""
    return "/" in name or ":" in name or "@" in name


def full_reference(name: str, registry: str | None, tag: str) -> str:
    prefix = f"{registry.rstrip('/')}/" if registry else ""
    return f"{prefix}{name}:{tag}"


def resolve(
    name: str, explicit: Iterable[tuple[str, str]], built: Iterable[str], registry: str | None,
    tag: str,
) -> Resolved:
    """Explicit references (configuration, values file) first, then built images."""
    table = dict(explicit)
    if name in table:
        return Resolved(table[name])
    known = set(built) | set(BUILTIN_IMAGES)
    if name in known:
        return Resolved(full_reference(name, registry, tag))
    if looks_external(name):
        return Resolved(name)
    candidates = sorted(known | set(table))
    return Resolved(None, tuple(difflib.get_close_matches(name, candidates, n=3, cutoff=0.6)))
