"""IR for the task kinds Argo runs without a script of tiphys': a containerSet (several
containers in one pod, in dependency order), a data template (list and filter artifacts in
storage) and an executor plugin call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tiphys.compiler.ir.artifacts import ArtifactOutput, Location
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.task import EnvRef, EnvSource

if TYPE_CHECKING:
    from tiphys.compiler.ir.core import Input, TaskOptions


@dataclass(frozen=True, slots=True)
class ContainerNode:
    """One container of a containerSet."""

    name: str
    image: str
    command: tuple[str, ...] | None = None
    args: tuple[str, ...] | None = None
    #: Names of the containers of the same set that must finish first.
    dependencies: tuple[str, ...] = ()
    #: Literal variables, sorted by name.
    env: tuple[tuple[str, str], ...] = ()
    #: ``{"requests": {...}, "limits": {...}}`` as ``TaskOptions.resources``.
    resources: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    working_dir: str | None = None
    #: Variables from Secrets and ConfigMaps, and whole Secrets/ConfigMaps (``envFrom``).
    env_refs: tuple[EnvRef, ...] = ()
    env_from: tuple[EnvSource, ...] = ()


@dataclass(frozen=True, slots=True)
class ContainerSetTask:
    name: str
    containers: tuple[ContainerNode, ...]
    inputs: tuple[Input, ...]
    #: Output name → file path (in the container that writes it).
    output_paths: tuple[tuple[str, str], ...]
    options: TaskOptions
    loc: Loc = field(compare=False)
    artifact_outputs: tuple[ArtifactOutput, ...] = ()

    @property
    def outputs(self) -> tuple[str, ...]:
        # Argo collects the standard output of the container named "main" as the result.
        main = ("result",) if any(c.name == "main" for c in self.containers) else ()
        return (*main, *(n for n, _ in self.output_paths))


@dataclass(frozen=True, slots=True)
class DataTask:
    """``data``: the keys of the artifacts at a location, through expr-lang filters and maps;
    its result is the JSON list."""

    name: str
    #: Name and location of the artifact whose paths are listed (``artifactPaths``).
    source_name: str
    source: Location
    #: expr-lang expressions over ``data``, applied in order.
    transformations: tuple[str, ...]
    inputs: tuple[Input, ...]
    options: TaskOptions
    loc: Loc = field(compare=False)

    @property
    def outputs(self) -> tuple[str, ...]:
        return ("result",)


@dataclass(frozen=True, slots=True)
class PluginTask:
    """A template run by an executor plugin: ``plugin: {<plugin>: <config>}``."""

    name: str
    plugin: str
    #: The plugin's own configuration (JSON), tags such as ``{{inputs.parameters.x}}`` kept.
    config: Any
    inputs: tuple[Input, ...]
    options: TaskOptions
    loc: Loc = field(compare=False)

    @property
    def outputs(self) -> tuple[str, ...]:
        return ("result",)
