"""CloudHarness' volume shorthand ``[claim:]/path[:ro|rwx]`` and the names it gives volumes."""

from __future__ import annotations

import posixpath
import re

from tiphys.compiler.cloudharness.model import Problem, VolumeSpec, error, warning
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.names import DNS_SUBDOMAIN

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
MODES = ("ro", "rwx")


def parse_volume(text: str, loc: Loc | None, what: str = "volume") -> tuple[VolumeSpec, list[Problem]]:
    """Split the shorthand; the spec is returned even when it has problems (for tests)."""
    problems: list[Problem] = []
    parts = text.split(":")
    claim: str | None = None
    mode: str | None = None
    if len(parts) == 1:
        path = parts[0]
    elif len(parts) == 2 and parts[0].startswith("/"):
        # "/path:ro": a claim never starts with '/', so this is a path and a mode.
        path, mode = parts
    elif len(parts) == 2:
        claim, path = parts
    elif len(parts) == 3:
        claim, path, mode = parts
    else:
        problems.append(error("TPH630", f"{what} '{text}' has too many ':'; write "
                              "[claim:]/path[:ro|rwx]", loc))
        claim, path, mode = parts[0], parts[1], parts[2]
    if mode is not None and mode not in MODES:
        problems.append(error("TPH630", f"{what} '{text}': mode '{mode}' is unknown; use 'ro' "
                              "(read-only) or 'rwx' (ReadWriteMany, no node affinity)", loc))
        mode = None
    if claim is not None and not DNS_SUBDOMAIN.match(claim):
        problems.append(error("TPH630", f"{what} '{text}': claim name '{claim}' is not a valid "
                              "PersistentVolumeClaim name (lower-case letters, digits, '-', '.')",
                              loc))
    if path and not path.startswith("/"):
        # Kubernetes accepts a relative mountPath: the kubelet mounts it at "/" + path
        # (cleaned). CloudHarness' own tests mount "a:b"; the document says it outright.
        absolute = posixpath.normpath("/" + path)
        problems.append(warning("TPH641", f"{what} '{text}': the mount path '{path}' is "
                                f"relative; Kubernetes mounts it at '{absolute}', which is "
                                "what tiphys writes", loc))
        path = absolute
    if not path:
        problems.append(error("TPH630", f"{what} '{text}' has no mount path; write "
                              "[claim:]/path[:ro|rwx]", loc))
    elif not volume_name(path):
        problems.append(error("TPH630", f"{what} '{text}': the path '{path}' gives no volume "
                              "name; mount a folder below '/'", loc))
    return VolumeSpec(text, claim, path, mode, loc), problems


def name_from_path(path: str) -> str:
    """CloudHarness' volume name: the path without '/' and '_', lower case."""
    return path.replace("/", "").replace("_", "").lower()


def volume_name(path: str) -> str:
    """CloudHarness' name, made a valid DNS label when it is not one (CloudHarness emitted
    invalid names such as ``mntmy.data``): other characters become '-'."""
    name = name_from_path(path)
    if _DNS_LABEL.match(name):
        return name
    return re.sub(r"[^-a-z0-9]", "-", name).strip("-")[:63].strip("-")
