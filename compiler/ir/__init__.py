"""The IR: what a DSL file means, independent of Argo, as frozen dataclasses.

In: nothing (the front ends build it). Out: the values the lowering reads. May import only
:mod:`tiphys.compiler.diagnostics` and itself. ``tiphys.compiler.ir.X`` re-exports the core
types of :mod:`.core`; control flow, task kinds, artifacts, task extras, Argo names and source
positions have modules of their own.
"""

from tiphys.compiler.ir.core import (
    INPUT_ENV_PREFIX as INPUT_ENV_PREFIX,
)
from tiphys.compiler.ir.core import (
    NOT_GIVEN as NOT_GIVEN,
)
from tiphys.compiler.ir.core import (
    ArtifactOutput as ArtifactOutput,
)
from tiphys.compiler.ir.core import (
    ArtifactSource as ArtifactSource,
)
from tiphys.compiler.ir.core import (
    BashTask as BashTask,
)
from tiphys.compiler.ir.core import (
    Choice as Choice,
)
from tiphys.compiler.ir.core import (
    Composite as Composite,
)
from tiphys.compiler.ir.core import (
    CompositeTask as CompositeTask,
)
from tiphys.compiler.ir.core import (
    ContainerNode as ContainerNode,
)
from tiphys.compiler.ir.core import (
    ContainerSetTask as ContainerSetTask,
)
from tiphys.compiler.ir.core import (
    ContainerTask as ContainerTask,
)
from tiphys.compiler.ir.core import (
    DataTask as DataTask,
)
from tiphys.compiler.ir.core import (
    Element as Element,
)
from tiphys.compiler.ir.core import (
    EnvVar as EnvVar,
)
from tiphys.compiler.ir.core import (
    HttpTask as HttpTask,
)
from tiphys.compiler.ir.core import (
    Input as Input,
)
from tiphys.compiler.ir.core import (
    InputRef as InputRef,
)
from tiphys.compiler.ir.core import (
    Interpolated as Interpolated,
)
from tiphys.compiler.ir.core import (
    Invocation as Invocation,
)
from tiphys.compiler.ir.core import (
    Json as Json,
)
from tiphys.compiler.ir.core import (
    Literal as Literal,
)
from tiphys.compiler.ir.core import (
    Module as Module,
)
from tiphys.compiler.ir.core import (
    Mount as Mount,
)
from tiphys.compiler.ir.core import (
    OutputField as OutputField,
)
from tiphys.compiler.ir.core import (
    OutputRef as OutputRef,
)
from tiphys.compiler.ir.core import (
    ParamRef as ParamRef,
)
from tiphys.compiler.ir.core import (
    PluginTask as PluginTask,
)
from tiphys.compiler.ir.core import (
    Prompt as Prompt,
)
from tiphys.compiler.ir.core import (
    PythonTask as PythonTask,
)
from tiphys.compiler.ir.core import (
    ResourceTask as ResourceTask,
)
from tiphys.compiler.ir.core import (
    Schedule as Schedule,
)
from tiphys.compiler.ir.core import (
    SuspendTask as SuspendTask,
)
from tiphys.compiler.ir.core import (
    TaskDef as TaskDef,
)
from tiphys.compiler.ir.core import (
    TaskOptions as TaskOptions,
)
from tiphys.compiler.ir.core import (
    TemplateRefTask as TemplateRefTask,
)
from tiphys.compiler.ir.core import (
    Value as Value,
)
from tiphys.compiler.ir.core import (
    Volume as Volume,
)
from tiphys.compiler.ir.core import (
    VolumeClaim as VolumeClaim,
)
from tiphys.compiler.ir.core import (
    Workflow as Workflow,
)
from tiphys.compiler.ir.core import (
    WorkflowOptions as WorkflowOptions,
)
from tiphys.compiler.ir.core import (
    WorkflowParam as WorkflowParam,
)
from tiphys.compiler.ir.core import (
    WorkflowRef as WorkflowRef,
)
