"""``workflow(...)`` and the workflow-level volume declarations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Volume:
    """A volume declared on the workflow; tasks mount it by name."""

    name: str
    #: One of "pvc", "empty_dir", "config_map", "secret".
    kind: str
    #: Source reference: the claim, config map or secret name (None for emptyDir).
    source: str | None = None
    read_only: bool = False


def pvc(name: str, claim: str, *, read_only: bool = False) -> Volume:
    """An existing PersistentVolumeClaim."""
    return Volume(name, "pvc", claim, read_only)


def empty_dir(name: str) -> Volume:
    """A scratch emptyDir volume, alive for one pod."""
    return Volume(name, "empty_dir")


def config_map_volume(name: str, config_map: str) -> Volume:
    """A ConfigMap mounted as files."""
    return Volume(name, "config_map", config_map)


def secret_volume(name: str, secret: str) -> Volume:
    """A Secret mounted as files."""
    return Volume(name, "secret", secret)


@dataclass(frozen=True)
class VolumeClaim:
    """A PersistentVolumeClaim created for the run (``volumeClaimTemplates``)."""

    name: str
    size: str
    access_modes: tuple[str, ...] = ("ReadWriteOnce",)
    storage_class: str | None = None


def volume_claim(
    name: str,
    size: str,
    *,
    access_modes: Sequence[str] = ("ReadWriteOnce",),
    storage_class: str | None = None,
) -> VolumeClaim:
    """Create a PVC for each run of the workflow, deleted with it."""
    return VolumeClaim(name, size, tuple(access_modes), storage_class)


@dataclass(frozen=True)
class Workflow:
    name: str
    body: Any
    options: Mapping[str, Any] = field(default_factory=dict)


def workflow(
    name: str,
    body: Any,
    *,
    params: Sequence[Any] = (),
    namespace: str | None = None,
    service_account: str | None = None,
    ttl: int | Mapping[str, int] | None = None,
    pod_gc: str | None = None,
    labels: Mapping[str, str] | None = None,
    annotations: Mapping[str, str] | None = None,
    volumes: Sequence[Volume] = (),
    volume_claims: Sequence[VolumeClaim] = (),
    parallelism: int | None = None,
    active_deadline: int | str | None = None,
    image: str | None = None,
    on_exit: Any = None,
    hooks: Mapping[str, Any] | None = None,
    outputs: Mapping[str, Any] | None = None,
    schedules: str | Sequence[str] | None = None,
    timezone: str | None = None,
    concurrency_policy: str | None = None,
    starting_deadline: int | None = None,
    successful_history: int | None = None,
    failed_history: int | None = None,
    suspend: bool | None = None,
    priority: int | None = None,
    archive_logs: bool | None = None,
    run_metadata: Mapping[str, Mapping[str, str]] | None = None,
    artifact_repository: Mapping[str, str] | None = None,
    synchronization: Any = None,
    pod_metadata: Mapping[str, Mapping[str, str]] | None = None,
    node_selector: Mapping[str, str] | None = None,
    tolerations: Sequence[Mapping[str, Any]] = (),
    affinity: Mapping[str, Any] | None = None,
    security_context: Mapping[str, Any] | None = None,
    image_pull_secrets: str | Sequence[str] = (),
    priority_class: str | None = None,
    scheduler_name: str | None = None,
    host_aliases: Sequence[Mapping[str, Any]] = (),
    dns_policy: str | None = None,
    dns_config: Mapping[str, Any] | None = None,
    pod_disruption_budget: Mapping[str, Any] | None = None,
    template_defaults: Mapping[str, Any] | None = None,
    pod_spec_patch: str | Mapping[str, Any] | None = None,
) -> Workflow:
    """Declare a workflow: its name (the template's ``metadata.name``) and its body.

    ``params`` lists ``param(...)`` declarations; parameters used by tasks are declared
    automatically. ``ttl`` is seconds after completion, or a mapping with any of
    ``after_completion``, ``after_success``, ``after_failure``. ``pod_gc`` is an Argo
    podGC strategy (``OnWorkflowSuccess``, ``OnPodCompletion``, ...). ``active_deadline`` is
    seconds or a duration such as ``"2h"``. ``image`` is the default image of Python tasks.
    ``on_exit`` is an invocation run when the workflow ends, whatever its status
    (``workflow_status`` tells which); ``hooks`` maps names to ``hook(invocation, when=...)``.
    ``outputs`` publishes task outputs as workflow outputs (``globalName``).

    ``schedules`` (cron expressions) makes it a CronWorkflow, with ``timezone``,
    ``concurrency_policy`` (Allow, Forbid, Replace), ``starting_deadline`` (seconds),
    ``successful_history``/``failed_history`` (runs kept) and ``suspend``. ``priority``,
    ``archive_logs``, ``run_metadata`` ({"labels": ..., "annotations": ...} for each run) and
    ``artifact_repository`` ({"config_map": ..., "key": ...}) map to the Argo fields;
    ``synchronization`` takes ``mutex(...)``/``semaphore(...)`` (or a list) for the whole run.

    Settings of every pod the run starts, as Kubernetes writes them (dicts and lists):
    ``pod_metadata`` ({"labels": ..., "annotations": ...}), ``node_selector``, ``tolerations``,
    ``affinity``, ``security_context`` (a PodSecurityContext), ``image_pull_secrets`` (names of
    Secrets), ``priority_class``, ``scheduler_name``, ``host_aliases``, ``dns_policy``,
    ``dns_config`` (a PodDNSConfig), ``pod_disruption_budget`` (its spec) and
    ``pod_spec_patch`` (a partial PodSpec merged into every pod, as a dict or YAML text).

    ``template_defaults`` ({"retries": 2, "timeout": "30s"}) is Argo's ``templateDefaults``:
    merged into every template of the run, steps and DAG templates included.
    """
    options = {
        k: v
        for k, v in dict(
            params=params, namespace=namespace, service_account=service_account, ttl=ttl,
            pod_gc=pod_gc, labels=labels, annotations=annotations, volumes=volumes,
            volume_claims=volume_claims, parallelism=parallelism,
            active_deadline=active_deadline, image=image, on_exit=on_exit, hooks=hooks,
            outputs=outputs, schedules=schedules, timezone=timezone,
            concurrency_policy=concurrency_policy, starting_deadline=starting_deadline,
            successful_history=successful_history, failed_history=failed_history,
            suspend=suspend, priority=priority, archive_logs=archive_logs,
            run_metadata=run_metadata, artifact_repository=artifact_repository,
            synchronization=synchronization, pod_metadata=pod_metadata,
            node_selector=node_selector, tolerations=tolerations, affinity=affinity,
            security_context=security_context, image_pull_secrets=image_pull_secrets,
            priority_class=priority_class, scheduler_name=scheduler_name,
            host_aliases=host_aliases, dns_policy=dns_policy, dns_config=dns_config,
            pod_disruption_budget=pod_disruption_budget, template_defaults=template_defaults,
            pod_spec_patch=pod_spec_patch,
        ).items()
        if v not in (None, ())
    }
    return Workflow(name, body, options)
