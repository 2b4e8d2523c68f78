"""Operations on the cluster: submitting, following and reading the result, as CloudHarness'
operations do (through :mod:`.argo_service`).

- every containerised operation has ``submit()`` (creates the workflow, returns the
  :class:`~tiphys.cloudharness.argo_service.Workflow`, kept as ``persisted``),
  ``refresh()``, ``is_running()`` and ``is_error()``;
- an asynchronous one (pipeline, parallel, simple DAG, single task) ``execute()``\\ s by
  submitting, and offers ``get_operation_update_url()``;
- ``DistributedSyncOperation.execute(timeout=None)`` waits for the end with a watch;
- ``DistributedSyncOperationWithResults.execute(timeout=None)`` waits, then returns every
  message the ``send-result-event`` step put in the workflow's queue, as CloudHarness does.
"""

from __future__ import annotations

import os
import secrets
import string
from typing import Any

from tiphys.cloudharness import argo_service
from tiphys.cloudharness.argo_service import Phase, Workflow, WorkflowException

#: Environment of a CloudHarness deployment that gives the workflows app's public address.
WORKFLOWS_SUBDOMAIN_ENV = "CH_WORKFLOWS_SUBDOMAIN"
DOMAIN_ENV = "CH_DOMAIN"


class Submittable:
    """What a containerised operation does with a cluster."""

    name: str
    persisted: Workflow | None = None

    def to_workflow(self, config: Any = None, kind: str | None = None) -> dict[str, Any]:
        raise NotImplementedError

    def submit(self) -> Workflow:
        """Create the workflow on the cluster."""
        self.persisted = argo_service.submit_workflow(self.to_workflow())
        return self.persisted

    def refresh(self) -> None:
        if self.persisted is not None:
            self.persisted = argo_service.get_workflow(self.persisted.name)

    def is_running(self) -> bool:
        if self.persisted is None:
            return False
        self.refresh()
        return self.persisted.status in (Phase.Running, Phase.Pending)

    def is_error(self) -> bool:
        """True when the submitted workflow failed or errored (False before submission)."""
        if self.persisted is None:
            return False
        try:
            self.refresh()
        except WorkflowException as exc:
            if exc.status == Phase.Failed:  # get_workflow raises for a failed workflow
                return True
            raise
        return self.persisted.status in (Phase.Error, Phase.Failed)

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        """Submit; the workflow runs on, and ``persisted`` follows it."""
        return self.submit()

    def get_operation_update_url(self) -> str:
        """Where the CloudHarness workflows app shows this operation:
        ``<CH_WORKFLOWS_SUBDOMAIN>.<CH_DOMAIN>/operations/<workflow name>``."""
        if self.persisted is None:
            raise RuntimeError(f"operation '{self.name}' has not been submitted")
        try:
            host = f"{os.environ[WORKFLOWS_SUBDOMAIN_ENV]}.{os.environ[DOMAIN_ENV]}"
        except KeyError as exc:
            raise RuntimeError(f"{exc.args[0]} is not set: the workflows app's address comes "
                               f"from {WORKFLOWS_SUBDOMAIN_ENV} and {DOMAIN_ENV}, as in a "
                               "CloudHarness deployment") from exc
        return f"{host}/operations/{self.persisted.name}"


class WaitsForTheEnd(Submittable):
    def execute(self, timeout: float | None = None) -> Workflow:
        """Submit and wait (a watch) until the workflow ends, or *timeout* seconds pass:
        then the last state is returned and the workflow keeps running. A failed workflow
        raises :class:`WorkflowException`, as in CloudHarness."""
        self.submit()
        assert self.persisted is not None
        self.persisted = argo_service.wait_for_workflow(self.persisted.name, timeout)
        if self.persisted.failed():
            raise WorkflowException(Phase.Failed, "Workflow failed: "
                                    f"{self.persisted.get_status_message()}")
        return self.persisted


def _suffix() -> str:
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(5))


class ReturnsResults(WaitsForTheEnd):
    """The workflow's last step sends each file of the shared directory to the topic named
    after the workflow; the messages are the result."""

    def submit(self) -> Workflow:
        from tiphys.cloudharness.events import EventClient

        # CloudHarness creates the topic after submitting, so a fast task could send its
        # result before the topic exists: here the name is chosen first (as the API server
        # would from generateName), the topic created, then the workflow.
        doc = self.to_workflow()
        metadata = doc["metadata"]
        prefix = metadata.pop("generateName", None)
        if prefix is not None:
            metadata["name"] = f"{prefix}{_suffix()}"
        self.client = EventClient(metadata["name"])
        self.client.create_topic()
        self.persisted = argo_service.submit_workflow(doc)
        return self.persisted

    def execute(self, timeout: float | None = None) -> Any:
        super().execute(timeout)
        result = self.client.consume_all()
        self.client.delete_topic()
        return result
