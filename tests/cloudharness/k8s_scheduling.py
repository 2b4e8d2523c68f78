"""A small model of the Kubernetes scheduler's required affinity filters, for tests.

It mirrors two filter plugins of kube-scheduler (pkg/scheduler/framework/plugins):

- NodeAffinity: a pod fits a node when one of ``nodeSelectorTerms`` matches the node's
  labels (the expressions of a term are ANDed).
- InterPodAffinity, ``satisfyPodAffinity``: for the incoming pod's required podAffinity
  terms, a running pod counts only when it matches *all* of them; the pod fits a node when a
  counted pod runs in the node's topology domain. When no running pod anywhere is counted,
  the pod fits any node carrying the topology keys, provided its own labels match all its
  terms (the "first pod of a group with affinity to itself" rule).

On top, :func:`outcomes` plays every arrival order and every choice the filters leave, as
if all pods ran at once (the strictest case: a pipeline's steps never overlap), and reports
each pod that could not be placed. Argo gives a pod its template's ``affinity`` when the
template has one, else the workflow's ``spec.affinity`` (workflow/controller/workflowpod.go).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

HOSTNAME = "kubernetes.io/hostname"


@dataclass(frozen=True)
class Pod:
    name: str
    labels: dict[str, str]
    affinity: dict[str, Any] | None
    #: ReadWriteOnce claims the pod mounts.
    claims: frozenset[str] = field(default_factory=frozenset)


def expression_matches(expr: dict[str, Any], labels: dict[str, str]) -> bool:
    key, op = expr["key"], expr["operator"]
    values = expr.get("values", [])
    if op == "In":
        return key in labels and labels[key] in values
    if op == "NotIn":
        return key not in labels or labels[key] not in values
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    if op in ("Gt", "Lt"):  # node selectors only
        if key not in labels:
            return False
        return (int(labels[key]) > int(values[0])) if op == "Gt" else \
            (int(labels[key]) < int(values[0]))
    raise ValueError(f"unknown operator {op}")


def selector_matches(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    return all(expression_matches(e, labels) for e in selector.get("matchExpressions", []))


def required_pod_terms(affinity: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not affinity:
        return []
    terms: list[dict[str, Any]] = affinity.get("podAffinity", {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution", [])
    return terms


def node_affinity_fits(affinity: dict[str, Any] | None, node_labels: dict[str, str]) -> bool:
    required = (affinity or {}).get("nodeAffinity", {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution")
    if not required:
        return True
    return any(all(expression_matches(e, node_labels) for e in term.get("matchExpressions", []))
               for term in required["nodeSelectorTerms"])


def matches_all(terms: list[dict[str, Any]], labels: dict[str, str]) -> bool:
    return all(selector_matches(t["labelSelector"], labels) for t in terms)


def fits(pod: Pod, node: str, nodes: dict[str, dict[str, str]],
         placed: list[tuple[Pod, str]]) -> bool:
    node_labels = nodes[node]
    if not node_affinity_fits(pod.affinity, node_labels):
        return False
    terms = required_pod_terms(pod.affinity)
    if not terms:
        return True
    if any(t["topologyKey"] not in node_labels for t in terms):
        return False
    counted = [(other, where) for other, where in placed if matches_all(terms, other.labels)]
    if not counted:
        return matches_all(terms, pod.labels)
    return all(any(nodes[where].get(t["topologyKey"]) == node_labels[t["topologyKey"]]
                   for _, where in counted) for t in terms)


@dataclass
class Outcome:
    placement: dict[str, str]
    #: Pods no node would take, in the order they arrived.
    stuck: list[str]


def outcomes(pods: list[Pod], node_names: tuple[str, ...] = ("n1", "n2"),
             running: list[tuple[Pod, str]] | None = None) -> list[Outcome]:
    """Every way the pods can be placed, all orders and choices (pods already *running*
    first)."""
    nodes = {n: {HOSTNAME: n} for n in node_names}
    found: list[Outcome] = []

    def place(rest: list[Pod], placed: list[tuple[Pod, str]], stuck: list[str]) -> None:
        if not rest:
            found.append(Outcome({p.name: n for p, n in placed}, stuck))
            return
        pod, others = rest[0], rest[1:]
        choices = [n for n in node_names if fits(pod, n, nodes, placed)]
        if not choices:
            place(others, placed, [*stuck, pod.name])
        for n in choices:
            place(others, [*placed, (pod, n)], stuck)

    for order in itertools.permutations(pods):
        place(list(order), list(running or []), [])
    return found


def pods_of(doc: dict[str, Any], rwo_claims: set[str]) -> list[Pod]:
    """The pods of a workflow: one per container/script template, with the labels and the
    affinity Argo gives it, and the ReadWriteOnce claims among those it mounts."""
    spec = doc["spec"]
    claim_of = {v["name"]: v["persistentVolumeClaim"]["claimName"]
                for v in spec.get("volumes", []) if "persistentVolumeClaim" in v}
    out = []
    for t in spec["templates"]:
        body = t.get("container") or t.get("script")
        if body is None:
            continue
        mounted = {claim_of[m["name"]] for m in body.get("volumeMounts", [])
                   if m["name"] in claim_of}
        out.append(Pod(t["name"], dict(t.get("metadata", {}).get("labels", {})),
                       t["affinity"] if "affinity" in t else spec.get("affinity"),
                       frozenset(mounted & rwo_claims)))
    return out


def colocation_broken(outcome: Outcome, pods: list[Pod]) -> list[tuple[str, str, str]]:
    """(claim, pod, pod) for two placed pods that share a ReadWriteOnce claim on two nodes."""
    broken = []
    for a, b in itertools.combinations(pods, 2):
        for claim in sorted(a.claims & b.claims):
            na, nb = outcome.placement.get(a.name), outcome.placement.get(b.name)
            if na is not None and nb is not None and na != nb:
                broken.append((claim, a.name, b.name))
    return broken
