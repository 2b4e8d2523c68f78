"""Task-level options (run control, secrets and config, volumes, pods): the Argo fields each one
compiles to, read from the compiled document. Every document here also passed the strict
schema and Argo's rules (compile_text reports any finding as a diagnostic)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

import tiphys

from compile_helpers import compile_text

HEAD = """from tiphys import (task, bash, container, pipeline, workflow, param, retry, backoff,
    memoize, mutex, semaphore, secret, config_map_key, secret_env, config_map_env, sidecar,
    init_container, node_affinity, pod_affinity, pod_anti_affinity, mount, empty_dir, pvc,
    config_map_volume, secret_volume, volume_claim)
"""
VOLUMES = """[empty_dir("scratch"), pvc("data", claim="shared", read_only=True),
    config_map_volume("cfg", "app-config"), secret_volume("creds", "app-creds")]"""


def compile_ok(tmp_path: Path, source: str) -> dict[str, Any]:
    docs, diags = compile_text(tmp_path, HEAD + source)
    assert diags == [], [(d.code, d.line, d.col, d.message) for d in diags]
    assert len(docs) == 1
    return docs[0]


def template(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in doc["spec"]["templates"] if t["name"] == name)


def python_task(tmp_path: Path, options: str) -> dict[str, Any]:
    """The template of a Python task ``t`` with *options*."""
    doc = compile_ok(tmp_path, f"""
@task({options})
def t(x: str = "a") -> str:
    return x
wf = workflow("w", t(), volumes={VOLUMES})
""")
    return template(doc, "t")


# -- run control ---------------------------------------------------------------------------


def test_retries_integer_is_a_limit(tmp_path: Path) -> None:
    assert python_task(tmp_path, "retries=2")["retryStrategy"] == {"limit": 2}


def test_retry_with_policy_backoff_and_expression(tmp_path: Path) -> None:
    t = python_task(tmp_path, 'retries=retry(4, policy="OnTransientError", '
                    'backoff=backoff(10, factor=3, max_duration="10m", cap="1m"), '
                    'expression="asInt(lastRetry.exitCode) > 1")')
    assert t["retryStrategy"] == {
        "limit": 4,
        "retryPolicy": "OnTransientError",
        "expression": "asInt(lastRetry.exitCode) > 1",
        "backoff": {"duration": "10s", "factor": 3, "maxDuration": "10m", "cap": "1m"},
    }
    assert list(t["retryStrategy"]["backoff"]) == ["duration", "factor", "maxDuration", "cap"]


@pytest.mark.parametrize("policy", ["Always", "OnFailure", "OnError", "OnTransientError"])
def test_every_retry_policy(tmp_path: Path, policy: str) -> None:
    t = python_task(tmp_path, f'retries=retry(1, policy="{policy}")')
    assert t["retryStrategy"] == {"limit": 1, "retryPolicy": policy}


def test_backoff_shorthand_is_a_duration(tmp_path: Path) -> None:
    t = python_task(tmp_path, 'retries=retry(3, backoff="2m")')
    assert t["retryStrategy"] == {"limit": 3, "backoff": {"duration": "2m"}}


@pytest.mark.parametrize("value,seconds", [("90", 90), ('"30m"', 1800), ('"1h30m"', 5400)])
def test_active_deadline(tmp_path: Path, value: str, seconds: int) -> None:
    t = python_task(tmp_path, f'active_deadline={value}, timeout="2h"')
    assert t["activeDeadlineSeconds"] == seconds
    assert t["timeout"] == "2h"


def test_memoize(tmp_path: Path) -> None:
    t = python_task(tmp_path, 'memoize=memoize("t-{{inputs.parameters.x}}", max_age=3600, '
                    'cache="t-cache")')
    assert t["memoize"] == {"key": "t-{{inputs.parameters.x}}", "maxAge": "3600s",
                            "cache": {"configMap": {"name": "t-cache"}}}


def test_synchronization_one_mutex(tmp_path: Path) -> None:
    t = python_task(tmp_path, 'synchronization=mutex("warehouse")')
    assert t["synchronization"] == {"mutexes": [{"name": "warehouse"}]}


def test_synchronization_mutexes_and_semaphores(tmp_path: Path) -> None:
    t = python_task(tmp_path, 'synchronization=[semaphore("limits", "gpu"), '
                    'mutex("a", namespace="team-a", database=True), '
                    'semaphore(key="reports", database=True), mutex("b")]')
    assert t["synchronization"] == {
        "mutexes": [{"name": "a", "database": True, "namespace": "team-a"}, {"name": "b"}],
        "semaphores": [{"configMapKeyRef": {"name": "limits", "key": "gpu"}},
                       {"database": {"key": "reports"}}],
    }


# -- secrets and config --------------------------------------------------------------------


def test_env_mixes_literals_secrets_and_config_map_keys_sorted_by_name(tmp_path: Path) -> None:
    t = python_task(tmp_path, 'env={"TOKEN": secret("api", "token"), "MODE": "fast", '
                    '"DEBUG": False, "LEVEL": config_map_key("app", "log.level", optional=True), '
                    '"RETRIES": 3}')
    assert t["script"]["env"] == [
        {"name": "DEBUG", "value": "false"},
        {"name": "LEVEL", "valueFrom": {"configMapKeyRef": {"name": "app", "key": "log.level",
                                                            "optional": True}}},
        {"name": "MODE", "value": "fast"},
        {"name": "RETRIES", "value": "3"},
        {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "api", "key": "token"}}},
        {"name": "TIPHYS_INPUT_x", "value": "{{inputs.parameters.x}}"},
    ]


def test_env_from(tmp_path: Path) -> None:
    t = python_task(tmp_path, 'env_from=[secret_env("db", prefix="DB_"), '
                    'config_map_env("settings", optional=True)]')
    assert t["script"]["envFrom"] == [
        {"secretRef": {"name": "db"}, "prefix": "DB_"},
        {"configMapRef": {"name": "settings", "optional": True}},
    ]


def test_helpers_bound_to_names_and_through_the_module(tmp_path: Path) -> None:
    doc = compile_ok(tmp_path, """
import tiphys as tp
PASSWORD = secret("db", "password")
@task(env={"PW": PASSWORD, "USER": tp.config_map_key("db", "user")},
      env_from=tp.secret_env("extra"))
def t() -> str:
    return "x"
wf = workflow("w", t())
""")
    env = template(doc, "t")["script"]["env"]
    assert env == [
        {"name": "PW", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
        {"name": "USER", "valueFrom": {"configMapKeyRef": {"name": "db", "key": "user"}}},
    ]
    assert template(doc, "t")["script"]["envFrom"] == [{"secretRef": {"name": "extra"}}]


def test_mounted_secrets_and_config_maps(tmp_path: Path) -> None:
    t = python_task(tmp_path, 'volumes={"/etc/creds": mount("creds", read_only=True), '
                    '"/etc/app/app.toml": mount("cfg", read_only=True, sub_path="app.toml"), '
                    '"/data": "data", "/scratch": "scratch"}')
    assert t["script"]["volumeMounts"] == [
        {"name": "data", "mountPath": "/data"},
        {"name": "cfg", "mountPath": "/etc/app/app.toml", "readOnly": True,
         "subPath": "app.toml"},
        {"name": "creds", "mountPath": "/etc/creds", "readOnly": True},
        {"name": "scratch", "mountPath": "/scratch"},
    ]


def test_volume_kinds_at_the_workflow(tmp_path: Path) -> None:
    doc = compile_ok(tmp_path, f"""
@task(volumes={{"/out": "results", "/data": mount("data", read_only=True)}})
def t() -> str:
    return "x"
wf = workflow("w", t(), volumes={VOLUMES},
              volume_claims=[volume_claim("results", "1Gi", storage_class="fast")])
""")
    spec = doc["spec"]
    assert [next(k for k in v if k != "name") for v in spec["volumes"]] == [
        "emptyDir", "persistentVolumeClaim", "configMap", "secret"]
    assert spec["volumeClaimTemplates"][0]["metadata"] == {"name": "results"}


# -- pods ----------------------------------------------------------------------------------


def test_node_affinity_helper(tmp_path: Path) -> None:
    t = python_task(tmp_path, 'affinity=node_affinity(required={"kubernetes.io/arch": '
                    '["amd64", "arm64"], "pool": "batch"}, preferred={"zone": "a"}, weight=30)')
    assert t["affinity"] == {"nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchExpressions": [
                {"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64", "arm64"]},
                {"key": "pool", "operator": "In", "values": ["batch"]},
            ]}]},
        "preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 30, "preference": {"matchExpressions": [
                {"key": "zone", "operator": "In", "values": ["a"]}]}}],
    }}


def test_pod_affinity_helpers_and_a_dict_merge(tmp_path: Path) -> None:
    t = python_task(tmp_path, """affinity=[
        pod_anti_affinity({"app": "t"}, required=True),
        pod_affinity({"app": "cache"}, topology_key="topology.kubernetes.io/zone", weight=50),
        {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": {"app": "db"}}, "topologyKey": "kubernetes.io/hostname"}]}},
        node_affinity(required={"gpu": "true"}),
    ]""")
    aff = t["affinity"]
    assert list(aff) == ["nodeAffinity", "podAffinity", "podAntiAffinity"]
    assert aff["podAffinity"] == {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 50, "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": "cache"}},
                                           "topologyKey": "topology.kubernetes.io/zone"}}]}
    anti = aff["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert [term["labelSelector"]["matchLabels"]["app"] for term in anti] == ["t", "db"]


def test_affinity_helpers_compile_to_what_they_build_at_run_time(tmp_path: Path) -> None:
    """The runtime helpers (for unit tests) and the compiler agree."""
    cases = {
        'node_affinity(required={"a": ["b", "c"]}, preferred={"d": "e"}, weight=7)':
            tiphys.node_affinity(required={"a": ["b", "c"]}, preferred={"d": "e"}, weight=7),
        'pod_affinity({"app": "x"}, required=True)':
            tiphys.pod_affinity({"app": "x"}, required=True),
        'pod_anti_affinity({"app": "y"}, topology_key="zone", weight=9)':
            tiphys.pod_anti_affinity({"app": "y"}, topology_key="zone", weight=9),
    }
    for i, (source, runtime) in enumerate(cases.items()):
        folder = tmp_path / str(i)
        folder.mkdir()
        assert python_task(folder, f"affinity={source}")["affinity"] == runtime.value


def test_raw_affinity_dict(tmp_path: Path) -> None:
    raw = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchExpressions": [
            {"key": "disk", "operator": "Exists"}]}]}}}
    assert python_task(tmp_path, f"affinity={raw!r}")["affinity"] == raw


def test_security_contexts(tmp_path: Path) -> None:
    t = python_task(tmp_path, 'security_context={"runAsNonRoot": True, "runAsUser": 1000, '
                    '"fsGroup": 2000, "seccompProfile": {"type": "RuntimeDefault"}}, '
                    'container_security_context={"readOnlyRootFilesystem": True, '
                    '"capabilities": {"drop": ["ALL"]}}')
    assert t["securityContext"] == {"runAsNonRoot": True, "runAsUser": 1000, "fsGroup": 2000,
                                    "seccompProfile": {"type": "RuntimeDefault"}}
    assert t["script"]["securityContext"] == {"readOnlyRootFilesystem": True,
                                              "capabilities": {"drop": ["ALL"]}}


def test_service_account_labels_and_annotations(tmp_path: Path) -> None:
    t = python_task(tmp_path, 'service_account="runner", labels={"team": "data", "app": "t"}, '
                    'annotations={"example.com/owner": "data@example.com"}')
    assert t["serviceAccountName"] == "runner"
    assert t["metadata"] == {"labels": {"app": "t", "team": "data"},
                             "annotations": {"example.com/owner": "data@example.com"}}


def test_sidecars_and_init_containers(tmp_path: Path) -> None:
    t = python_task(tmp_path, """volumes={"/scratch": "scratch"},
        sidecars=sidecar("proxy", "nginx:1.27", command=["nginx", "-g", "daemon off;"],
                         env={"PORT": 8080, "KEY": secret("tls", "key")}, cpu="100m",
                         memory="64Mi", mirror_volume_mounts=True),
        init_containers=[init_container("seed", "alpine:3.20", args=["touch", "/scratch/x"],
                                        mirror_volume_mounts=True)]""")
    assert t["sidecars"] == [{
        "name": "proxy", "image": "nginx:1.27", "command": ["nginx", "-g", "daemon off;"],
        "env": [{"name": "KEY", "valueFrom": {"secretKeyRef": {"name": "tls", "key": "key"}}},
                {"name": "PORT", "value": "8080"}],
        "resources": {"limits": {"memory": "64Mi"}, "requests": {"cpu": "100m", "memory": "64Mi"}},
        "mirrorVolumeMounts": True,
    }]
    assert t["initContainers"] == [{"name": "seed", "image": "alpine:3.20",
                                    "args": ["touch", "/scratch/x"], "mirrorVolumeMounts": True}]


def test_pod_spec_patch_dict_and_text(tmp_path: Path) -> None:
    t = python_task(tmp_path, 'pod_spec_patch={"containers": [{"name": "main", "resources": '
                    '{"limits": {"cpu": "2"}}}]}')
    assert json.loads(t["podSpecPatch"]) == {
        "containers": [{"name": "main", "resources": {"limits": {"cpu": "2"}}}]}
    text = "terminationGracePeriodSeconds: 60\\n"
    (tmp_path / "b").mkdir()
    t = python_task(tmp_path / "b", f'pod_spec_patch="{text}"')
    assert yaml.safe_load(t["podSpecPatch"]) == {"terminationGracePeriodSeconds": 60}


def test_pod_spec_patch_with_tags_is_left_to_argo(tmp_path: Path) -> None:
    patch = '{"containers": [{"name": "main", "resources": {"limits": {"cpu": "{{inputs.parameters.x}}"}}}]}'
    t = python_task(tmp_path, f"pod_spec_patch={patch!r}")
    assert t["podSpecPatch"] == patch


def test_daemon(tmp_path: Path) -> None:
    doc = compile_ok(tmp_path, """
@task(daemon=True)
def serve() -> str:
    return "never"
cache = container("cache", "redis:7", daemon=True)
@task
def use() -> None:
    print("ok")
s = serve()
wf = workflow("w", pipeline(s, cache, use().after(s)))
""")
    serve, cache = template(doc, "serve"), template(doc, "cache")
    assert serve["daemon"] is True and cache["daemon"] is True
    assert "outputs" not in serve, "a daemon never writes its return value"
    assert "daemon" not in template(doc, "use")


def test_bash_and_container_take_the_same_options(tmp_path: Path) -> None:
    doc = compile_ok(tmp_path, """
b = bash("b", "echo $MODE", env={"PW": secret("s", "k")}, retries=retry(1, policy="Always"),
         service_account="bash-runner", container_security_context={"privileged": False})
c = container("c", "alpine", args=["true"], env_from=[config_map_env("cm")],
              synchronization=mutex("m"), security_context={"runAsUser": 1},
              container_security_context={"runAsUser": 2}, labels={"k": "v"})
wf = workflow("w", pipeline(b, c))
""")
    b, c = template(doc, "b"), template(doc, "c")
    assert b["script"]["env"] == [{"name": "PW", "valueFrom": {"secretKeyRef": {
        "name": "s", "key": "k"}}}]
    assert b["retryStrategy"] == {"limit": 1, "retryPolicy": "Always"}
    assert b["serviceAccountName"] == "bash-runner"
    assert b["script"]["securityContext"] == {"privileged": False}
    assert c["container"]["envFrom"] == [{"configMapRef": {"name": "cm"}}]
    assert c["container"]["securityContext"] == {"runAsUser": 2}
    assert c["securityContext"] == {"runAsUser": 1}
    assert c["synchronization"] == {"mutexes": [{"name": "m"}]}
    assert c["metadata"] == {"labels": {"k": "v"}}


def test_template_key_order_is_fixed(tmp_path: Path) -> None:
    t = python_task(tmp_path, """retries=retry(1), timeout="1h", active_deadline=60,
        memoize=memoize("k", max_age="1h", cache="c"), synchronization=mutex("m"),
        service_account="sa", security_context={"runAsUser": 1}, node_selector={"a": "b"},
        affinity=node_affinity(required={"a": "b"}), tolerations=[{"operator": "Exists"}],
        pod_spec_patch={"hostNetwork": False}, labels={"a": "b"}, daemon=True,
        sidecars=[sidecar("s", "nginx")], init_containers=[init_container("i", "alpine")]""")
    assert list(t) == [
        "name", "inputs", "metadata", "daemon", "script", "initContainers", "sidecars",
        "retryStrategy", "timeout", "activeDeadlineSeconds", "memoize", "synchronization",
        "serviceAccountName", "securityContext", "nodeSelector", "affinity", "tolerations",
        "podSpecPatch",
    ]


def test_a_warning_does_not_stop_the_output(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + """
@task(sidecars=[sidecar("s", "nginx", mirror_volume_mounts=True)])
def t() -> str:
    return "x"
wf = workflow("w", t())
""")
    assert [d.code for d in diags] == ["TPH163"]
    assert template(docs[0], "t")["sidecars"][0]["mirrorVolumeMounts"] is True
