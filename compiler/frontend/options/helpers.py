"""The helper calls users write inside task options: ``secret(...)``, ``retry(...)``,
``memoize(...)``, ``mutex(...)``, ``sidecar(...)``, ``node_affinity(...)``, ...

Each call is bound to its signature and its arguments are checked where they are written; the
result is a :class:`HelperVal` holding the checked IR value. Whether the value fits where it is
used (a ``secret()`` in ``env=``, a ``mutex()`` in ``synchronization=``) is the option readers'
business (:mod:`tiphys.compiler.frontend.options.declared`, :mod:`tiphys.compiler.frontend.options.extras`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import Any

from tiphys.compiler import ir
from tiphys.compiler.frontend.arguments import Signature, bind
from tiphys.compiler.frontend.options.affinity import node_affinity, pod_affinity
from tiphys.compiler.frontend.options.container_fields import (
    CONTAINER_BELONGS,
    CONTAINER_BUILDERS,
    CONTAINER_HELPERS,
)
from tiphys.compiler.frontend.options.helper_values import (
    HelperVal,
    error,
    helper,
    read_bool,
    read_config_key,
    read_duration,
    read_env,
    read_object_name,
    read_resources,
)
from tiphys.compiler.frontend.options.read import OptionReader
from tiphys.compiler.frontend.values import Lit, ParamVal, Value
from tiphys.compiler.ir import task as ir_task

_CONTAINER = ("command", "args", "env", "cpu", "memory", "mirror_volume_mounts", "volumes")
_POD_AFFINITY = Signature(("labels",), ("topology_key", "required", "weight"), ("labels",))

#: Helper name → its signature (the same as the runtime function in ``tiphys``).
HELPERS: dict[str, Signature] = {
    "secret": Signature(("name", "key"), ("optional",), ("name", "key")),
    "config_map_key": Signature(("name", "key"), ("optional",), ("name", "key")),
    "secret_env": Signature(("name",), ("prefix", "optional"), ("name",)),
    "config_map_env": Signature(("name",), ("prefix", "optional"), ("name",)),
    "retry": Signature(("limit",), ("policy", "backoff", "expression"), ("limit",)),
    "backoff": Signature(("duration",), ("factor", "max_duration", "cap"), ("duration",)),
    "memoize": Signature(("key",), ("max_age", "cache"), ("key", "max_age", "cache")),
    "mutex": Signature(("name",), ("namespace", "database"), ("name",)),
    "semaphore": Signature(("config_map", "key"), ("namespace", "database"), ("key",)),
    "sidecar": Signature(("name", "image"), _CONTAINER, ("name", "image")),
    "init_container": Signature(("name", "image"), _CONTAINER, ("name", "image")),
    "node_affinity": Signature((), ("required", "preferred", "weight")),
    "pod_affinity": _POD_AFFINITY,
    "pod_anti_affinity": _POD_AFFINITY,
    "supplied": Signature(("name",), ("default", "enum", "description"), ("name",)),
}

#: Where each helper's value belongs, for messages about a helper used elsewhere.
_BELONGS = {
    "secret": "env=", "config_map_key": "env=", "secret_env": "env_from=",
    "config_map_env": "env_from=", "retry": "retries=", "backoff": "retry(backoff=...)",
    "memoize": "memoize=", "mutex": "synchronization=", "semaphore": "synchronization=",
    "sidecar": "sidecars=", "init_container": "init_containers=", "node_affinity": "affinity=",
    "pod_affinity": "affinity=", "pod_anti_affinity": "affinity=",
    "supplied": "suspend(outputs=[...])",
}

RETRY_POLICIES = ("Always", "OnFailure", "OnError", "OnTransientError")
#: Container names Argo uses itself, or that the task's own container has.
RESERVED_CONTAINERS = ("main", "wait", "init", "supervisor")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")

Args = dict[str, ast.expr]


def helper_call(opts: OptionReader, short: str, call: ast.Call) -> Value:
    """Evaluate ``tiphys.<short>(...)`` for a helper in :data:`HELPERS`."""
    ev = opts.ev
    b = bind(call, HELPERS[short], f"{short}()")
    for node, message in b.problems:
        ev.error("TPH100", message, ev.loc(node))
    arg_locs = tuple((name, ev.loc(node)) for name, node in b.args.items())
    reason = f"{short}(...), a value for a task's {_BELONGS[short]}"
    params: list[ParamVal] = []
    if b.problems:
        value = None
    elif short in _TEMPLATED_BUILDERS:
        value = _TEMPLATED_BUILDERS[short](opts, b.args, call, params)
    else:
        value = _BUILDERS[short](opts, b.args, call)
    return HelperVal(reason, short, value, ev.loc(call), arg_locs, tuple(params))


# -- secrets and config ------------------------------------------------------------------------


def _key_ref(kind: str) -> Callable[[OptionReader, Args, ast.Call], Any]:
    def build(r: OptionReader, a: Args, call: ast.Call) -> ir_task.EnvRef | None:
        what = "secret" if kind == "secret" else "config map"
        name = read_object_name(r, a["name"], f"{what} name", "TPH151")
        key = read_config_key(r, a["key"], "key", "TPH151")
        optional = read_bool(r, a.get("optional"), "optional")
        if name is None or key is None:
            return None
        return ir_task.EnvRef("", kind, name, key, optional)
    return build


def _env_source(kind: str) -> Callable[[OptionReader, Args, ast.Call], Any]:
    def build(r: OptionReader, a: Args, call: ast.Call) -> ir_task.EnvSource | None:
        what = "secret" if kind == "secret" else "config map"
        name = read_object_name(r, a["name"], f"{what} name", "TPH152")
        prefix = r.string(a.get("prefix"), "prefix") if "prefix" in a else None
        if prefix is not None and (prefix == "" or "=" in prefix):
            error(r, "TPH152", f"prefix {prefix!r} must be non-empty and must not contain '='",
                  a["prefix"])
            prefix = None
        optional = read_bool(r, a.get("optional"), "optional")
        if name is None:
            return None
        return ir_task.EnvSource(kind, name, prefix, optional)
    return build


# -- run control -------------------------------------------------------------------------------


def _retry(r: OptionReader, a: Args, call: ast.Call) -> tuple[int, ir_task.Retry] | None:
    limit = read_limit(r, a["limit"])
    policy = None
    if "policy" in a:
        policy = r.string(a["policy"], "policy")
        if policy is not None and policy not in RETRY_POLICIES:
            error(r, "TPH140", f"unknown retry policy {policy!r}; use one of " +
                  ", ".join(RETRY_POLICIES) + _closest(policy, RETRY_POLICIES), a["policy"])
            policy = None
    backoff = None
    if "backoff" in a:
        value = r.ev.expr(a["backoff"])
        found = helper(value, ("backoff",))
        if found is not None:
            backoff = found.value
        elif isinstance(value, Lit) and not isinstance(value.value, bool) and \
                isinstance(value.value, (int, str)):
            # A bare duration is the common case: backoff="10s".
            duration = read_duration(r, a["backoff"], "backoff")
            backoff = ir_task.Backoff(duration) if duration else None
        elif not (isinstance(value, HelperVal) and value.kind == "backoff"):
            error(r, "TPH142", "'backoff' must be backoff(duration, factor=..., max_duration=..., "
                  "cap=...) or a duration such as \"10s\"", a["backoff"])
    expression = None
    if "expression" in a:
        expression = r.string(a["expression"], "expression")
        if expression is not None and not expression.strip():
            error(r, "TPH141", "retry expression must not be empty", a["expression"])
            expression = None
    if limit is None:
        return None
    return limit, ir_task.Retry(policy, backoff, expression)


def read_limit(r: OptionReader, node: ast.expr) -> int | None:
    value = r.lit(node, "limit", "an integer literal")
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    error(r, "TPH141", f"the retry limit must be an integer >= 0 (retries after the first "
          f"attempt); got {value!r}", node)
    return None


def _backoff(r: OptionReader, a: Args, call: ast.Call) -> ir_task.Backoff | None:
    duration = read_duration(r, a["duration"], "duration")
    factor = None
    if "factor" in a:
        value = r.lit(a["factor"], "factor", "an integer literal")
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            factor = value
        elif value is not None:
            error(r, "TPH142", f"backoff factor must be an integer >= 1 (Argo multiplies the "
                  f"wait by a whole number after each retry); got {value!r}", a["factor"])
    max_duration = read_duration(r, a.get("max_duration"), "max_duration")
    cap = read_duration(r, a.get("cap"), "cap")
    if duration is None:
        return None
    return ir_task.Backoff(duration, factor, max_duration, cap)


def _memoize(r: OptionReader, a: Args, call: ast.Call,
             params: list[ParamVal]) -> ir_task.Memoize | None:
    found, text = r.fstring(a["key"], "key", params)
    key = text if found else r.string(a["key"], "key")
    if key is not None and not key.strip():
        error(r, "TPH144", "the memoization key must not be empty: use the inputs that "
              "decide the result, e.g. \"{{inputs.parameters.url}}\"", a["key"])
        key = None
    max_age = read_duration(r, a["max_age"], "max_age")
    cache = read_object_name(r, a["cache"], "cache config map name", "TPH144")
    if key is None or max_age is None or cache is None:
        return None
    return ir_task.Memoize(key, max_age, cache)


def _namespace(r: OptionReader, a: Args) -> str | None:
    ns = r.string(a.get("namespace"), "namespace") if "namespace" in a else None
    if ns is not None and not (DNS_LABEL.match(ns) and len(ns) <= 63):
        error(r, "TPH145", f"namespace '{ns}' is not a valid namespace name (a DNS-1123 label)",
              a["namespace"])
        return None
    return ns


def _mutex(r: OptionReader, a: Args, call: ast.Call,
           params: list[ParamVal]) -> ir_task.Lock | None:
    found, text = r.fstring(a["name"], "name", params)
    name = text if found else r.string(a["name"], "name")
    if name is not None and not name.strip():
        error(r, "TPH145", "a mutex name must not be empty", a["name"])
        name = None
    namespace = _namespace(r, a)
    database = read_bool(r, a.get("database"), "database")
    if name is None:
        return None
    return ir_task.Lock("mutex", name, None, database, namespace)


def _semaphore(r: OptionReader, a: Args, call: ast.Call) -> ir_task.Lock | None:
    database = read_bool(r, a.get("database"), "database")
    config_map = None
    if "config_map" in a:
        config_map = read_object_name(r, a["config_map"], "semaphore config map name",
                                      "TPH145")
        if database:
            error(r, "TPH145", "a semaphore is either in a ConfigMap (config_map=) or in the "
                  "synchronization database (database=True), not both", a["config_map"])
            return None
    elif not database:
        error(r, "TPH145", "semaphore() needs the ConfigMap that holds its limit "
              "(semaphore(\"config-map\", \"key\")) or database=True", call)
        return None
    key = read_config_key(r, a["key"], "semaphore key", "TPH145")
    namespace = _namespace(r, a)
    if key is None or (config_map is None and not database):
        return None
    return ir_task.Lock("semaphore", config_map, key, database, namespace)


# -- pods --------------------------------------------------------------------------------------


def _container(role: str) -> Callable[[OptionReader, Args, ast.Call, list[ParamVal]], Any]:
    def build(r: OptionReader, a: Args, call: ast.Call,
              params: list[ParamVal]) -> ir_task.UserContainer | None:
        what = "sidecar" if role == "sidecar" else "init container"
        name = r.string(a["name"], "name")
        if name is not None:
            problem = container_name_problem(name)
            if problem:
                error(r, "TPH176", f"{what} name '{name}' {problem}", a["name"])
                name = None
        found, text = r.fstring(a["image"], "image", params)
        image = text if found else r.string(a["image"], "image")
        if image is not None and not image.strip():
            error(r, "TPH177", f"the {what} image must not be empty", a["image"])
            image = None
        command = r.optional_string_list(a.get("command"), "command", params)
        args = r.optional_string_list(a.get("args"), "args", params)
        env = read_env(r, a.get("env"), frozenset(), params=params)
        resources = read_resources(r, {k: v for k, v in a.items() if k in ("cpu", "memory")})
        mirror = read_bool(r, a.get("mirror_volume_mounts"), "mirror_volume_mounts")
        from tiphys.compiler.frontend.options.declared import TaskOptionReader  # imports this

        mounts = TaskOptionReader(r)._mounts(a.get("volumes"))
        if name is None or image is None:
            return None
        return ir_task.UserContainer(role, name, image, command, args, env.literals, env.refs,
                                     resources, mirror, mounts)
    return build


def container_name_problem(name: str) -> str | None:
    if name in RESERVED_CONTAINERS:
        return ("is taken: Argo names the task's own container 'main' and its helpers "
                "'init', 'wait' and 'supervisor'")
    if len(name) > 63 or not DNS_LABEL.match(name):
        return ("is not a valid container name: lower-case letters, digits and '-', at most "
                "63 characters, starting and ending with a letter or digit")
    return None


def _supplied(r: OptionReader, a: Args, call: ast.Call) -> ir.Prompt | None:
    """``supplied(name, default=, enum=, description=)``: an intermediate parameter."""
    name = r.required_string(a.get("name"), "name")
    default = r.string(a.get("default"), "default") if "default" in a else None
    description = r.string(a.get("description"), "description") if "description" in a else None
    enum: list[str] = []
    if "enum" in a:
        enum = r.string_list(a["enum"], "enum")
        if not enum:
            error(r, "TPH457", "enum= lists the values the person resuming may choose: give at "
                  "least one", a["enum"])
            return None
        if len(set(enum)) != len(enum):
            error(r, "TPH457", "enum= lists a value twice", a["enum"])
            return None
        if default is None:
            error(r, "TPH457", "supplied() with enum= needs a default= among its values: Argo "
                  "offers it first, and a local run uses it", a["enum"])
            return None
        if default not in enum:
            error(r, "TPH457", f"the default {default!r} is not one of enum= "
                  f"({', '.join(map(repr, enum))})", a["default"])
            return None
    if name is None:
        return None
    return ir.Prompt(name, default, tuple(enum), description)


_BUILDERS: dict[str, Callable[[OptionReader, Args, ast.Call], Any]] = {
    "secret": _key_ref("secret"),
    "config_map_key": _key_ref("config_map"),
    "secret_env": _env_source("secret"),
    "config_map_env": _env_source("config_map"),
    "retry": _retry,
    "backoff": _backoff,
    "semaphore": _semaphore,
    "node_affinity": node_affinity,
    "pod_affinity": pod_affinity("podAffinity"),
    "pod_anti_affinity": pod_affinity("podAntiAffinity"),
    "supplied": _supplied,
}


#: Helpers whose text fields are the template's own, which Argo fills in at run time: they
#: take f-strings of workflow values, whose parameters they record (``HelperVal.params``).
_TEMPLATED_BUILDERS: dict[str, Callable[[OptionReader, Args, ast.Call, list[ParamVal]], Any]] = {
    "memoize": _memoize,
    "mutex": _mutex,
    "sidecar": _container("sidecar"),
    "init_container": _container("init"),
}


def _closest(word: str, options: tuple[str, ...]) -> str:
    """`` (did you mean 'OnFailure'?)`` for ``on_failure``, ``onfailure``, ``On-Failure``."""
    squash = re.sub(r"[^a-z]", "", word.lower())
    for option in options:
        if option.lower() == squash:
            return f" (did you mean '{option}'?)"
    return ""


# Probes and lifecycle handlers of the main container (frontend/options/container_fields.py).
HELPERS.update(CONTAINER_HELPERS)
_BELONGS.update(CONTAINER_BELONGS)
_BUILDERS.update(CONTAINER_BUILDERS)
