"""Checking and normalising the values of CloudHarness parameters (plain Python values).

Shared by the static recognizer (values evaluated from literals, with positions) and the
run-time classes (live values, no positions): each function returns the normalised value and
the problems found, so both sides accept and reject exactly the same things.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tiphys.compiler.cloudharness.model import (
    DEFAULT_SHARED_PATH,
    EnvVar,
    Json,
    Problem,
    VolumeSpec,
    error,
    warning,
)
from tiphys.compiler.cloudharness.overrides import check_fields, to_argo
from tiphys.compiler.cloudharness.volumes import parse_volume
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.names import PARAM_NAME

PULL_POLICIES = ("Always", "IfNotPresent", "Never")
TTL_KEYS = ("secondsAfterCompletion", "secondsAfterSuccess", "secondsAfterFailure")
POD_GC_KEYS = ("strategy", "labelSelector", "deleteDelayDuration")
EXIT_KEYS = ("image", "queue", "payload")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def env_value(name: str, value: Any, loc: Loc | None) -> tuple[EnvVar, list[Problem]]:
    """A known value, stringified as CloudHarness does (``str(value)``)."""
    problems = []
    if not name.isascii():
        problems.append(error("TPH638", f"environment variable '{name}' is not ASCII; "
                              "Kubernetes needs ASCII names", loc))
    return EnvVar(name, str(value), loc=loc), problems


def env_param(name: str, expression: str, default: Any, has_default: bool,
              loc: Loc | None) -> tuple[EnvVar, list[Problem]]:
    """A value known only at run time: a workflow parameter named after the keyword."""
    problems = []
    if not PARAM_NAME.match(name):
        problems.append(error("TPH638", f"'{name}' is not known statically and cannot name a "
                              "workflow parameter (ASCII letters, digits, '-' and '_' only)", loc))
    return EnvVar(name, None, param=name, param_default=str(default) if has_default else None,
                  expression=expression, loc=loc), problems


def command(value: Any, loc: Loc | None) -> tuple[tuple[str, ...] | None, list[Problem]]:
    if value is None:
        return None, []
    if isinstance(value, str):
        return None, [error("TPH636", f"command {value!r} is a string; Kubernetes wants a list "
                            "(CloudHarness emits the string as is and the pod is rejected): "
                            f"write {[value]!r}, or ['sh', '-c', {value!r}]", loc)]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(value), []
    return None, [error("TPH636", "command must be a list of strings", loc)]


def _quantity(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)  # Kubernetes quantities are strings ("1", "0.5")
    return value


def resources(value: Any, loc: Loc | None) -> tuple[Json, list[Problem]]:
    if value is None or value == {}:
        return None, []
    if not isinstance(value, Mapping):
        return None, [error("TPH631", "resources must be a dict such as {'requests': {'cpu': "
                            "'100m'}, 'limits': {'memory': '1Gi'}}", loc)]
    out: dict[str, Any] = {}
    problems = []
    for key, table in value.items():
        if isinstance(table, Mapping) and key in ("requests", "limits"):
            out[key] = {str(k): _quantity(v) for k, v in table.items()}
        else:
            problems.append(error("TPH631", f"resources: '{key}' must be 'requests' or 'limits', "
                                  "each a dict of quantities", loc))
    return out, problems


def volumes(value: Any, loc: Loc | None, what: str) -> tuple[tuple[VolumeSpec, ...], list[Problem]]:
    if value is None:
        return (), []
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or \
            not all(isinstance(v, str) for v in value):
        return (), [error("TPH630", f"{what} must be a list of strings such as "
                          "['myclaim:/mnt/data:ro']", loc)]
    specs, problems = [], []
    for text in value:
        spec, found = parse_volume(text, loc, what)
        specs.append(spec)
        problems += found
    return tuple(specs), problems


def integer(value: Any, what: str, minimum: int, loc: Loc | None) -> tuple[int | None, list[Problem]]:
    if value is None:
        return None, []
    if not _is_int(value) or value < minimum:
        return None, [error("TPH604", f"{what} must be an integer of at least {minimum}, not "
                            f"{value!r}", loc)]
    return int(value), []


def pull_policy(value: Any, loc: Loc | None) -> tuple[str | None, list[Problem]]:
    if value is None:
        return None, []
    if value not in PULL_POLICIES:
        return None, [error("TPH637", f"image_pull_policy {value!r} is not one of "
                            f"{', '.join(PULL_POLICIES)}", loc)]
    return str(value), []


def overrides(value: Any, loc: Loc | None,
              locs: Mapping[str, Loc] | None = None) -> tuple[Json, list[Problem]]:
    """*locs*: where each (camelCase) field is written."""
    if value is None:
        return None, []
    if not isinstance(value, Mapping):
        return None, [error("TPH635", "template_overrides must be a V1alpha1Template or a dict "
                            "of Argo template fields", loc)]
    fields = {k: v for k, v in to_argo(value).items() if v is not None}
    problems = [error("TPH635", m, (locs or {}).get(k, loc)) for k, m in check_fields(fields)]
    return fields, problems


def shared_directory(value: Any, loc: Loc | None) -> tuple[tuple[VolumeSpec, ...], str | None,
                                                           list[Problem]]:
    """``True``, ``"[claim:]/path[:mode]"`` or a list → volumes, and the env value (the path)."""
    if value is None or value is False or value == "" or value == () or value == []:
        return (), None, []
    if value is True:
        value = DEFAULT_SHARED_PATH
    if isinstance(value, str):
        spec, problems = parse_volume(value, loc, "shared_directory")
        return (spec,), spec.path, problems
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        specs, problems = volumes(value, loc, "shared_directory")
        # As CloudHarness asserts: each claim (or claim-less path) once.
        claims = [s.claim or s.path for s in specs]
        if len(set(claims)) != len(claims):
            problems.append(error("TPH630", "shared_directory lists a claim (or a path) twice",
                                  loc))
        return specs, None, problems
    return (), None, [error("TPH630", "shared_directory must be True, a path "
                            "'[claim:]/path[:ro|rwx]' or a list of them", loc)]


def ttl(value: Any, loc: Loc | None) -> tuple[tuple[tuple[str, int], ...] | None, list[Problem]]:
    if value is None:
        return None, []
    if not isinstance(value, Mapping):
        return None, [error("TPH633", "ttl_strategy must be a dict such as "
                            "{'secondsAfterSuccess': 600}", loc)]
    problems = []
    out = []
    for key, seconds in value.items():
        if key not in TTL_KEYS:
            problems.append(error("TPH633", f"ttl_strategy: unknown key '{key}' (use "
                                  f"{', '.join(TTL_KEYS)})", loc))
        elif not _is_int(seconds) or seconds < 0:
            problems.append(error("TPH633", f"ttl_strategy: {key} must be a number of seconds",
                                  loc))
        else:
            out.append((str(key), int(seconds)))
    order = {k: i for i, k in enumerate(TTL_KEYS)}
    return tuple(sorted(out, key=lambda kv: order[kv[0]])), problems


def pod_gc(value: Any, loc: Loc | None) -> tuple[Json, list[Problem]]:
    if value is None:
        return None, []
    if not isinstance(value, Mapping):
        return None, [error("TPH633", "pod_gc must be a dict such as {'strategy': "
                            "'OnPodCompletion'}", loc)]
    problems = [error("TPH633", f"pod_gc: unknown key '{k}' (use {', '.join(POD_GC_KEYS)})", loc)
                for k in value if k not in POD_GC_KEYS]
    return dict(value), problems


def exit_keys(keys: list[str], loc: Loc | None) -> list[Problem]:
    return [warning("TPH634", f"on_exit_notify: unknown key '{k}' is ignored (the keys are "
                    f"{', '.join(EXIT_KEYS)})", loc) for k in keys if k not in EXIT_KEYS]


def pod_context(key: Any, value: Any, required: Any, loc: Loc | None) -> list[Problem]:
    if not isinstance(required, bool):
        return [error("TPH632", "PodExecutionContext: required must be True or False", loc)]
    return []
