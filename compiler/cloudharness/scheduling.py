"""Which pods of an operation must share a node, as labels and pod affinity.

A ReadWriteOnce claim is attached to one node at a time, so every pod that mounts it while
another runs must land on that node. CloudHarness expresses this with required pod affinity,
but with two claims it required ``usesvolume In [a]`` *and* ``usesvolume In [b]`` of a pod
whose single ``usesvolume`` label cannot hold both values: the scheduler finds no such pod,
so the pods stay Pending forever. The same happens to a task with its own ``volume_mounts``
inside an operation with a shared claim.

The rule here (docs/cloudharness-migration.md, "Scheduling"):

- the operation's claims are its shared ReadWriteOnce claims, then each task's own, in
  order; the first is the operation's *anchor*;
- every pod of the operation that mounts one of them carries ``usesvolume: <anchor>``;
- and requires, with one term, a pod on the same node whose ``usesvolume`` label is one of
  the operation's claims (``In [...]``, listing the pod's own claims first).

The Kubernetes scheduler counts a running pod only when it matches *all* required terms,
and lets the first pod of a group go anywhere when its own labels match them; one term that
every pod of the operation matches therefore keeps the operation schedulable and puts all
its claim-mounting pods on one node. A pod of another operation whose ``usesvolume`` label
names one of these claims attracts them too, so operations sharing an anchor claim
co-locate as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tiphys.compiler.cloudharness.kube import HOSTNAME
from tiphys.compiler.cloudharness.model import Operation, PodContext, Task

USES_VOLUME = "usesvolume"


@dataclass(frozen=True, slots=True)
class ClaimPlan:
    #: The operation's ReadWriteOnce claims: shared ones first, then the tasks' own.
    claims: tuple[str, ...]
    #: The shared ones (mounted by every pod of the operation).
    shared: tuple[str, ...]

    @property
    def anchor(self) -> str | None:
        return self.claims[0] if self.claims else None


def claim_plan(op: Operation) -> ClaimPlan:
    shared = [v.claim for v in op.shared if v.needs_affinity and v.claim is not None]
    own = [v.claim for t in op.tasks for v in t.volume_mounts
           if v.needs_affinity and v.claim is not None]
    return ClaimPlan(tuple(dict.fromkeys(shared + own)), tuple(dict.fromkeys(shared)))


def own_claims(t: Task) -> list[str]:
    return list(dict.fromkeys(v.claim for v in t.volume_mounts
                              if v.needs_affinity and v.claim is not None))


def volume_term(values: list[str]) -> dict[str, Any]:
    return {
        "labelSelector": {"matchExpressions": [
            {"key": USES_VOLUME, "operator": "In", "values": values}]},
        "topologyKey": HOSTNAME,
    }


def context_term(c: PodContext) -> dict[str, Any]:
    return {
        "labelSelector": {"matchExpressions": [
            {"key": c.key, "operator": "In", "values": [c.value]}]},
        "topologyKey": HOSTNAME,
    }


def affinity(contexts: list[PodContext], claims: list[str]) -> dict[str, Any] | None:
    """CloudHarness' pod affinity (hostname topology; a required context is required, the
    others preferred with weight 100), plus the volume term when *claims* is not empty."""
    preferred = [{"weight": 100, "podAffinityTerm": context_term(c)} for c in contexts
                 if not c.required]
    required = [context_term(c) for c in contexts if c.required]
    if claims:
        required.append(volume_term(claims))
    pod: dict[str, Any] = {}
    if preferred:
        pod["preferredDuringSchedulingIgnoredDuringExecution"] = preferred
    if required:
        pod["requiredDuringSchedulingIgnoredDuringExecution"] = required
    return {"podAffinity": pod} if pod else None


def workflow_affinity(contexts: list[PodContext], plan: ClaimPlan) -> dict[str, Any] | None:
    """``spec.affinity``: what pods without their own claims use (Argo applies it to a pod
    whose template has no ``affinity``). Every such pod mounts the shared claims."""
    return affinity(contexts, list(plan.claims) if plan.shared else [])


def task_affinity(contexts: list[PodContext], plan: ClaimPlan, t: Task) -> dict[str, Any] | None:
    """A template's own affinity, for a task that mounts claims of its own (Argo then
    ignores ``spec.affinity`` for its pod, so the contexts are repeated)."""
    own = own_claims(t)
    if not own:
        return None
    return affinity(contexts, own + [c for c in plan.claims if c not in own])


def volume_labels(plan: ClaimPlan, t: Task | None) -> dict[str, str]:
    """``usesvolume: <anchor>`` on a pod that mounts one of the operation's claims (every
    pod when there are shared claims; *t* is None for the entry and exit templates)."""
    if plan.anchor is None:
        return {}
    if plan.shared or (t is not None and own_claims(t)):
        return {USES_VOLUME: plan.anchor}
    return {}
