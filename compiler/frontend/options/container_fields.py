"""Fields of a task's main container beyond image, command, env, resources and mounts:
``working_dir``, ``ports``, ``readiness_probe``/``liveness_probe``/``startup_probe`` and
``lifecycle``, read into Kubernetes-shaped JSON in Argo's key order.

Probes and lifecycle handlers are written with helpers (``http_probe("/ping", 8086,
initial_delay=5)``, ``tcp_probe(6379)``, ``exec_probe(["pg_isready"])``, ``lifecycle(
pre_stop=["nginx", "-s", "quit"])``) or as Kubernetes dicts; either way the value is checked
against the strict schema's fragment for that field where it is written (TPH546-TPH549).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tiphys.compiler.frontend.arguments import Signature
from tiphys.compiler.frontend.options.helper_values import HelperVal, error, helper
from tiphys.compiler.frontend.options.k8s_fragments import fragment_problems, to_json
from tiphys.compiler.frontend.options.read import OptionReader
from tiphys.compiler.frontend.values import ParamVal, describe

if TYPE_CHECKING:
    from tiphys.compiler.frontend.options.extras import ExtrasReader

Args = dict[str, ast.expr]
Json = Any

#: The options, and the container field each becomes (in the order lowering writes them).
CONTAINER_FIELDS = {
    "working_dir": "workingDir", "ports": "ports", "readiness_probe": "readinessProbe",
    "liveness_probe": "livenessProbe", "startup_probe": "startupProbe",
    "lifecycle": "lifecycle",
}
CONTAINER_FIELD_OPTIONS = tuple(CONTAINER_FIELDS)

_TIMING = ("initial_delay", "period", "timeout", "failure_threshold", "success_threshold")
_TIMING_KEYS = {
    "initial_delay": ("initialDelaySeconds", 0), "period": ("periodSeconds", 1),
    "timeout": ("timeoutSeconds", 1), "failure_threshold": ("failureThreshold", 1),
    "success_threshold": ("successThreshold", 1),
}
_PROBES = ("http_probe", "tcp_probe", "exec_probe")

#: Helper name → signature (the runtime functions in ``tiphys.containers``).
CONTAINER_HELPERS: dict[str, Signature] = {
    "http_probe": Signature(("path", "port"), ("scheme", "host", *_TIMING), ("path", "port")),
    "tcp_probe": Signature(("port",), _TIMING, ("port",)),
    "exec_probe": Signature(("command",), _TIMING, ("command",)),
    "lifecycle": Signature((), ("post_start", "pre_stop"), ()),
}
CONTAINER_BELONGS = {
    "http_probe": "readiness_probe=, liveness_probe= or startup_probe=",
    "tcp_probe": "readiness_probe=, liveness_probe= or startup_probe=",
    "exec_probe": "readiness_probe=, liveness_probe= or startup_probe=",
    "lifecycle": "lifecycle=",
}


def _command(r: OptionReader, node: ast.expr, what: str) -> list[str] | None:
    value = r.lit(node, what, "a list of strings")
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return list(value)
    if value is not None:
        error(r, "TPH547", f"'{what}' is a command: a non-empty list of strings, such as "
              "[\"sh\", \"-c\", \"...\"]", node)
    return None


def _port(r: OptionReader, node: ast.expr) -> int | str | None:
    value = r.lit(node, "port", "a port number or name")
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 65535:
        return value
    if isinstance(value, str) and value:
        return value  # a named port of the container
    if value is not None:
        error(r, "TPH547", "a port is a number from 1 to 65535, or a port's name", node)
    return None


def _probe(kind: str) -> Callable[[OptionReader, Args, ast.Call], Json]:
    def build(r: OptionReader, a: Args, call: ast.Call) -> Json:
        probe: dict[str, Any] = {}
        if kind == "http_probe":
            path = r.string(a["path"], "path")
            port = _port(r, a["port"])
            if path is None or port is None:
                return None
            action: dict[str, Any] = {"path": path, "port": port}
            if "host" in a:
                action["host"] = r.string(a["host"], "host")
            if "scheme" in a:
                scheme = (r.string(a["scheme"], "scheme") or "").upper()
                if scheme not in ("HTTP", "HTTPS"):
                    error(r, "TPH547", "scheme is \"HTTP\" or \"HTTPS\"", a["scheme"])
                    return None
                action["scheme"] = scheme
            probe["httpGet"] = action
        elif kind == "tcp_probe":
            port = _port(r, a["port"])
            if port is None:
                return None
            probe["tcpSocket"] = {"port": port}
        else:
            command = _command(r, a["command"], "command")
            if command is None:
                return None
            probe["exec"] = {"command": command}
        for option, (key, minimum) in _TIMING_KEYS.items():
            if option in a:
                seconds = r.integer(a[option], option, minimum)
                if seconds is None:
                    return None
                probe[key] = seconds
        return probe
    return build


def _lifecycle(r: OptionReader, a: Args, call: ast.Call) -> Json:
    out: dict[str, Any] = {}
    for option, key in (("post_start", "postStart"), ("pre_stop", "preStop")):
        if option in a:
            command = _command(r, a[option], option)
            if command is None:
                return None
            out[key] = {"exec": {"command": command}}
    if not out:
        error(r, "TPH547", "lifecycle() needs post_start=[...] or pre_stop=[...] (a command)",
              call)
        return None
    return out


CONTAINER_BUILDERS: dict[str, Callable[[OptionReader, Args, ast.Call], Json]] = {
    "http_probe": _probe("http_probe"), "tcp_probe": _probe("tcp_probe"),
    "exec_probe": _probe("exec_probe"), "lifecycle": _lifecycle,
}


def read_container_fields(r: OptionReader, extras: ExtrasReader, args: Args,
                          params: list[ParamVal] | None = None) -> tuple[tuple[str, Json], ...]:
    """The main container's extra fields, as (Kubernetes key, JSON value), checked. With
    *params*, working_dir may be an f-string of workflow values."""
    out: list[tuple[str, Json]] = []
    for option, key in CONTAINER_FIELDS.items():
        node = args.get(option)
        if node is None:
            continue
        if option == "working_dir":
            value: Json = _working_dir(r, node, params)
        elif option == "ports":
            value = _ports(r, extras, node)
        else:
            kinds = ("lifecycle",) if option == "lifecycle" else _PROBES
            value = _handler(r, extras, node, option, key, kinds)
        if value is not None:
            out.append((key, value))
    return tuple(out)


def _working_dir(r: OptionReader, node: ast.expr, params: list[ParamVal] | None) -> str | None:
    found, text = r.fstring(node, "working_dir", params)
    path = text if found else r.string(node, "working_dir")
    if path is None:
        return None
    if path.startswith("{{"):
        return path  # the whole start is a parameter's value: Argo's pod creation checks it
    if not path.startswith("/") or ".." in path.split("/") or ":" in path:
        error(r, "TPH546", f"working_dir {path!r} must be an absolute, normalised path such "
              "as \"/src\"", node)
        return None
    return path


def _ports(r: OptionReader, extras: ExtrasReader, node: ast.expr) -> list[Json] | None:
    """``[8080, 9090]`` or ``{"http": 8080}`` (named ports, which probes may refer to)."""
    value = r.lit(node, "ports", "a list of port numbers or a dict of names to numbers")
    if value is None:
        return None
    items: list[tuple[str | None, Any]]
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, (list, tuple)):
        items = [(None, v) for v in value]
    else:
        items = []
    if not items or not all(isinstance(v, int) and not isinstance(v, bool) for _, v in items):
        error(r, "TPH546", "'ports' is a list of port numbers ([8080]) or a dict of port "
              "names to numbers ({\"http\": 8080})", node)
        return None
    ports = [{"containerPort": v, **({"name": n} if n is not None else {})} for n, v in items]
    if extras.schema_problems(node, "ports", ports, "container.ports", "TPH546"):
        return None
    return ports


def _handler(r: OptionReader, extras: ExtrasReader, node: ast.expr, option: str, key: str,
             kinds: tuple[str, ...]) -> Json:
    value = r.ev.expr(node)
    found = helper(value, kinds)
    if found is not None:
        if found.value is None:
            return None  # the helper call said why
        problems = fragment_problems(f"container.{key}", found.value)
        for _, message in problems:
            error(r, "TPH548", f"{option}: {message}", found.loc)
        return None if problems else found.value
    if isinstance(value, HelperVal):
        error(r, "TPH548", f"'{option}' takes " + (
            "lifecycle(...)" if option == "lifecycle" else
            "http_probe(...), tcp_probe(...) or exec_probe(...)") +
            f" or a Kubernetes dict; this is {value.reason}", node)
        return None
    literal = r.lit(node, option, "a helper call or a Kubernetes dict")
    if literal is None:
        return None
    if not isinstance(literal, dict) or not literal:
        error(r, "TPH548", f"'{option}' must be a helper call or a non-empty Kubernetes dict; "
              f"this is {describe(value)}", node)
        return None
    part = to_json(literal)
    return None if extras.schema_problems(node, option, part, f"container.{key}",
                                          "TPH548") else part
