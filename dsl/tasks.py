"""Task definitions: ``@task`` (Python), ``bash(...)`` (script) and ``container(...)``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, TypedDict, TypeVar, Unpack, overload

from tiphys.artifacts import ArtifactSpec
from tiphys.containers import ContainerHandler
from tiphys.env import EnvFrom, EnvValue
from tiphys.graph import Node
from tiphys.pods import Affinity, InitContainer, Sidecar
from tiphys.run_control import Memoize, Mutex, Retry, Semaphore

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Mount:
    """A volume mounted into a task's container."""

    #: Name of a volume declared on the workflow (``volumes=`` or ``volume_claims=``).
    volume: str
    read_only: bool = False
    sub_path: str | None = None


def mount(volume: str, *, read_only: bool = False, sub_path: str | None = None) -> Mount:
    """Mount the workflow volume *volume*; use as a value in a task's ``volumes={path: ...}``."""
    return Mount(volume, read_only, sub_path)


#: A lock for ``synchronization=``.
Lock = Mutex | Semaphore
#: What ``affinity=`` takes: helpers, Kubernetes ``Affinity`` dicts, or a list of them.
AffinityOption = Affinity | Mapping[str, Any] | Sequence[Affinity | Mapping[str, Any]]


@dataclass(frozen=True)
class TaskOptions:
    image: str | None = None
    cpu: str | int | float | None = None
    memory: str | None = None
    gpu: int | None = None
    resources: Mapping[str, Mapping[str, Any]] | None = None
    env: Mapping[str, EnvValue] | None = None
    retries: int | Retry | None = None
    timeout: str | int | None = None
    volumes: Mapping[str, str | Mount] | None = None
    node_selector: Mapping[str, str] | None = None
    tolerations: Sequence[Mapping[str, Any]] | None = None
    active_deadline: str | int | None = None
    memoize: Memoize | None = None
    synchronization: Lock | Sequence[Lock] | None = None
    env_from: EnvFrom | Sequence[EnvFrom] | None = None
    affinity: AffinityOption | None = None
    pod_spec_patch: str | Mapping[str, Any] | None = None
    security_context: Mapping[str, Any] | None = None
    container_security_context: Mapping[str, Any] | None = None
    service_account: str | None = None
    labels: Mapping[str, str] | None = None
    annotations: Mapping[str, str] | None = None
    sidecars: Sidecar | Sequence[Sidecar] | None = None
    init_containers: InitContainer | Sequence[InitContainer] | None = None
    daemon: bool = False
    working_dir: str | None = None
    ports: Sequence[int] | Mapping[str, int] | None = None
    readiness_probe: ContainerHandler | None = None
    liveness_probe: ContainerHandler | None = None
    startup_probe: ContainerHandler | None = None
    lifecycle: ContainerHandler | None = None
    #: Settings of artifacts by name (archive, location, optional).
    artifacts: Mapping[str, ArtifactSpec] | None = None
    #: Container and bash tasks: input and output artifacts by name → path in the container.
    input_artifacts: Mapping[str, str] | None = None
    output_artifacts: Mapping[str, str] | None = None


class CommonOptions(TypedDict, total=False):
    """The keyword options every kind of task takes (docs/dsl.md, "Task options"): one list,
    so that ``@task``, ``bash`` and ``container`` cannot drift apart."""

    cpu: str | int | float | None
    memory: str | None
    gpu: int | None
    resources: Mapping[str, Mapping[str, Any]] | None
    env: Mapping[str, EnvValue] | None
    retries: int | Retry | None
    timeout: str | int | None
    volumes: Mapping[str, str | Mount] | None
    node_selector: Mapping[str, str] | None
    tolerations: Sequence[Mapping[str, Any]] | None
    active_deadline: str | int | None
    memoize: Memoize | None
    synchronization: Lock | Sequence[Lock] | None
    env_from: EnvFrom | Sequence[EnvFrom] | None
    affinity: AffinityOption | None
    pod_spec_patch: str | Mapping[str, Any] | None
    security_context: Mapping[str, Any] | None
    container_security_context: Mapping[str, Any] | None
    service_account: str | None
    labels: Mapping[str, str] | None
    annotations: Mapping[str, str] | None
    sidecars: Sidecar | Sequence[Sidecar] | None
    init_containers: InitContainer | Sequence[InitContainer] | None
    daemon: bool
    artifacts: Mapping[str, ArtifactSpec] | None
    #: The main container (``tiphys.containers``): working folder, ports, probes, lifecycle.
    working_dir: str | None
    ports: Sequence[int] | Mapping[str, int] | None
    readiness_probe: ContainerHandler | None
    liveness_probe: ContainerHandler | None
    startup_probe: ContainerHandler | None
    lifecycle: ContainerHandler | None


class PythonTaskOptions(CommonOptions, total=False):
    image: str | None


class FileArtifacts(TypedDict, total=False):
    """Bash and container tasks name their artifact files."""

    input_artifacts: Mapping[str, str] | None
    output_artifacts: Mapping[str, str] | None


class BashOptions(PythonTaskOptions, FileArtifacts, total=False):
    pass


class ContainerOptions(CommonOptions, FileArtifacts, total=False):
    pass


@dataclass(frozen=True, eq=False)
class Task(Generic[P, R]):
    """A unit of work. Call it to make an invocation node; ``.fn`` is the plain function."""

    name: str
    kind: str  # "python", "bash", "script" or "container"
    fn: Callable[P, R] | None = None
    options: TaskOptions = field(default_factory=TaskOptions)
    source: str | None = None
    command: tuple[str, ...] | None = None
    args: tuple[str, ...] | None = None
    inputs: tuple[str, ...] = ()
    outputs: Mapping[str, str] = field(default_factory=dict)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Node[R]:
        """Make an invocation node. Arguments: literals, ``param(...)`` or other nodes.
        The function's signature is kept for type checkers (``P``)."""
        named: dict[str, Any] = dict(kwargs)
        if args:
            if self.fn is None:
                raise TypeError(f"{self.name}: pass arguments by keyword")
            import inspect

            named = dict(inspect.signature(self.fn).bind_partial(*args, **kwargs).arguments)
        return Node(self, named)

    def map(self, *items: Any, **kwargs: Any) -> Node[list[R]]:
        """Fan out: one run per item of the argument given a list (a literal list, a
        ``range(...)``, ``sequence(...)``, ``each(...)`` fields, or another node's list output).
        Its output is the list of results. A task without inputs takes the list positionally:
        ``sleep.map([1, 2, 3])`` runs it three times."""
        settings: dict[str, Any] = {"map": True}
        if items:
            settings["items"] = items
        return Node(self, kwargs, settings=settings)

    def local(self, *args: P.args, **kwargs: P.kwargs) -> R:
        """Run the Python function in this process, as plain Python (for unit tests)."""
        if self.fn is None:
            raise TypeError(f"{self.name} is a {self.kind} task, not a Python function")
        return self.fn(*args, **kwargs)


@overload
def task(fn: Callable[P, R], /) -> Task[P, R]: ...


@overload
def task(
    *, name: str | None = None, **options: Unpack[PythonTaskOptions]
) -> Callable[[Callable[P, R]], Task[P, R]]: ...


def task(fn: Any = None, /, *, name: str | None = None, **options: Any) -> Any:
    """Turn a function into a Python task, shipped to Argo as an inline script.

    The whole function is shipped, with module imports, literal constants and same-file
    helper functions it uses. Inputs arrive through environment variables and the return
    value is written, JSON-encoded, to an output parameter.
    """

    def wrap(f: Callable[P, R]) -> Task[P, R]:
        return Task(name or f.__name__.replace("_", "-"), "python", f, TaskOptions(**options))

    if fn is not None:
        return wrap(fn)
    return wrap


def bash(
    name: str, source: str, *, inputs: Sequence[str] = (), shell: str = "bash",
    **options: Unpack[BashOptions],
) -> Task[..., str]:
    """A bash script task. Each input arrives as an environment variable of the same name;
    its output is what it prints (Argo's ``outputs.result``). ``shell="sh"`` runs it with
    ``sh``, for images without bash (alpine, busybox)."""
    opts = TaskOptions(**options)
    return Task(name, "bash", None, opts, source=source, inputs=tuple(inputs))


def script(
    name: str, source: str, *, image: str, command: Sequence[str], inputs: Sequence[str] = (),
    **options: Unpack[ContainerOptions],
) -> Task[..., str]:
    """A script in another language the image runs (``command=["node"]``, ``["ruby"]``,
    ``["perl"]``): Argo writes *source* to a file and runs *command* with it. Inputs arrive
    as environment variables; its output is what it prints (``outputs.result``)."""
    opts = TaskOptions(image=image, **options)
    return Task(name, "script", None, opts, source=source, inputs=tuple(inputs),
                command=tuple(command))


def container(
    name: str,
    image: str,
    *,
    command: Sequence[str] | None = None,
    args: Sequence[str] | None = None,
    inputs: Sequence[str] = (),
    outputs: Mapping[str, str] | None = None,
    **options: Unpack[ContainerOptions],
) -> Task[..., Any]:
    """A task that runs an image. Inputs arrive as environment variables of the same name
    (and can be used in ``command``/``args`` as ``$(NAME)``); ``outputs`` maps output names
    to the files the container writes them to."""
    opts = TaskOptions(image=image, **options)
    return Task(
        name, "container", None, opts,
        command=tuple(command) if command is not None else None,
        args=tuple(args) if args is not None else None,
        inputs=tuple(inputs), outputs=dict(outputs or {}),
    )
