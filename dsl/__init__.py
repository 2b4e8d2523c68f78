"""tiphys: write Argo Workflows in Python.

    from tiphys import task, bash, container, pipeline, parallel, dag, workflow, param

Files written with these names are compiled statically by ``tiphys compile``; nothing here
runs at compile time. The objects can still be built at run time, for unit tests:
``my_task.local(...)`` (or ``my_task.fn``) runs the plain function.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers see; at run time names load on first use
    from tiphys.artifacts import (
        InputArtifact,
        OutputArtifact,
        artifact,
        gcs_artifact,
        git_artifact,
        http_artifact,
        raw_artifact,
        s3_artifact,
    )
    from tiphys.env import (
        ConfigMapKey,
        EnvFrom,
        SecretKey,
        config_map_env,
        config_map_key,
        secret,
        secret_env,
    )
    from tiphys.graph import (
        Composite,
        Dep,
        Hook,
        Node,
        Output,
        Param,
        dag,
        hook,
        parallel,
        param,
        pipeline,
        workflow_name,
        workflow_status,
    )
    from tiphys.kinds import http, resource, suspend, template_ref
    from tiphys.loops import each, from_input, matches, sequence
    from tiphys.pods import (
        Affinity,
        InitContainer,
        Sidecar,
        init_container,
        node_affinity,
        pod_affinity,
        pod_anti_affinity,
        sidecar,
    )
    from tiphys.run_control import (
        Backoff,
        Memoize,
        Mutex,
        Retry,
        Semaphore,
        backoff,
        memoize,
        mutex,
        retry,
        semaphore,
    )
    from tiphys.tasks import Mount, Task, bash, container, mount, task
    from tiphys.workflow import (
        Volume,
        VolumeClaim,
        Workflow,
        config_map_volume,
        empty_dir,
        pvc,
        secret_volume,
        volume_claim,
        workflow,
    )

# The compiler is tiphys.compiler, a subpackage: importing it imports this package, and
# the runtime DSL (about 20 ms of imports) is never needed to compile. PEP 562.
_MODULES = {
    'Affinity': 'tiphys.pods',
    'Backoff': 'tiphys.run_control',
    'Composite': 'tiphys.graph',
    'ConfigMapKey': 'tiphys.env',
    'Dep': 'tiphys.graph',
    'EnvFrom': 'tiphys.env',
    'Hook': 'tiphys.graph',
    'InitContainer': 'tiphys.pods',
    'InputArtifact': 'tiphys.artifacts',
    'Memoize': 'tiphys.run_control',
    'Mount': 'tiphys.tasks',
    'Mutex': 'tiphys.run_control',
    'Node': 'tiphys.graph',
    'Output': 'tiphys.graph',
    'OutputArtifact': 'tiphys.artifacts',
    'Param': 'tiphys.graph',
    'Retry': 'tiphys.run_control',
    'SecretKey': 'tiphys.env',
    'Semaphore': 'tiphys.run_control',
    'Sidecar': 'tiphys.pods',
    'Task': 'tiphys.tasks',
    'Volume': 'tiphys.workflow',
    'VolumeClaim': 'tiphys.workflow',
    'Workflow': 'tiphys.workflow',
    'artifact': 'tiphys.artifacts',
    'backoff': 'tiphys.run_control',
    'bash': 'tiphys.tasks',
    'config_map_env': 'tiphys.env',
    'config_map_key': 'tiphys.env',
    'config_map_volume': 'tiphys.workflow',
    'container': 'tiphys.tasks',
    'dag': 'tiphys.graph',
    'each': 'tiphys.loops',
    'empty_dir': 'tiphys.workflow',
    'from_input': 'tiphys.loops',
    'gcs_artifact': 'tiphys.artifacts',
    'git_artifact': 'tiphys.artifacts',
    'hook': 'tiphys.graph',
    'http': 'tiphys.kinds',
    'http_artifact': 'tiphys.artifacts',
    'init_container': 'tiphys.pods',
    'matches': 'tiphys.loops',
    'memoize': 'tiphys.run_control',
    'mount': 'tiphys.tasks',
    'mutex': 'tiphys.run_control',
    'node_affinity': 'tiphys.pods',
    'parallel': 'tiphys.graph',
    'param': 'tiphys.graph',
    'pipeline': 'tiphys.graph',
    'pod_affinity': 'tiphys.pods',
    'pod_anti_affinity': 'tiphys.pods',
    'pvc': 'tiphys.workflow',
    'raw_artifact': 'tiphys.artifacts',
    'resource': 'tiphys.kinds',
    'retry': 'tiphys.run_control',
    's3_artifact': 'tiphys.artifacts',
    'secret': 'tiphys.env',
    'secret_env': 'tiphys.env',
    'secret_volume': 'tiphys.workflow',
    'semaphore': 'tiphys.run_control',
    'sequence': 'tiphys.loops',
    'sidecar': 'tiphys.pods',
    'suspend': 'tiphys.kinds',
    'task': 'tiphys.tasks',
    'template_ref': 'tiphys.kinds',
    'volume_claim': 'tiphys.workflow',
    'workflow': 'tiphys.workflow',
    'workflow_name': 'tiphys.graph',
    'workflow_status': 'tiphys.graph',
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'tiphys' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "Affinity",
    "Backoff",
    "Composite",
    "ConfigMapKey",
    "Dep",
    "EnvFrom",
    "Hook",
    "InitContainer",
    "InputArtifact",
    "Memoize",
    "Mount",
    "Mutex",
    "Node",
    "Output",
    "OutputArtifact",
    "Param",
    "Retry",
    "SecretKey",
    "Semaphore",
    "Sidecar",
    "Task",
    "Volume",
    "VolumeClaim",
    "Workflow",
    "artifact",
    "backoff",
    "bash",
    "config_map_env",
    "config_map_key",
    "config_map_volume",
    "container",
    "dag",
    "each",
    "empty_dir",
    "from_input",
    "gcs_artifact",
    "git_artifact",
    "hook",
    "http",
    "http_artifact",
    "init_container",
    "matches",
    "memoize",
    "mount",
    "mutex",
    "node_affinity",
    "parallel",
    "param",
    "pipeline",
    "pod_affinity",
    "pod_anti_affinity",
    "pvc",
    "raw_artifact",
    "resource",
    "retry",
    "s3_artifact",
    "secret",
    "secret_env",
    "secret_volume",
    "semaphore",
    "sequence",
    "sidecar",
    "suspend",
    "task",
    "template_ref",
    "volume_claim",
    "workflow",
    "workflow_name",
    "workflow_status",
]
