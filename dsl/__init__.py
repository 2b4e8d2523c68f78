"""tiphys: write Argo Workflows in Python.

    from tiphys import task, bash, container, pipeline, parallel, dag, workflow, param

Files written with these names are compiled statically by ``tiphys compile``; nothing here
runs at compile time. The objects can still be built at run time, for unit tests:
``my_task.local(...)`` (or ``my_task.fn``) runs the plain function.
"""

from tiphys.env import (
    ConfigMapKey,
    EnvFrom,
    SecretKey,
    config_map_env,
    config_map_key,
    secret,
    secret_env,
)
from tiphys.graph import Composite, Node, Output, Param, dag, parallel, param, pipeline
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

__all__ = [
    "Affinity",
    "Backoff",
    "Composite",
    "ConfigMapKey",
    "EnvFrom",
    "InitContainer",
    "Memoize",
    "Mount",
    "Mutex",
    "Node",
    "Output",
    "Param",
    "Retry",
    "SecretKey",
    "Semaphore",
    "Sidecar",
    "Task",
    "Volume",
    "VolumeClaim",
    "Workflow",
    "backoff",
    "bash",
    "config_map_env",
    "config_map_key",
    "config_map_volume",
    "container",
    "dag",
    "empty_dir",
    "init_container",
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
    "retry",
    "secret",
    "secret_env",
    "secret_volume",
    "semaphore",
    "sidecar",
    "task",
    "volume_claim",
    "workflow",
]
