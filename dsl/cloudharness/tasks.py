"""CloudHarness tasks at run time: the names and constructors of ``cloudharness.workflows.tasks``.

Extra keyword arguments become environment variables (``str(value)``, as in CloudHarness).
Each task is turned into the same model the static compiler builds, so an operation made of
these tasks lowers to the same YAML ``tiphys compile`` writes for the same source.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tiphys.compiler.cloudharness import model
from tiphys.compiler.cloudharness import values as V
from tiphys.compiler.cloudharness.model import Problem
from tiphys.compiler.cloudharness.pyfunc import runtime_script

__all__ = ["BashTask", "CommandBasedTask", "CustomTask", "PythonTask", "SendResultTask", "Task"]


def _as_mapping(value: Any) -> Any:
    """An Argo-client model (``V1alpha1Template``) becomes its dict; other values stay."""
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if callable(to_dict) and not isinstance(value, Mapping) else value


class Task:
    """Base of every task: the parameters CloudHarness' ``Task`` takes."""

    kind = ""

    def __init__(self, name: str, resources: Mapping[str, Any] | None = None,
                 volume_mounts: list[str] | tuple[str, ...] | None = None,
                 retry_limit: int | None = None, template_overrides: Any = None,
                 image_pull_policy: str | None = None, **env_args: Any) -> None:
        if type(self) is Task:
            raise TypeError("Task is abstract: use PythonTask, BashTask, CustomTask, "
                            "CommandBasedTask or SendResultTask")
        #: Sanitised as CloudHarness does.
        self.name = str(name).replace(" ", "-").lower()
        self.problems: list[Problem] = []
        self._resources = self._take(V.resources(resources, None))
        self._mounts = self._take(V.volumes(volume_mounts, None, "volume_mounts")) or ()
        self._retry = self._take(V.integer(retry_limit, "retry_limit", 0, None))
        self._policy = self._take(V.pull_policy(image_pull_policy, None))
        self._overrides = self._take(V.overrides(_as_mapping(template_overrides), None))
        self._env = tuple(self._take(V.env_value(k, v, None)) for k, v in env_args.items())
        self._command: tuple[str, ...] | None = None
        self._image: str | None = None
        self._script: str | None = None

    def _take(self, found: tuple[Any, list[Problem]]) -> Any:
        value, problems = found
        self.problems += problems
        return value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Task) and self.name == other.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    def instance(self) -> dict[str, str]:
        """The step that runs this task (CloudHarness' ``Task.instance``)."""
        return {"name": self.name, "template": self.name}

    def to_model(self) -> model.Task:
        return model.Task(
            self.kind, self.name, image=self._image, script=self._script,
            command=self._command, env=self._env, resources=self._resources,
            volume_mounts=self._mounts, retry_limit=self._retry,
            image_pull_policy=self._policy, overrides=self._overrides,
        )


class PythonTask(Task):
    """Runs *func* (a def in a source file) with no arguments, in the CloudHarness base image.
    Its module imports, literal constants and helper functions are shipped with it."""

    kind = model.PYTHON

    def __init__(self, name: str, func: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        if "command" in kwargs:
            self.problems.append(model.warning(
                "TPH639", f"PythonTask '{self.name}': 'command' is not a parameter of "
                "PythonTask; as in CloudHarness it becomes an environment variable", None))
        self._script = self._take(runtime_script(func, self.name))


class BashTask(Task):
    """Runs *source* with bash in the CloudHarness base image."""

    kind = model.BASH

    def __init__(self, name: str, source: str, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        if not isinstance(source, str):
            self.problems.append(model.error("TPH604", "BashTask source must be a string", None))
        self._script = source


class CustomTask(Task):
    """Runs the image *image_name* (``<app>-<task>`` of a project task, or a full reference)."""

    kind = model.CUSTOM

    def __init__(self, name: str, image_name: str, resources: Mapping[str, Any] | None = None,
                 image_pull_policy: str | None = None, command: list[str] | None = None,
                 **env_args: Any) -> None:
        super().__init__(name, resources=resources, image_pull_policy=image_pull_policy,
                         **env_args)
        self._image = image_name
        self._command = self._take(V.command(command, None))


class CommandBasedTask(Task):
    """Runs *command* (a list) in the CloudHarness base image."""

    kind = model.COMMAND

    def __init__(self, name: str, command: list[str], resources: Mapping[str, Any] | None = None,
                 image_pull_policy: str | None = None, **env_args: Any) -> None:
        super().__init__(name, resources=resources, image_pull_policy=image_pull_policy,
                         **env_args)
        self._command = self._take(V.command(command, None))


class SendResultTask(CustomTask):
    """Sends the files of the shared directory to the operation's queue."""

    kind = model.SEND_RESULT

    def __init__(self) -> None:
        super().__init__("send-result-event", model.SEND_RESULT_IMAGE)
        self._image = None
