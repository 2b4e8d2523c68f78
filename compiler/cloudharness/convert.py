"""Symbolic argument values → checked parameter values, for the static recognizer.

Each function takes the argument's symbolic value and node, insists on a static value where
CloudHarness needs one (a diagnostic at the argument otherwise), and delegates the checks to
:mod:`.values`, which the run-time classes use too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tiphys.compiler.cloudharness import values as V
from tiphys.compiler.cloudharness.model import (
    EnvVar,
    ExitNotify,
    Json,
    PodContext,
    Problem,
    VolumeSpec,
    error,
)
from tiphys.compiler.cloudharness.overrides import camel
from tiphys.compiler.cloudharness.symbolic import (
    Const,
    CtxSym,
    DictSym,
    Env,
    ModelObj,
    Node,
    NotStatic,
    Seq,
    Sym,
    Unknown,
    literal,
)
from tiphys.compiler.cloudharness.syntax import Argument, written

if TYPE_CHECKING:
    from tiphys.compiler.cloudharness.recognize import Recognizer
    from tiphys.compiler.ir.loc import Loc

Arg = tuple[Sym, Node]
_MISSING = object()


def static(rec: Recognizer, sym: Sym | None, node: Node, what: str,
           problems: list[Problem]) -> Any:
    """The literal value of *sym*, or ``_MISSING`` after reporting why it is not static."""
    if sym is None:
        return _MISSING
    try:
        return literal(sym)
    except NotStatic as exc:
        u = exc.unknown
        where = ""
        if u.node is not node:
            where = f" (line {rec.loc(u.node, u.stmt).position()[0]})"
        problems.append(error("TPH604", f"{what} is not statically knowable: it is {u.why}"
                              f"{where}; tiphys compiles operations from their source, so write "
                              "it as a literal (or a name bound to one)", rec.loc(node)))
        return _MISSING


def static_str(rec: Recognizer, sym: Sym | None, node: Node, what: str,
               problems: list[Problem]) -> str | None:
    if sym is None:
        return None
    value = static(rec, sym, node, what, problems)
    if value is _MISSING:
        return None
    if not isinstance(value, str):
        problems.append(error("TPH604", f"{what} must be a string, not {value!r}", rec.loc(node)))
        return None
    return value


def _checked(rec: Recognizer, arg: Arg | None, what: str, problems: list[Problem]) -> Any:
    if arg is None:
        return None
    value = static(rec, arg[0], arg[1], what, problems)
    return None if value is _MISSING else value


def env_var(rec: Recognizer, name: str, sym: Sym, arg: Argument,
            problems: list[Problem]) -> EnvVar:
    loc = rec.loc(arg.node)
    try:
        var, found = V.env_value(name, literal(sym), loc)
    except NotStatic as exc:
        u = exc.unknown
        default = u.default if u.default is not None else None
        text = written(rec.source, arg.value)
        var, found = V.env_param(name, text, default.value if default else None,
                                 default is not None, loc)
    problems.extend(found)
    return var


def command(rec: Recognizer, sym: Sym, node: Node,
            problems: list[Problem]) -> tuple[str, ...] | None:
    value = static(rec, sym, node, "command", problems)
    if value is _MISSING:
        return None
    out, found = V.command(value, rec.loc(node))
    problems.extend(found)
    return out


def resources(rec: Recognizer, arg: Arg | None, problems: list[Problem]) -> Json:
    value = _checked(rec, arg, "resources", problems)
    out, found = V.resources(value, rec.loc(arg[1]) if arg else None)
    problems.extend(found)
    return out


def volume_list(rec: Recognizer, arg: Arg | None, problems: list[Problem]) -> tuple[VolumeSpec, ...]:
    value = _checked(rec, arg, "volume_mounts", problems)
    out, found = V.volumes(value, rec.loc(arg[1]) if arg else None, "volume_mounts")
    problems.extend(found)
    return out


def optional_int(rec: Recognizer, arg: Arg | None, what: str, minimum: int,
                 problems: list[Problem]) -> int | None:
    value = _checked(rec, arg, what, problems)
    out, found = V.integer(value, what, minimum, rec.loc(arg[1]) if arg else None)
    problems.extend(found)
    return out


def pull_policy(rec: Recognizer, arg: Arg | None, problems: list[Problem]) -> str | None:
    value = _checked(rec, arg, "image_pull_policy", problems)
    out, found = V.pull_policy(value, rec.loc(arg[1]) if arg else None)
    problems.extend(found)
    return out


def overrides(rec: Recognizer, arg: Arg | None,
              problems: list[Problem]) -> tuple[Json, tuple[tuple[str, Loc], ...]]:
    """The fields (camelCase) and where each is written."""
    value = _checked(rec, arg, "template_overrides", problems)
    locs: dict[str, Loc] = {}
    if arg is not None:
        sym = arg[0]
        pairs: list[tuple[Any, Sym]] = []
        if isinstance(sym, ModelObj):
            pairs = list(sym.fields)
        elif isinstance(sym, DictSym):
            pairs = [(k.value, v) for k, v in sym.items if isinstance(k, Const)]
        for key, v in pairs:
            node = getattr(v, "node", None)
            if isinstance(key, str) and node is not None:
                locs[camel(key)] = rec.loc(node, getattr(v, "stmt", None))
    out, found = V.overrides(value, rec.loc(arg[1]) if arg else None, locs)
    problems.extend(found)
    return out, tuple(locs.items())


def pod_context(rec: Recognizer, values: dict[str, Arg], loc: Any,
                problems: list[Problem]) -> PodContext | None:
    got = {k: _checked(rec, values.get(k), f"PodExecutionContext {k}", problems)
           for k in ("key", "value", "required")}
    if any(p.is_error for p in problems) or "key" not in values or "value" not in values:
        return None
    required = got["required"] if "required" in values else False
    found = V.pod_context(got["key"], got["value"], required, loc)
    problems.extend(found)
    if found:
        return None
    # CloudHarness stores str(key) and str(value).
    return PodContext(str(got["key"]), str(got["value"]), bool(required), loc)


def pod_contexts(rec: Recognizer, arg: Arg | None, problems: list[Problem]) -> tuple[PodContext, ...]:
    if arg is None:
        return ()
    sym, node = arg
    items: list[Sym]
    if isinstance(sym, Const) and sym.value is None:
        return ()
    if isinstance(sym, CtxSym):
        items = [sym]
    elif isinstance(sym, Seq) and sym.dynamic is None:
        items = sym.items
    else:
        problems.append(error("TPH632", "pod_context must be a PodExecutionContext, or a list "
                              "or tuple of them, built in the source", rec.loc(node)))
        return ()
    out = []
    for item in items:
        if not isinstance(item, CtxSym):
            problems.append(error("TPH632", "pod_context must contain PodExecutionContext "
                                  "objects", rec.loc(getattr(item, "node", node))))
            continue
        problems.extend(p for p in item.problems if p not in problems)
        if item.ctx is not None:
            out.append(item.ctx)
    return tuple(out)


def shared_directory(rec: Recognizer, arg: Arg | None,
                     problems: list[Problem]) -> tuple[tuple[VolumeSpec, ...], str | None]:
    value = _checked(rec, arg, "shared_directory", problems)
    specs, env, found = V.shared_directory(value, rec.loc(arg[1]) if arg else None)
    problems.extend(found)
    return specs, env


def ttl(rec: Recognizer, arg: Arg | None,
        problems: list[Problem]) -> tuple[tuple[tuple[str, int], ...] | None, bool]:
    if arg is None:
        return None, False
    value = static(rec, arg[0], arg[1], "ttl_strategy", problems)
    if value is _MISSING:
        return None, False
    out, found = V.ttl(value, rec.loc(arg[1]))
    problems.extend(found)
    return out, True


def pod_gc(rec: Recognizer, arg: Arg | None, problems: list[Problem]) -> Json:
    value = _checked(rec, arg, "pod_gc", problems)
    out, found = V.pod_gc(value, rec.loc(arg[1]) if arg else None)
    problems.extend(found)
    return out


def on_exit(rec: Recognizer, arg: Arg | None, env: Env,
            problems: list[Problem]) -> ExitNotify | None:
    """``{'image', 'queue', 'payload'}``; queue and payload may be known only at run time."""
    if arg is None:
        return None
    sym, node = arg
    loc = rec.loc(node)
    if isinstance(sym, Const) and sym.value is None:
        return None
    if not isinstance(sym, DictSym):
        value = static(rec, sym, node, "on_exit_notify", problems)
        if value is _MISSING:
            return None
        if not isinstance(value, dict):
            problems.append(error("TPH634", "on_exit_notify must be a dict with the keys image, "
                                  "queue and payload", loc))
            return None
        sym = DictSym(tuple((Const(k, node, rec.stmt), Const(v, node, rec.stmt))
                            for k, v in value.items()), node, rec.stmt)
    if not sym.items:
        return None  # CloudHarness tests the dict's truth
    entries: dict[str, tuple[Sym, Node]] = {}
    for k, v in sym.items:
        key = static(rec, k, k.node if hasattr(k, "node") else node, "an on_exit_notify key",
                     problems)
        if isinstance(key, str):
            entries[key] = (v, getattr(v, "node", node))
    problems.extend(V.exit_keys(list(entries), loc))
    image = image_loc = None
    if "image" in entries:
        image = static_str(rec, entries["image"][0], entries["image"][1],
                           "on_exit_notify image", problems)
        image_loc = rec.loc(entries["image"][1])
    env_vars = []
    for key, env_name in (("queue", "queue_name"), ("payload", "payload")):
        if key not in entries:
            continue
        v, vnode = entries[key]
        vloc = rec.loc(vnode)
        try:
            var, found = V.env_value(env_name, literal(v), vloc)
        except NotStatic as exc:
            u: Unknown = exc.unknown
            text = written(rec.source, vnode) or u.why
            var, found = V.env_param(env_name, text, u.default.value if u.default else None,
                                     u.default is not None, vloc)
        problems.extend(found)
        env_vars.append(var)
    return ExitNotify(image, tuple(env_vars), loc, image_loc)
