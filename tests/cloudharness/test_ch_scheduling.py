"""Pods that share a ReadWriteOnce claim can be scheduled, and land on one node.

Each document is played through a model of the scheduler's required-affinity filters
(k8s_scheduling.py): every arrival order, every node choice, all pods at once. A pod that
no node takes is a pod Pending forever.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ch_helpers import compile_one
from k8s_scheduling import (
    HOSTNAME,
    Pod,
    colocation_broken,
    fits,
    node_affinity_fits,
    outcomes,
    pods_of,
)

CUSTOM = "operations.CustomTask('{name}', 'workflows-extract-download', url='x'{more})"


def custom(name: str, more: str = "") -> str:
    return CUSTOM.format(name=name, more=more)


def check(doc: dict[str, Any], rwo: set[str], running: list[tuple[Pod, str]] | None = None,
          ) -> list[Any]:
    pods = pods_of(doc, rwo)
    found = outcomes(pods, running=running)
    assert found
    for outcome in found:
        assert outcome.stuck == [], outcome
        assert colocation_broken(outcome, pods) == [], outcome
    return found


def term(key: str, values: list[str]) -> dict[str, Any]:
    return {"labelSelector": {"matchExpressions": [{"key": key, "operator": "In",
                                                    "values": values}]},
            "topologyKey": HOSTNAME}


def required(*terms: dict[str, Any]) -> dict[str, Any]:
    return {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": list(terms)}}


# -- the model fails where it must --------------------------------------------------------


def test_the_model_finds_cloudharness_pods_unschedulable() -> None:
    """CloudHarness' output for shared_directory=['myclaim:/mnt/shared', 'myclaim2:...']:
    the label keeps the last claim, the affinity requires both (reference 1.7); and for a
    task's volume_mounts=['a:/b'] plus the shared 'myclaim', the template requires
    usesvolume=a while the operation's label makes it usesvolume=myclaim."""
    two_claims = Pod("download-file", {"usesvolume": "myclaim2"},
                     required(term("usesvolume", ["myclaim"]), term("usesvolume", ["myclaim2"])))
    assert [o.stuck for o in outcomes([two_claims])] == [["download-file"]]
    task_and_shared = Pod("download-file", {"usesvolume": "myclaim", "usesvolume-a": "true"},
                          required(term("usesvolume", ["a"]), term("usesvolume-a", ["true"])))
    assert [o.stuck for o in outcomes([task_and_shared])] == [["download-file"]]


def test_the_model_finds_split_pods() -> None:
    """Two pods of one claim with no affinity: some outcome puts them on two nodes."""
    pods = [Pod("a", {}, None, frozenset({"c"})), Pod("b", {}, None, frozenset({"c"}))]
    assert any(colocation_broken(o, pods) for o in outcomes(pods))


def test_the_first_pod_rule_and_counting() -> None:
    nodes = {"n1": {HOSTNAME: "n1"}, "n2": {HOSTNAME: "n2"}}
    self_match = Pod("p", {"k": "v"}, required(term("k", ["v"])))
    assert fits(self_match, "n1", nodes, []) and fits(self_match, "n2", nodes, [])
    other = Pod("q", {"k": "v"}, None)
    assert fits(self_match, "n2", nodes, [(other, "n2")])
    assert not fits(self_match, "n1", nodes, [(other, "n2")])
    no_self = Pod("r", {"k": "w"}, required(term("k", ["v"])))
    assert not fits(no_self, "n1", nodes, [])


def test_node_affinity() -> None:
    aff = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [
            {"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]},
                                  {"key": "gpus", "operator": "Gt", "values": ["1"]}]},
            {"matchExpressions": [{"key": "zone", "operator": "Exists"}]}]}}}
    assert node_affinity_fits(aff, {"disk": "ssd", "gpus": "2"})
    assert not node_affinity_fits(aff, {"disk": "ssd", "gpus": "1"})
    assert node_affinity_fits(aff, {"zone": "a"})
    assert not node_affinity_fits(aff, {})
    assert node_affinity_fits(None, {})


# -- the two cases of the issue, and their neighbours ---------------------------------------


def test_two_shared_claims(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, f"""
        op = operations.SingleTaskOperation('m-', {custom('download-file')},
                                            shared_directory=['myclaim:/mnt/shared', 'myclaim2:/mnt/shared2:ro'])
    """)
    check(doc, {"myclaim", "myclaim2"})


def test_two_shared_claims_in_parallel(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, f"""
        op = operations.ParallelOperation('m-', [{custom('a')}, {custom('b')}, {custom('c')}],
                                          shared_directory=['myclaim:/mnt/shared', 'myclaim2:/mnt/shared2'],
                                          on_exit_notify={{'queue': 'q'}})
    """)
    assert len(pods_of(doc, set())) == 4
    check(doc, {"myclaim", "myclaim2"})


def test_task_volume_and_shared_claim(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, f"""
        op = operations.SingleTaskOperation('m-', {custom('download-file', ", volume_mounts=['a:/b']")},
                                            shared_directory='myclaim:/mnt/shared')
    """)
    check(doc, {"a", "myclaim"})


def test_task_volumes_and_shared_claim_in_parallel(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, f"""
        op = operations.ParallelOperation('m-', [
            {custom('own-a', ", volume_mounts=['a:/b']")},
            {custom('shared-only')},
            {custom('own-b-and-a', ", volume_mounts=['b:/c', 'a:/b:ro']")},
        ], shared_directory='myclaim:/mnt/shared')
    """)
    check(doc, {"a", "b", "myclaim"})


def test_task_volumes_without_shared_claims(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, f"""
        op = operations.ParallelOperation('m-', [
            {custom('t1', ", volume_mounts=['b:/b']")},
            {custom('t2', ", volume_mounts=['a:/a', 'b:/b']")},
            {custom('free')},
        ])
    """)
    found = check(doc, {"a", "b"})
    # The pod without claims is not tied to the others.
    assert {o.placement["free"] for o in found} == {"n1", "n2"}


def test_rwx_claims_are_not_tied(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, f"""
        op = operations.ParallelOperation('m-', [{custom('a')}, {custom('b')}],
                                          shared_directory='myclaim:/mnt/shared:rwx')
    """)
    found = check(doc, set())
    assert {(o.placement["a"], o.placement["b"]) for o in found} == {
        ("n1", "n1"), ("n1", "n2"), ("n2", "n1"), ("n2", "n2")}


@pytest.mark.parametrize("shared", ["'myclaim:/mnt/shared'",
                                    "['myclaim:/mnt/shared', 'other:/mnt/other']"])
def test_pods_follow_another_operation_on_the_claim(tmp_path: Path, shared: str) -> None:
    """A pod of another operation, already running on n2 with the claim as its
    ``usesvolume`` label, draws this operation's pods to n2."""
    doc = compile_one(tmp_path, f"""
        op = operations.ParallelOperation('m-', [{custom('a')}, {custom('b')}],
                                          shared_directory={shared})
    """)
    elsewhere = Pod("other-op", {"usesvolume": "myclaim"}, None, frozenset({"myclaim"}))
    found = check(doc, {"myclaim"}, running=[(elsewhere, "n2")])
    assert {o.placement["a"] for o in found} == {"n2"}
