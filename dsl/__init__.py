"""tiphys: write Argo Workflows in Python.

    from tiphys import task, bash, container, pipeline, parallel, dag, workflow, param

Files written with these names are compiled statically by ``tiphys compile``; nothing here
runs at compile time. The objects can still be built at run time, for unit tests:
``my_task.local(...)`` (or ``my_task.fn``) runs the plain function.
"""

from tiphys.graph import Composite, Node, Output, Param, dag, parallel, param, pipeline
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
    "Composite",
    "Mount",
    "Node",
    "Output",
    "Param",
    "Task",
    "Volume",
    "VolumeClaim",
    "Workflow",
    "bash",
    "config_map_volume",
    "container",
    "dag",
    "empty_dir",
    "mount",
    "parallel",
    "param",
    "pipeline",
    "pvc",
    "secret_volume",
    "task",
    "volume_claim",
    "workflow",
]
