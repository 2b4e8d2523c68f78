"""Shared pieces of the task-option readers: the value a helper call evaluates to
(:class:`HelperVal`), and readers used both for a task and for its sidecars (env, resources,
durations, Kubernetes object names)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from typing import Any

from tiphys.compiler.frontend.nodes import dict_items
from tiphys.compiler.frontend.options.k8s_fragments import locate, schema_pattern
from tiphys.compiler.frontend.options.read import DURATION, OptionReader
from tiphys.compiler.frontend.values import InterpVal, Lit, ParamVal, Unknown, describe
from tiphys.compiler.ir import task as ir_task
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.names import DNS_SUBDOMAIN

#: Keys of Secrets and ConfigMaps (Kubernetes' ``IsConfigMapKey``).
CONFIG_KEY = re.compile(r"^[-._a-zA-Z0-9]+\Z")
#: A Kubernetes environment variable name: printable ASCII without '='.
ENV_NAME = re.compile(r"^[ -<>-~]+\Z")
#: Names tiphys' generated wrapper reads; a user variable must not shadow them.
RESERVED_ENV_PREFIX = "TIPHYS_"


@dataclass(frozen=True, slots=True)
class HelperVal(Unknown):
    """What ``secret(...)``, ``retry(...)``, ``sidecar(...)``, ... evaluate to.

    It is an :class:`Unknown` to the rest of the evaluator (so a helper passed where it means
    nothing, say as a task argument, is reported there with its ``reason`` as description);
    the task-option readers look inside.
    """

    #: The helper's name: "secret", "retry", "sidecar", ...
    kind: str
    #: The checked IR value (an ``ir_task`` object, or JSON for affinity helpers); None when
    #: the call had errors, which are already reported.
    value: Any
    #: The call, for diagnostics about the value as a whole.
    loc: Loc
    #: Argument name → its position, for diagnostics about one argument.
    arg_locs: tuple[tuple[str, Loc], ...] = ()
    #: Workflow parameters its f-strings read (a sidecar's image, a memoize key): the task that
    #: takes the helper's value declares them in every workflow that runs it.
    params: tuple[ParamVal, ...] = ()

    def at(self, arg: str) -> Loc:
        return dict(self.arg_locs).get(arg, self.loc)


def helper(value: Any, kinds: tuple[str, ...]) -> HelperVal | None:
    """*value* if it is a working helper of one of *kinds*."""
    if isinstance(value, HelperVal) and value.kind in kinds:
        return value
    return None


def error(r: OptionReader, code: str, message: str, where: object | Loc) -> None:
    r.ev.error(code, message, where if isinstance(where, Loc) else r.ev.loc(where))


def warning(r: OptionReader, code: str, message: str, where: object | Loc) -> None:
    r.ev.warning(code, message, where if isinstance(where, Loc) else r.ev.loc(where))


# -- small literal readers ---------------------------------------------------------------------


def read_duration(r: OptionReader, node: ast.expr | None, what: str) -> str | None:
    """A positive number of seconds (→ ``"Ns"``) or a Go duration string; else TPH143."""
    value = r.lit(node, what, "a duration such as \"30s\" or a number of seconds")
    if value is None or node is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return f"{value}s"
    if isinstance(value, str) and DURATION.match(value):
        return value
    error(r, "TPH143", f"'{what}' must be a positive number of seconds or a duration such as "
          f"\"90s\", \"10m\" or \"1h30m\"; got {value!r}", node)
    return None


def read_bool(r: OptionReader, node: ast.expr | None, what: str) -> bool:
    value = r.lit(node, what, "True or False")
    if value is None or isinstance(value, bool):
        return bool(value)
    assert node is not None
    r.bad(node, what, "True or False")
    return False


def object_name_problem(name: str) -> str | None:
    """Why *name* cannot name a Secret, ConfigMap or ServiceAccount (a DNS-1123 subdomain)."""
    if not name:
        return "is empty"
    if len(name) > 253:
        return f"is {len(name)} characters long; Kubernetes allows at most 253"
    if not DNS_SUBDOMAIN.match(name):
        return ("is not a valid Kubernetes object name: use lower-case letters, digits, '-' "
                "and '.', starting and ending with a letter or digit")
    return None


def read_object_name(r: OptionReader, node: ast.expr | None, what: str,
                     code: str) -> str | None:
    name = r.string(node, what)
    if name is None or node is None:
        return None
    problem = object_name_problem(name)
    if problem:
        error(r, code, f"{what} '{name}' {problem}", node)
        return None
    return name


def read_config_key(r: OptionReader, node: ast.expr | None, what: str,
                    code: str) -> str | None:
    key = r.string(node, what)
    if key is None or node is None:
        return None
    if not CONFIG_KEY.match(key) or len(key) > 253:
        error(r, code, f"{what} '{key}' is not a valid Secret or ConfigMap key: use letters, "
              "digits, '-', '_' and '.'", node)
        return None
    return key


# -- resources -------------------------------------------------------------------------------


Resources = tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]


def read_resources(r: OptionReader, args: dict[str, ast.expr]) -> Resources:
    """``cpu``, ``memory``, ``gpu`` and ``resources`` → ``{"limits": ..., "requests": ...}``.

    Quantities and resource names are checked here (TPH181), where they are written, rather
    than left for the schema check of the emitted document."""
    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    if "cpu" in args:
        cpu = r.lit(args["cpu"], "cpu", "a CPU quantity such as \"500m\" or 2")
        if isinstance(cpu, (str, int, float)) and not isinstance(cpu, bool):
            if _quantity_ok(r, cpu, args["cpu"], "cpu"):
                requests["cpu"] = cpu
        elif cpu is not None:
            r.bad(args["cpu"], "cpu", "a quantity such as \"500m\" or 2")
    if "memory" in args:
        memory = r.string(args["memory"], "memory")
        if memory is not None and _quantity_ok(r, memory, args["memory"], "memory"):
            requests["memory"] = memory
            limits["memory"] = memory
    if "gpu" in args:
        gpu = r.integer(args["gpu"], "gpu", 1)
        if gpu is not None:
            limits["nvidia.com/gpu"] = gpu
    if "resources" in args:
        node = args["resources"]
        res = r.lit(node, "resources", "a dict literal")
        if isinstance(res, dict) and set(res) <= {"requests", "limits"} and \
                all(isinstance(v, dict) for v in res.values()):
            for table_name, into in (("requests", requests), ("limits", limits)):
                for name, value in res.get(table_name, {}).items():
                    if not (isinstance(name, str) and schema_pattern("QualifiedName").match(name)):
                        error(r, "TPH181", f"{name!r} is not a resource name (such as \"cpu\", "
                              "\"memory\", \"ephemeral-storage\" or \"nvidia.com/gpu\")",
                              locate(node, (table_name, str(name)), at_key=True))
                    elif _quantity_ok(r, value, locate(node, (table_name, name)), name):
                        into[name] = value
        elif res is not None:
            r.bad(node, "resources", "a dict with 'requests' and/or 'limits' dicts")
    # Quantities are emitted as strings: Kubernetes' Quantity decodes numbers too, but
    # Argo's published schema types it as a string, and "2" is what kubectl prints.
    return tuple(
        (key, tuple(sorted((k, _quantity(v)) for k, v in table.items())))
        for key, table in (("limits", limits), ("requests", requests)) if table
    )


def _quantity_ok(r: OptionReader, value: Any, node: object, what: str) -> bool:
    text = _quantity(value)
    if isinstance(text, str) and schema_pattern("Quantity").match(text):
        return True
    error(r, "TPH181", f"{what} {value!r} is not a Kubernetes quantity: write a number with an "
          "optional suffix, such as \"500m\", \"2\", \"512Mi\" or \"1Gi\"", node)
    return False


def _quantity(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


# -- environment -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EnvRead:
    #: Literal variables, sorted by name.
    literals: tuple[tuple[str, str], ...] = ()
    #: Secret and ConfigMap references, sorted by name.
    refs: tuple[ir_task.EnvRef, ...] = ()


_ENV_EXPECTED = ("a literal (string, number or bool), secret(name, key) or "
                 "config_map_key(name, key)")


def read_env(r: OptionReader, node: ast.expr | None, reserved: frozenset[str],
             what: str = "env", params: list[ParamVal] | None = None) -> EnvRead:
    """``env={NAME: literal | secret(...) | config_map_key(...)}``, entry by entry.

    *reserved* are names the task already sets (its inputs); tiphys' own ``TIPHYS_*`` names are
    always reserved. With *params* (the task's own env), a value may be an f-string of
    workflow values, its parameters added to *params*.
    """
    if node is None:
        return EnvRead()
    entries: list[tuple[str, Any, object, object]] = []
    if isinstance(node, ast.Dict):
        for el in dict_items(node):
            if el.key is None:
                error(r, "TPH150", f"'{what}' must be written out, without ** unpacking",
                      el.node)
                continue
            key = r.ev.expr(el.key)
            if not (isinstance(key, Lit) and isinstance(key.value, str)):
                error(r, "TPH153", f"'{what}' is keyed by variable names (string literals)",
                      el.key)
                continue
            # An f-string is read once, below, where its text is made (it may be TPH508).
            fstring = params is not None and r.fstring_node(el.value)
            entries.append((key.value, None if fstring else r.ev.expr(el.value), el.key,
                            el.value))
    else:
        value = r.lit(node, what, "a dict literal")
        if value is None:
            return EnvRead()
        if not (isinstance(value, dict) and all(isinstance(k, str) for k in value)):
            error(r, "TPH150", f"'{what}' must be a dict of variable names to {_ENV_EXPECTED}",
                  node)
            return EnvRead()
        entries = [(k, Lit(v), node, node) for k, v in value.items()]
    literals: dict[str, str] = {}
    refs: dict[str, ir_task.EnvRef] = {}
    for name, value, key_node, value_node in entries:
        if not _env_name_ok(r, name, key_node, reserved, what):
            continue
        if name in literals or name in refs:
            error(r, "TPH153", f"environment variable '{name}' is set twice", key_node)
            continue
        if value is None:  # an f-string, which the task's own env may hold
            assert isinstance(value_node, ast.expr)
            _, text = r.fstring(value_node, f'{what}["{name}"]', params)
            if text is not None:
                literals[name] = text
            continue
        if isinstance(value, Lit) and isinstance(value.value, (str, int, float, bool)):
            literals[name] = _stringify(value.value)
            continue
        ref = helper(value, ("secret", "config_map_key"))
        if ref is not None:
            if ref.value is not None:
                refs[name] = replace(ref.value, name=name)
            continue
        if isinstance(value, HelperVal) and value.kind in ("secret", "config_map_key"):
            continue  # a broken secret(...): already reported
        if isinstance(value, InterpVal) and isinstance(value_node, ast.expr):
            r.no_fstring(value_node, f'{what}["{name}"]')
            continue
        error(r, "TPH150", f"environment variable '{name}' must be {_ENV_EXPECTED}; this is "
              f"{describe(value)}. Pass run-time values (parameters, other tasks' outputs) as task "
              "inputs instead", value_node)
    return EnvRead(tuple(sorted(literals.items())), tuple(refs[k] for k in sorted(refs)))


def _env_name_ok(r: OptionReader, name: str, node: object, reserved: frozenset[str],
                 what: str) -> bool:
    if not ENV_NAME.match(name):
        error(r, "TPH153", f"'{name}' is not a valid environment variable name: use printable "
              "characters without '=' (letters, digits and '_' by convention)", node)
        return False
    if name.startswith(RESERVED_ENV_PREFIX):
        error(r, "TPH153", f"environment variable '{name}' uses the prefix "
              f"'{RESERVED_ENV_PREFIX}', which tiphys reserves for its own wrapper", node)
        return False
    if name in reserved:
        error(r, "TPH153", f"environment variable '{name}' is also an input of this task, "
              f"which arrives as a variable of the same name: rename one ({what})", node)
        return False
    return True


def _stringify(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
