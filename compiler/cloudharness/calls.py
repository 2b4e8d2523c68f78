"""CloudHarness constructor calls → model objects, with CloudHarness' parameters.

Each class binds its arguments as CloudHarness' effective signature does (positions included);
a task's extra keyword arguments become environment variables, an operation's are ignored (as
CloudHarness swallows them) with a warning. Values go through :mod:`.convert`.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tiphys.compiler.cloudharness import convert
from tiphys.compiler.cloudharness.model import (
    BASH,
    COMMAND,
    CUSTOM,
    DEFAULT_SHARED_PATH,
    PARALLEL,
    PIPELINE,
    PYTHON,
    SEND_RESULT,
    SIMPLEDAG,
    SINGLE,
    EnvVar,
    Operation,
    PodContext,
    Problem,
    Task,
    error,
    info,
    warning,
)
from tiphys.compiler.cloudharness.recognize import Site
from tiphys.compiler.cloudharness.symbolic import (
    Const,
    CtxSym,
    Env,
    FuncRef,
    LambdaRef,
    Node,
    OpSym,
    Ref,
    Seq,
    Sym,
    TaskSym,
    Unknown,
)
from tiphys.compiler.cloudharness.syntax import Argument, arguments
from tiphys.compiler.ir.loc import Loc

if TYPE_CHECKING:
    from tiphys.compiler.cloudharness.recognize import Recognizer

#: Task parameters every task takes by keyword (CloudHarness' ``Task``).
_TASK_KW = ("resources", "volume_mounts", "retry_limit", "template_overrides",
            "image_pull_policy")
_OP_KW = ("pod_context", "shared_directory", "shared_volume_size", "pod_gc", "ttl_strategy",
          "on_exit_notify")

#: name → (positional parameters, keyword-only parameters, *varargs, kind)
SIGNATURES: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    "PythonTask": (("name", "func"), _TASK_KW, False),
    "BashTask": (("name", "source"), _TASK_KW, False),
    "CustomTask": (("name", "image_name", "resources", "image_pull_policy", "command"),
                   ("volume_mounts", "retry_limit", "template_overrides"), False),
    "CommandBasedTask": (("name", "command", "resources", "image_pull_policy"),
                         ("volume_mounts", "retry_limit", "template_overrides"), False),
    "SendResultTask": ((), (), False),
    "PodExecutionContext": (("key", "value", "required"), (), False),
    "SingleTaskOperation": (("name", "task", "pod_context", "shared_directory", "pod_gc",
                             "ttl_strategy"), ("on_exit_notify", "shared_volume_size"), False),
    "PipelineOperation": (("basename", "tasks", "shared_directory", "shared_volume_size",
                           "pod_context"), ("pod_gc", "ttl_strategy", "on_exit_notify"), False),
    "SimpleDagOperation": (("basename",), _OP_KW, True),
    "DistributedSyncOperationWithResults": (("name", "task"), _OP_KW, False),
    "DirectOperation": (("name", "callback"), (), False),
}
for _alias, _base in (("DistributedSyncOperation", "SingleTaskOperation"),
                      ("DataFrameOperation", "SingleTaskOperation"),
                      ("ParallelOperation", "PipelineOperation"),
                      ("ResourceQueryOperation", "DirectOperation"),
                      ("DataQueryOperation", "DirectOperation")):
    SIGNATURES[_alias] = SIGNATURES[_base]

SHAPES = {"SingleTaskOperation": SINGLE, "DistributedSyncOperation": SINGLE,
          "DataFrameOperation": SINGLE, "PipelineOperation": PIPELINE,
          "ParallelOperation": PARALLEL, "SimpleDagOperation": SIMPLEDAG,
          "DistributedSyncOperationWithResults": PIPELINE}
ABSTRACT = ("ManagedOperation", "ContainerizedOperation", "AsyncOperation", "CompositeOperation",
            "ExecuteAndWaitOperation", "SyncOperation", "Task", "ContainerizedTask",
            "InlinedTask")
DIRECT = ("DirectOperation", "ResourceQueryOperation", "DataQueryOperation")


@dataclass(slots=True)
class Bound:
    args: dict[str, tuple[ast.expr, Node]] = field(default_factory=dict)
    rest: list[Argument] = field(default_factory=list)
    extra: list[Argument] = field(default_factory=list)


def bind(rec: Recognizer, call: ast.Call, cls: str, problems: list[Problem]) -> Bound:
    positional, keyword, varargs = SIGNATURES[cls]
    out = Bound()
    allowed = set(positional) | set(keyword)
    index = 0
    for arg in arguments(call, rec.source):
        if arg.star:
            problems.append(error("TPH605", f"{cls}: '{arg.star}' unpacking is not statically "
                                  "knowable; write the arguments out", rec.loc(arg.node)))
            continue
        if arg.keyword is None:
            if index < len(positional):
                out.args[positional[index]] = (arg.value, arg.node)
                index += 1
            elif varargs:
                out.rest.append(arg)
            else:
                problems.append(error("TPH605", f"{cls} takes at most {len(positional)} "
                                      "positional argument(s)", rec.loc(arg.node)))
            continue
        name = arg.keyword
        if name in out.args:
            problems.append(error("TPH605", f"{cls} got '{name}' twice", rec.loc(arg.keyword_node)))
        elif name in allowed:
            out.args[name] = (arg.value, arg.node)
        else:
            out.extra.append(arg)
    required = positional[:2] if not varargs else positional[:1]
    if cls == "PodExecutionContext":
        required = ("key", "value")
    missing = [n for n in required if n not in out.args]
    if missing:
        problems.append(error("TPH605", f"{cls} is missing the argument(s) " +
                              ", ".join(f"'{m}'" for m in missing), rec.loc(call)))
    return out


def construct(rec: Recognizer, cls: str, call: ast.Call, env: Env) -> Sym:
    loc = rec.loc(call)
    if cls in ABSTRACT:
        rec.out.problems.append(error("TPH607", f"'{cls}' is an abstract CloudHarness class; "
                                      "use one of its concrete operations or tasks", loc))
        return Unknown(f"an abstract '{cls}'", call, rec.stmt)
    if cls not in SIGNATURES:
        rec.out.problems.append(error("TPH607", f"'{cls}' is not a CloudHarness operation, task "
                                      "or PodExecutionContext that tiphys knows", loc))
        return Unknown(f"'{cls}'", call, rec.stmt)
    problems: list[Problem] = []
    bound = bind(rec, call, cls, problems)
    values = {name: (rec.expr(expr, env), node) for name, (expr, node) in bound.args.items()}
    if cls in DIRECT:
        rec.out.problems.append(info("TPH600", f"{cls} runs its callback inside the service, "
                                     "not on Argo: nothing is emitted for it", loc))
        return OpSym(None, call, rec.stmt)
    if cls == "PodExecutionContext":
        ctx = convert.pod_context(rec, values, loc, problems)
        return CtxSym(ctx, tuple(problems), call, rec.stmt)
    if cls in SHAPES:
        op = _operation(rec, cls, call, bound, values, env, problems)
        rec.out.sites.append(Site(op, problems, call, rec.stmt))
        return OpSym(op, call, rec.stmt)
    task = _task(rec, cls, call, bound, values, env, problems)
    return TaskSym(task, tuple(problems), call, rec.stmt)


def _task(
    rec: Recognizer, cls: str, call: ast.Call, bound: Bound,
    values: dict[str, tuple[Sym, Node]], env: Env, problems: list[Problem],
) -> Task | None:
    loc = rec.loc(call)
    if cls == "SendResultTask":
        return Task(SEND_RESULT, "send-result-event", loc=loc, name_loc=loc)
    name_sym, name_node = values.get("name", (None, call))
    name = convert.static_str(rec, name_sym, name_node, f"{cls} name", problems)
    sanitised = name.replace(" ", "-").lower() if name is not None else ""
    env_vars = tuple(convert.env_var(rec, a.keyword, rec.expr(a.value, env), a, problems)
                     for a in bound.extra if a.keyword is not None)
    kind = {"PythonTask": PYTHON, "BashTask": BASH, "CustomTask": CUSTOM,
            "CommandBasedTask": COMMAND}[cls]
    script = image = None
    command: tuple[str, ...] | None = None
    image_loc = None
    if kind == PYTHON:
        script = _python_script(rec, values.get("func"), sanitised or "task", call, problems)
        for a in bound.extra:
            if a.keyword == "command":
                problems.append(warning("TPH639", f"PythonTask '{sanitised}': 'command' is not a "
                                        "parameter of PythonTask; as in CloudHarness it becomes "
                                        "an environment variable", rec.loc(a.keyword_node)))
    elif kind == BASH:
        src = values.get("source")
        script = convert.static_str(rec, src[0] if src else None, src[1] if src else call,
                                    "BashTask source", problems)
    elif kind == CUSTOM:
        img = values.get("image_name")
        image = convert.static_str(rec, img[0] if img else None, img[1] if img else call,
                                   "CustomTask image_name", problems)
        image_loc = rec.loc(img[1]) if img else None
    if "command" in values:
        command = convert.command(rec, *values["command"], problems)
    resources = convert.resources(rec, values.get("resources"), problems)
    mounts = convert.volume_list(rec, values.get("volume_mounts"), problems)
    retry = convert.optional_int(rec, values.get("retry_limit"), "retry_limit", 0, problems)
    policy = convert.pull_policy(rec, values.get("image_pull_policy"), problems)
    overrides, override_locs = convert.overrides(rec, values.get("template_overrides"),
                                                 problems)
    if name is None:
        return None
    # A task with problems is still returned: its operation is lowered for the remaining
    # diagnostics (names, images), though no document is written.
    return Task(
        kind, sanitised, image=image, script=script, command=command, env=env_vars,
        resources=resources, volume_mounts=mounts, retry_limit=retry, image_pull_policy=policy,
        overrides=overrides, loc=loc, name_loc=rec.loc(name_node), image_loc=image_loc,
        resources_loc=rec.loc(values["resources"][1]) if "resources" in values else None,
        overrides_loc=rec.loc(values["template_overrides"][1])
        if "template_overrides" in values else None,
        override_locs=override_locs,
    )


def _python_script(
    rec: Recognizer, func: tuple[Sym, Node] | None, task: str, call: ast.Call,
    problems: list[Problem],
) -> str | None:
    if func is None:
        return None
    sym, node = func
    if isinstance(sym, LambdaRef):
        problems.append(error("TPH620", f"PythonTask '{task}': the function is a lambda; "
                              "CloudHarness emits '<lambda>()', which is not Python: write a def",
                              rec.loc(node)))
        return None
    if isinstance(sym, FuncRef):
        script, found = rec.script(sym, task)
        problems.extend(found)
        return script
    why = sym.why if isinstance(sym, Unknown) else (
        f"the imported name '{sym.qualified}'" if isinstance(sym, Ref) else "not a function")
    problems.append(error("TPH622", f"PythonTask '{task}': the function must be a def in this "
                          f"file (its source is shipped), not {why}", rec.loc(node)))
    return None


def _tasks_of(
    rec: Recognizer, value: tuple[Sym, Node] | None, what: str, problems: list[Problem],
    allow_single: bool = False,
) -> list[Task] | None:
    if value is None:
        return None
    sym, node = value
    if isinstance(sym, TaskSym):
        if not allow_single:
            problems.append(error("TPH602", f"{what} must be a list or tuple of tasks, not one "
                                  "task (CloudHarness iterates over it)", rec.loc(node)))
        return _consume([sym], problems)
    if isinstance(sym, Seq) and sym.dynamic is None:
        out = []
        for item in sym.items:
            if not isinstance(item, TaskSym):
                problems.append(error("TPH603", f"an element of {what} is not a task known "
                                      f"statically: {_why(item)}", rec.loc(_node(item, node))))
            else:
                out.append(item)
        return _consume(out, problems)
    reason = sym.dynamic if isinstance(sym, Seq) else sym if isinstance(sym, Unknown) else None
    where = ""
    if reason is not None and reason.node is not node:
        line = rec.loc(reason.node, reason.stmt).position()[0]
        where = f" (line {line})"
    text = reason.why if reason is not None else f"a {type(sym).__name__}"
    problems.append(error("TPH602", f"{what} is not statically knowable: it is {text}{where}; "
                          "tiphys compiles operations from their source, so list the tasks "
                          "literally (a list or tuple of tasks)", rec.loc(node)))
    return None


def _consume(syms: Sequence[TaskSym], problems: list[Problem]) -> list[Task] | None:
    out: list[Task] = []
    ok = True
    for s in syms:
        problems.extend(p for p in s.problems if p not in problems)
        if s.task is None:
            ok = False
        else:
            out.append(s.task)
    return out if ok else None


def _why(sym: Sym) -> str:
    if isinstance(sym, Unknown):
        return sym.why
    return f"a {type(sym).__name__}" if not isinstance(sym, Const) else f"the literal {sym.value!r}"


def _node(sym: Sym, default: Node) -> Node:
    node = getattr(sym, "node", None)
    return node if node is not None else default


def _operation(
    rec: Recognizer, cls: str, call: ast.Call, bound: Bound,
    values: dict[str, tuple[Sym, Node]], env: Env, problems: list[Problem],
) -> Operation | None:
    loc = rec.loc(call)
    shape = SHAPES[cls]
    for a in bound.extra:
        if a.keyword is not None:
            problems.append(warning("TPH606", f"{cls} has no parameter '{a.keyword}': it "
                                    "is ignored (CloudHarness ignores it silently)",
                                    rec.loc(a.keyword_node)))
    key = "name" if "name" in SIGNATURES[cls][0] else "basename"
    name_sym, name_node = values.get(key, (None, call))
    name = convert.static_str(rec, name_sym, name_node, "operation name", problems)
    groups: list[tuple[Task, ...]] | None = []
    if shape == SINGLE or cls == "DistributedSyncOperationWithResults":
        tasks = _tasks_of(rec, values.get("task"), f"{cls} task", problems, allow_single=True)
        groups = [tuple(tasks)] if tasks is not None else None
        if tasks is not None and values.get("task") is not None and \
                not isinstance(values["task"][0], TaskSym):
            problems.append(error("TPH603", f"the task of {cls} must be one task",
                                  rec.loc(values["task"][1])))
        if cls == "DistributedSyncOperationWithResults" and groups:
            send = Task(SEND_RESULT, "send-result-event", loc=loc, name_loc=loc)
            groups = [groups[0], (send,)]
    elif shape == SIMPLEDAG:
        for arg in bound.rest:
            sym = rec.expr(arg.value, env)
            got = _tasks_of(rec, (sym, arg.value), "a task group", problems, allow_single=True)
            if got is None or groups is None:
                groups = None
            else:
                groups.append(tuple(got))
        if groups == []:
            problems.append(error("TPH602", "SimpleDagOperation needs at least one task group",
                                  loc))
    else:
        tasks = _tasks_of(rec, values.get("tasks"), f"the task list of {cls}", problems)
        if tasks is None:
            groups = None
        elif shape == PIPELINE:
            groups = [(t,) for t in tasks]
        else:
            groups = [tuple(tasks)]
        if groups == [] or groups == [()]:
            problems.append(error("TPH602", f"{cls} has no tasks", loc))
    contexts = convert.pod_contexts(rec, values.get("pod_context"), problems)
    shared_value = values.get("shared_directory")
    if cls == "DistributedSyncOperationWithResults" and shared_value is None:
        shared_value = (Const(DEFAULT_SHARED_PATH, call, rec.stmt), call)
    shared, shared_env = convert.shared_directory(rec, shared_value, problems)
    if cls == "DistributedSyncOperationWithResults" and shared_env is None:
        problems.append(error("TPH630", "DistributedSyncOperationWithResults needs one shared "
                              "directory (its results are the files there)",
                              rec.loc(shared_value[1]) if shared_value else loc))
    size = convert.optional_int(rec, values.get("shared_volume_size"), "shared_volume_size", 1,
                                problems)
    ttl, ttl_given = convert.ttl(rec, values.get("ttl_strategy"), problems)
    pod_gc = convert.pod_gc(rec, values.get("pod_gc"), problems)
    on_exit = convert.on_exit(rec, values.get("on_exit_notify"), env, problems)
    if name is None or groups is None:
        return None
    return Operation(
        cls, shape, name, tuple(groups), ttl=ttl, ttl_given=ttl_given, pod_gc=pod_gc,
        pod_contexts=contexts, shared=shared, shared_env=shared_env, shared_volume_size=size,
        on_exit=on_exit, loc=loc, name_loc=rec.loc(name_node),
        pod_gc_loc=rec.loc(values["pod_gc"][1]) if "pod_gc" in values else None,
        ttl_loc=rec.loc(values["ttl_strategy"][1]) if "ttl_strategy" in values else None,
    )


__all__ = ["SIGNATURES", "EnvVar", "Loc", "PodContext", "construct"]
