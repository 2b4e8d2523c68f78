"""CloudHarness' Operations API, rebuilt on tiphys, for code that builds operations at run time.

    from tiphys.cloudharness import operations, tasks

    op = operations.ParallelOperation("my-op-", (tasks.PythonTask("p1", f),))
    document = op.to_workflow()          # a dict; op.to_yaml() for YAML

The classes take CloudHarness' names and parameters, and produce what ``tiphys compile`` writes
for the same code (one lowering serves both). Configuration (registry, tag, values file, ...)
is the ``[tool.tiphys.cloudharness]`` table, given to ``operations.configure(...)`` or to
``to_workflow(config=...)``.

At run time, ``op.execute()``/``op.submit()`` create the workflow on the cluster and
``argo_service`` (also importable as ``argo``, as in CloudHarness) gets, lists, deletes and
reads the logs of workflows, with the official ``kubernetes`` client (``tiphys[cluster]``).
"""

from tiphys.cloudharness import argo_service, operations, tasks, utils
from tiphys.cloudharness import argo_service as argo
from tiphys.cloudharness.operations import BadOperationConfiguration, configure

__all__ = ["BadOperationConfiguration", "argo", "argo_service", "configure", "operations",
           "tasks", "utils"]
