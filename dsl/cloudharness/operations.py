"""CloudHarness operations at run time: the names and constructors of
``cloudharness.workflows.operations``, for services that build operations from live values.

``to_workflow()`` returns the Argo document as a dict and ``to_yaml()`` as YAML; both go
through the lowering ``tiphys compile`` uses, and are checked against the strict schema and
Argo's rules. ``submit()``, ``execute()`` and the rest talk to the cluster (:mod:`.running`,
through the official ``kubernetes`` client, ``tiphys[cluster]``).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tiphys.cloudharness import tasks as _tasks
from tiphys.cloudharness.running import ReturnsResults, Submittable, WaitsForTheEnd
from tiphys.cloudharness.tasks import CustomTask, SendResultTask, Task
from tiphys.compiler.cloudharness import model
from tiphys.compiler.cloudharness import values as V
from tiphys.compiler.cloudharness.config import resolve_config
from tiphys.compiler.cloudharness.lower import lower_operation, name_problems
from tiphys.compiler.cloudharness.model import Problem
from tiphys.compiler.lower.workflow import Settings

__all__ = [
    "BadOperationConfiguration", "CloudHarnessWarning", "CustomTask", "DataFrameOperation",
    "DataQueryOperation", "DirectOperation", "DistributedSyncOperation",
    "DistributedSyncOperationWithResults", "OperationStatus", "ParallelOperation",
    "PipelineOperation",
    "PodExecutionContext", "ResourceQueryOperation", "SendResultTask", "SimpleDagOperation",
    "SingleTaskOperation", "configure",
]

_DEFAULT: Any = object()
_config: Mapping[str, Any] | None = None


class OperationStatus:
    """The phases of a submitted operation's workflow (``op.persisted.status``)."""

    PENDING = "Pending"
    RUNNING = "Running"
    ERROR = "Error"
    SUCCEEDED = "Succeeded"
    SKIPPED = "Skipped"
    FAILED = "Failed"


class BadOperationConfiguration(RuntimeError):
    """An operation (or one of its tasks) is invalid; the message lists every problem."""


class CloudHarnessWarning(UserWarning):
    """Something CloudHarness accepted silently (an ignored parameter, ...)."""


def configure(table: Mapping[str, Any] | None = None, **keys: Any) -> None:
    """Set the configuration ``to_workflow()`` uses by default: the keys of
    ``[tool.tiphys.cloudharness]`` (keyword arguments may spell its dashes as underscores;
    relative paths are relative to the working directory)."""
    from tiphys.compiler.cloudharness.config import check_table

    merged = {**(table or {}), **{k.replace("_", "-"): v for k, v in keys.items()}}
    problems = check_table(merged)
    if problems:
        raise ValueError("; ".join(f"{code} {message}" for code, message in problems))
    global _config
    _config = merged or None


def configured() -> Mapping[str, Any] | None:
    """The table :func:`configure` set (None: defaults only)."""
    return _config


class PodExecutionContext:
    """A label on every pod of the operation, plus pod affinity to pods with that label."""

    def __init__(self, key: Any, value: Any, required: bool = False) -> None:
        self.key = str(key)
        self.value = str(value)
        self.required = required

    def to_model(self) -> model.PodContext:
        return model.PodContext(self.key, self.value, bool(self.required))


def _raise(problems: Iterable[Problem], what: str) -> None:
    problems = list(problems)
    for p in problems:
        if not p.is_error:
            warnings.warn(f"{p.code} {p.message}", CloudHarnessWarning, stacklevel=4)
    errors = [f"{_where(p)}{p.code} {p.message}" for p in problems if p.is_error]
    if errors:
        raise BadOperationConfiguration(f"{what}:\n" + "\n".join(errors))


def _where(p: Problem) -> str:
    if p.loc is None:
        return ""
    line, col, _, _ = p.loc.position()
    return f"{p.loc.path}:{line}:{col}: "


def _contexts(value: Any) -> tuple[model.PodContext, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, PodExecutionContext) else list(value)
    if not all(isinstance(c, PodExecutionContext) for c in items):
        raise BadOperationConfiguration("pod_context must be a PodExecutionContext, or a list "
                                        "or tuple of them")
    return tuple(c.to_model() for c in items)


class ManagedOperation:
    """Base of every operation."""

    def __init__(self, name: str) -> None:
        self.name = name


class ContainerizedOperation(Submittable, ManagedOperation):
    """An operation that runs as an Argo workflow."""

    shape = ""

    def __init__(self, name: str, groups: list[tuple[Task, ...]], *, pod_context: Any = None,
                 shared_directory: Any = None, shared_volume_size: int | None = None,
                 pod_gc: Mapping[str, Any] | None = None, ttl_strategy: Any = _DEFAULT,
                 on_exit_notify: Mapping[str, Any] | None = None,
                 ignored: Mapping[str, Any] | None = None) -> None:
        if type(self) in (ContainerizedOperation,):
            raise TypeError("ContainerizedOperation is abstract")
        super().__init__(name)
        problems: list[Problem] = [
            model.warning("TPH606", f"{type(self).__name__} has no parameter '{k}': it is "
                          "ignored (CloudHarness ignores it silently)", None)
            for k in (ignored or {})]
        self.tasks_groups = groups
        #: The shared directories as given (CloudHarness' ``op.volumes``).
        self.volumes: tuple[str, ...] = _volumes(shared_directory)
        self.persisted = None
        for t in self.task_list():
            if not isinstance(t, Task):
                raise BadOperationConfiguration(f"{t!r} is not a task")
            problems += t.problems
        shared, shared_env, found = V.shared_directory(shared_directory, None)
        problems += found
        size, found = V.integer(shared_volume_size, "shared_volume_size", 1, None)
        problems += found
        ttl, found = V.ttl(None if ttl_strategy is _DEFAULT else ttl_strategy, None)
        problems += found
        gc, found = V.pod_gc(pod_gc, None)
        problems += found
        on_exit = None
        if on_exit_notify:  # CloudHarness tests the dict's truth
            problems += V.exit_keys(list(on_exit_notify), None)
            env = []
            for key, env_name in (("queue", "queue_name"), ("payload", "payload")):
                if key in on_exit_notify:
                    var, found = V.env_value(env_name, on_exit_notify[key], None)
                    problems += found
                    env.append(var)
            on_exit = model.ExitNotify(on_exit_notify.get("image"), tuple(env))
        self._model = model.Operation(
            type(self).__name__, self.shape, name,
            tuple(tuple(t.to_model() for t in g) for g in groups),
            ttl=ttl, ttl_given=ttl_strategy is not _DEFAULT, pod_gc=gc,
            pod_contexts=_contexts(pod_context), shared=shared, shared_env=shared_env,
            shared_volume_size=size, on_exit=on_exit,
        )
        problems += name_problems(self._model)
        _raise(problems, f"{type(self).__name__} '{name}'")

    def task_list(self) -> list[Task]:
        return [t for g in self.tasks_groups for t in g]

    def to_workflow(self, config: Mapping[str, Any] | None = None,
                    kind: str | None = None) -> dict[str, Any]:
        """The Argo document (a Workflow by default, with ``generateName``)."""
        table = config if config is not None else _config
        cfg, problems = resolve_config(Settings(kind=kind, cloudharness=table), None)
        _raise(problems, "configuration")
        res = lower_operation(self._model, cfg)
        _raise(res.problems, f"{type(self).__name__} '{self.name}'")
        assert res.lowered is not None
        from tiphys.compiler.cloudharness import user_data_problems

        what = f"{type(self).__name__} '{self.name}'"
        _raise(user_data_problems(res), what)
        doc = res.lowered.document
        _validate(doc, res.open_params, what)
        return doc

    def to_yaml(self, config: Mapping[str, Any] | None = None, kind: str | None = None) -> str:
        from tiphys.compiler.emit import dump_documents

        return dump_documents([self.to_workflow(config, kind)])



def _volumes(shared_directory: Any) -> tuple[str, ...]:
    if not shared_directory:
        return ()
    if shared_directory is True:
        return (model.DEFAULT_SHARED_PATH,)
    if isinstance(shared_directory, str):
        return (shared_directory,)
    return tuple(shared_directory)


def _validate(doc: dict[str, Any], open_params: tuple[str, ...], what: str) -> None:
    from tiphys.compiler.strict_schema import check_strict
    from tiphys.compiler.validator import check_documents

    errors = [f"strict schema: {v}" for v in check_strict(doc)]
    for f in check_documents([doc]):
        if f.severity.value == "error" and not (f.code == "ARG107" and open_params):
            errors.append(f"{f.code} {f.message}")
    if errors:
        raise BadOperationConfiguration(f"{what}:\n" + "\n".join(errors))


def _group(tasks: Any, what: str) -> tuple[Task, ...]:
    if isinstance(tasks, Task):
        return (tasks,)
    if not isinstance(tasks, Iterable):
        raise BadOperationConfiguration(f"{what} must be a task or a list of tasks")
    return tuple(tasks)


class SingleTaskOperation(ContainerizedOperation):
    shape = model.SINGLE

    def __init__(self, name: str, task: Task, pod_context: Any = None,
                 shared_directory: Any = None, pod_gc: Mapping[str, Any] | None = None,
                 ttl_strategy: Any = _DEFAULT, *, on_exit_notify: Mapping[str, Any] | None = None,
                 shared_volume_size: int | None = None, **kwargs: Any) -> None:
        self.task = task
        super().__init__(name, [(task,)], pod_context=pod_context,
                         shared_directory=shared_directory, shared_volume_size=shared_volume_size,
                         pod_gc=pod_gc, ttl_strategy=ttl_strategy, on_exit_notify=on_exit_notify,
                         ignored=kwargs)


class DistributedSyncOperation(WaitsForTheEnd, SingleTaskOperation):
    """Same document as SingleTaskOperation; ``execute()`` waits for the end."""


class DataFrameOperation(DistributedSyncOperation):
    """Same document as SingleTaskOperation."""


class PipelineOperation(ContainerizedOperation):
    """One task after the other: the entry template ``<name>-pipeline``."""

    shape = model.PIPELINE

    def __init__(self, basename: str, tasks: Iterable[Task], shared_directory: Any = "",
                 shared_volume_size: int | None = None, pod_context: Any = None, *,
                 pod_gc: Mapping[str, Any] | None = None, ttl_strategy: Any = _DEFAULT,
                 on_exit_notify: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        if isinstance(tasks, Task):
            raise BadOperationConfiguration(
                f"TPH602 the task list of {type(self).__name__} must be a list or tuple of "
                "tasks, not one task (CloudHarness iterates over it)")
        self.tasks = list(_group(tasks, "tasks"))
        super().__init__(basename, self._groups(self.tasks), pod_context=pod_context,
                         shared_directory=shared_directory, shared_volume_size=shared_volume_size,
                         pod_gc=pod_gc, ttl_strategy=ttl_strategy, on_exit_notify=on_exit_notify,
                         ignored=kwargs)

    def _groups(self, tasks: list[Task]) -> list[tuple[Task, ...]]:
        return [(t,) for t in tasks]


class ParallelOperation(PipelineOperation):
    """All tasks at once: the entry template ``<name>-parallel``."""

    shape = model.PARALLEL

    def _groups(self, tasks: list[Task]) -> list[tuple[Task, ...]]:
        return [tuple(tasks)]


class SimpleDagOperation(ContainerizedOperation):
    """A pipeline of parallel groups: ``SimpleDagOperation('x-', (p1, p2), p3)``."""

    shape = model.SIMPLEDAG

    def __init__(self, basename: str, *task_groups: Any, shared_directory: Any = None,
                 pod_context: Any = None, shared_volume_size: int | None = None,
                 pod_gc: Mapping[str, Any] | None = None, ttl_strategy: Any = _DEFAULT,
                 on_exit_notify: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        groups = [_group(g, "a task group") for g in task_groups]
        super().__init__(basename, groups, pod_context=pod_context,
                         shared_directory=shared_directory, shared_volume_size=shared_volume_size,
                         pod_gc=pod_gc, ttl_strategy=ttl_strategy, on_exit_notify=on_exit_notify,
                         ignored=kwargs)


class DistributedSyncOperationWithResults(ReturnsResults, PipelineOperation):
    """*task*, then a SendResultTask that sends the shared directory's files as the result;
    ``execute()`` waits and returns the messages."""

    def __init__(self, name: str, task: Task, shared_directory: Any = model.DEFAULT_SHARED_PATH,
                 **kwargs: Any) -> None:
        if not (shared_directory is True or isinstance(shared_directory, str)):
            raise BadOperationConfiguration(
                "TPH630 DistributedSyncOperationWithResults needs one shared directory (its "
                "results are the files there)")
        super().__init__(name, [task, SendResultTask()], shared_directory=shared_directory,
                         **kwargs)


class DirectOperation(ManagedOperation):
    """Runs *callback* in the service itself; nothing runs on Argo."""

    def __init__(self, name: str, callback: Callable[..., Any]) -> None:
        super().__init__(name)
        self.callback = callback

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        """The callback's result (CloudHarness drops it)."""
        return self.callback(*args, **kwargs)


class ResourceQueryOperation(DirectOperation):
    """Queries for a resource (a DirectOperation)."""


class DataQueryOperation(DirectOperation):
    """Queries a database (a DirectOperation)."""


# The tasks are reachable from this module too, as in CloudHarness (``operations.CustomTask``).
PythonTask = _tasks.PythonTask
BashTask = _tasks.BashTask
CommandBasedTask = _tasks.CommandBasedTask
