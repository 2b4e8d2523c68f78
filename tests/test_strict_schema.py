"""Tests for the strict Argo schema (schemas/argo-strict.schema.json) and check_strict()."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from tiphys.compiler import strict_schema
from tiphys.compiler.strict_schema import (
    SchemaViolation,
    check_strict,
    is_strictly_valid,
    load_schema,
    strict_validator,
)
from tiphys.compiler.strict_schema.fast import FastCompiler
from tiphys.compiler.strict_schema.messages import explain

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EXAMPLES = SHARED / "argo" / "examples"
ARGO_KINDS = {"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"}

needs_examples = pytest.mark.skipif(
    not EXAMPLES.is_dir(), reason=f"upstream Argo examples not found at {EXAMPLES}"
)


# --- (a) and (b): the schema itself --------------------------------------------------------


def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_file_ships_in_package() -> None:
    schema_file = Path(strict_schema.__file__).resolve().parents[2] / "schemas"
    assert (schema_file / strict_schema.SCHEMA_FILE).is_file()
    assert (schema_file / "__init__.py").is_file()


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def closure_problems(schema: Any, where: str = "#", overlay: bool = False) -> list[str]:
    """Every object schema that does not close itself.

    An object type with properties must set additionalProperties to false; a map sets it to a
    value schema; true is allowed only with a $comment starting "open:". A schema with
    properties but no type is only allowed as an overlay that narrows a closed schema: next to a
    $ref, or as an if/then/else branch. "if" subschemas are predicates and are not checked.
    """
    if not isinstance(schema, dict):
        return []
    problems: list[str] = []
    is_overlay = overlay or "$ref" in schema
    has_properties = "properties" in schema
    if "object" in _types(schema):
        extra = schema.get("additionalProperties", "<missing>")
        if extra == "<missing>":
            problems.append(f"{where}: object without additionalProperties")
        elif has_properties and extra is not False:
            problems.append(f"{where}: object with properties must set additionalProperties false")
        elif extra is True and not str(schema.get("$comment", "")).startswith("open:"):
            problems.append(f"{where}: open object without an 'open:' $comment saying why")
        elif extra is False and not has_properties:
            problems.append(f"{where}: closed object should list its (maybe empty) properties")
    elif has_properties and not is_overlay:
        problems.append(f"{where}: properties without type object outside an overlay")

    for key in ("properties", "$defs"):
        for name, sub in schema.get(key, {}).items():
            problems += closure_problems(sub, f"{where}/{key}/{name}")
    for key in ("additionalProperties", "items", "propertyNames", "not"):
        problems += closure_problems(schema.get(key), f"{where}/{key}")
    for key in ("allOf", "anyOf", "oneOf"):
        for i, sub in enumerate(schema.get(key, [])):
            problems += closure_problems(sub, f"{where}/{key}/{i}")
    for key in ("then", "else"):
        problems += closure_problems(schema.get(key), f"{where}/{key}", overlay=True)
    return problems


def test_every_object_schema_is_closed() -> None:
    assert closure_problems(load_schema()) == []


def test_closure_check_can_fail() -> None:
    schema = copy.deepcopy(load_schema())
    del schema["$defs"]["Template"]["additionalProperties"]
    schema["$defs"]["Memoize"]["additionalProperties"] = True
    schema["$defs"]["Metadata"]["properties"]["labels"] = {"type": "object"}
    schema["$defs"]["Stray"] = {"properties": {"x": {"type": "string"}}}
    problems = closure_problems(schema)
    assert len(problems) == 4, problems
    assert any("/$defs/Template:" in p for p in problems)
    assert any("/$defs/Memoize:" in p for p in problems)
    assert any("/$defs/Metadata/properties/labels:" in p for p in problems)
    assert any("/$defs/Stray:" in p for p in problems)


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_every_definition_is_used_and_every_ref_resolves() -> None:
    schema = load_schema()
    refs = set(_refs(schema))
    defined = {f"#/$defs/{name}" for name in schema["$defs"]}
    assert refs <= defined, refs - defined
    assert defined <= refs, defined - refs


def test_fast_checker_refuses_keywords_it_does_not_implement() -> None:
    compiler = FastCompiler({})
    with pytest.raises(ValueError, match="format"):
        compiler.compile({"type": "string", "format": "email"})


# --- helpers for hand-written documents ----------------------------------------------------


def doc(kind: str, spec: dict[str, Any], **metadata: Any) -> dict[str, Any]:
    meta = metadata or {"name": "example"}
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": kind, "metadata": meta, "spec": spec}


def template_doc(*templates: dict[str, Any], kind: str = "WorkflowTemplate") -> dict[str, Any]:
    return doc(kind, {"entrypoint": templates[0]["name"], "templates": list(templates)})


ECHO: dict[str, Any] = {
    "name": "echo",
    "container": {"image": "alpine:3.20", "command": ["echo", "hi"]},
}


def paths(violations: list[SchemaViolation]) -> list[tuple[str | int, ...]]:
    return [v.path for v in violations]


def only(violations: list[SchemaViolation], path: tuple[str | int, ...]) -> SchemaViolation:
    found = [v for v in violations if v.path == path]
    assert len(found) == 1, (path, violations)
    return found[0]


def assert_valid(document: dict[str, Any]) -> None:
    assert check_strict(document) == []
    assert strict_validator().is_valid(document)


# --- (c) positive documents ----------------------------------------------------------------

POSITIVE: dict[str, dict[str, Any]] = {}

POSITIVE["workflow-template-container"] = doc(
    "WorkflowTemplate",
    {
        "entrypoint": "echo",
        "arguments": {"parameters": [{"name": "who", "value": "world", "enum": ["world", 1]}]},
        "serviceAccountName": "runner",
        "automountServiceAccountToken": False,
        "ttlStrategy": {"secondsAfterCompletion": 3600, "secondsAfterFailure": 86400},
        "podGC": {
            "strategy": "OnPodSuccess",
            "labelSelector": {"matchLabels": {"app": "tiphys"}},
            "deleteDelayDuration": "30s",
        },
        "parallelism": 4,
        "activeDeadlineSeconds": 3600,
        "nodeSelector": {"kubernetes.io/os": "linux"},
        "tolerations": [
            {"key": "dedicated", "operator": "Equal", "value": "ci", "effect": "NoSchedule"},
            {"operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60},
        ],
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}
                    ]
                },
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {
                        "weight": 10,
                        "preference": {"matchFields": [{"key": "x", "operator": "Exists"}]},
                    }
                ],
            },
            "podAntiAffinity": {
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {
                        "weight": 50,
                        "podAffinityTerm": {
                            "topologyKey": "kubernetes.io/hostname",
                            "labelSelector": {
                                "matchExpressions": [{"key": "app", "operator": "Exists"}]
                            },
                        },
                    }
                ]
            },
        },
        "securityContext": {"runAsNonRoot": True, "runAsUser": 1000, "fsGroup": 2000},
        "podSpecPatch": '{"terminationGracePeriodSeconds": 5}',
        "imagePullSecrets": [{"name": "registry"}],
        "workflowMetadata": {
            "labels": {"team": "data"},
            "annotations": {"example.com/owner": "me"},
            "labelsFrom": {"run": {"expression": "workflow.name"}},
        },
        "podMetadata": {"labels": {"app": "tiphys"}, "annotations": {"a": "b"}},
        "archiveLogs": True,
        "artifactRepositoryRef": {"configMap": "artifact-repositories", "key": "default"},
        "artifactGC": {"strategy": "OnWorkflowDeletion", "serviceAccountName": "gc"},
        "priority": 3,
        "podPriorityClassName": "high",
        "synchronization": {
            "mutexes": [{"name": "one-at-a-time"}],
            "semaphores": [{"configMapKeyRef": {"name": "limits", "key": "workflow"}}],
        },
        "retryStrategy": {"limit": 2},
        "metrics": {
            "prometheus": [
                {"name": "runs", "help": "Runs", "counter": {"value": "1"}},
                {
                    "name": "duration",
                    "help": "Duration",
                    "labels": [{"key": "team", "value": "data"}],
                    "gauge": {"value": "{{workflow.duration}}", "realtime": False},
                },
            ]
        },
        "hostNetwork": False,
        "dnsPolicy": "ClusterFirst",
        "dnsConfig": {"nameservers": ["1.1.1.1"], "options": [{"name": "ndots", "value": "2"}]},
        "schedulerName": "default-scheduler",
        "suspend": False,
        "volumeClaimGC": {"strategy": "OnWorkflowCompletion"},
        "templateDefaults": {"timeout": "1h", "container": {"imagePullPolicy": "IfNotPresent"}},
        "templates": [
            {
                **ECHO,
                "container": {
                    "image": "alpine:3.20",
                    "command": ["sh", "-c"],
                    "args": ["echo $WHO"],
                    "workingDir": "/work",
                    "imagePullPolicy": "Always",
                    "env": [
                        {"name": "WHO", "value": "{{workflow.parameters.who}}"},
                        {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "t"}}},
                        {"name": "CM", "valueFrom": {"configMapKeyRef": {"name": "c", "key": "k"}}},
                        {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                        {
                            "name": "MEM",
                            "valueFrom": {
                                "resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}
                            },
                        },
                    ],
                    "envFrom": [{"secretRef": {"name": "all"}, "prefix": "S_"}],
                    "resources": {
                        "requests": {"cpu": "500m", "memory": "1Gi"},
                        "limits": {"cpu": 2, "memory": "{{inputs.parameters.mem}}"},
                    },
                    "volumeMounts": [{"name": "work", "mountPath": "/work", "readOnly": False}],
                    "securityContext": {
                        "allowPrivilegeEscalation": False,
                        "capabilities": {"drop": ["ALL"]},
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}],
                    "readinessProbe": {
                        "httpGet": {"path": "/healthz", "port": 8080},
                        "initialDelaySeconds": 2,
                        "periodSeconds": 5,
                    },
                    "livenessProbe": {"tcpSocket": {"port": "http"}},
                    "startupProbe": {"exec": {"command": ["true"]}, "failureThreshold": 30},
                    "lifecycle": {"preStop": {"exec": {"command": ["sleep", "1"]}}},
                },
                "inputs": {"parameters": [{"name": "mem", "default": "1Gi"}]},
                "volumes": [{"name": "work", "emptyDir": {}}],
            }
        ],
    },
    name="everything",
    namespace="argo",
    labels={"app.kubernetes.io/name": "tiphys"},
    annotations={"tiphys.dev/source": "flows/etl.py"},
)

POSITIVE["steps-and-loops"] = template_doc(
    {
        "name": "main",
        "parallelism": 2,
        "failFast": True,
        "steps": [
            [{"name": "hello", "template": "echo"}],
            [
                {
                    "name": "items",
                    "template": "say",
                    "arguments": {"parameters": [{"name": "msg", "value": "{{item}}"}]},
                    "withItems": ["a", 1, True, {"k": "v"}, [1, 2]],
                },
                {
                    "name": "param",
                    "template": "say",
                    "arguments": {"parameters": [{"name": "msg", "value": "{{item}}"}]},
                    "withParam": "{{steps.hello.outputs.result}}",
                    "continueOn": {"failed": True, "error": False},
                },
                {
                    "name": "seq",
                    "template": "say",
                    "arguments": {"parameters": [{"name": "msg", "value": 7}]},
                    "withSequence": {"count": 3, "format": "n%02d"},
                },
                {
                    "name": "seq-str",
                    "template": "say",
                    "arguments": {"parameters": [{"name": "msg", "value": 2.5}]},
                    "withSequence": {"start": "1", "end": "{{inputs.parameters.n}}"},
                    "when": "{{steps.hello.status}} == Succeeded",
                },
                {
                    "name": "ref",
                    "templateRef": {"name": "shared", "template": "say", "clusterScope": True},
                    "onExit": "echo",
                    "hooks": {
                        "running": {
                            "expression": "steps.ref.status == 'Running'",
                            "template": "echo",
                        }
                    },
                },
            ],
        ],
        "inputs": {"parameters": [{"name": "n", "value": 3}]},
    },
    ECHO,
    {
        "name": "say",
        "inputs": {"parameters": [{"name": "msg", "description": "what to say"}]},
        "container": {"image": "alpine:3.20", "command": ["echo", "{{inputs.parameters.msg}}"]},
    },
)

POSITIVE["dag-script"] = template_doc(
    {
        "name": "main",
        "dag": {
            "failFast": False,
            "target": "b",
            "tasks": [
                {"name": "a", "template": "py"},
                {
                    "name": "b",
                    "template": "py",
                    "depends": "a.Succeeded || a.Failed",
                    "arguments": {
                        "parameters": [
                            {"name": "x", "value": "{{tasks.a.outputs.parameters.result}}"}
                        ],
                        "artifacts": [
                            {"name": "data", "from": "{{tasks.a.outputs.artifacts.data}}"}
                        ],
                    },
                },
                {"name": "c", "template": "py", "dependencies": ["a", "b"], "when": "true"},
            ],
        },
    },
    {
        "name": "py",
        "inputs": {
            "parameters": [{"name": "x", "value": False}],
            "artifacts": [{"name": "data", "path": "/tmp/in", "optional": True}],
        },
        "outputs": {
            "parameters": [
                {
                    "name": "result",
                    "valueFrom": {"path": "/tmp/tiphys/result", "default": 0},
                    "globalName": "last-result",
                }
            ],
            "artifacts": [
                {"name": "data", "path": "/tmp/out", "archive": {"none": {}}},
                {"name": "zipped", "path": "/tmp/z", "archive": {"tar": {"compressionLevel": 9}}},
            ],
        },
        "script": {
            "image": "python:3.12-slim",
            "command": ["python"],
            "source": "print('hello')\n",
            "env": [{"name": "TIPHYS_IN_x", "value": "{{inputs.parameters.x}}"}],
            "resources": {"requests": {"cpu": 0.5, "memory": "512Mi"}},
        },
        "retryStrategy": {
            "limit": 3,
            "retryPolicy": "OnTransientError",
            "backoff": {"duration": "5s", "factor": 2, "maxDuration": "1m", "cap": "30s"},
            "expression": "lastRetry.status == 'Error'",
            "affinity": {"nodeAntiAffinity": {}},
        },
        "timeout": "10m",
        "activeDeadlineSeconds": 600,
        "memoize": {
            "key": "{{inputs.parameters.x}}",
            "maxAge": "1h",
            "cache": {"configMap": {"name": "memo"}},
        },
        "metadata": {"labels": {"step": "{{inputs.parameters.x}}"}, "annotations": {"a": "b"}},
        "nodeSelector": {"pool": "cpu"},
        "priorityClassName": "batch",
        "serviceAccountName": "runner",
        "synchronization": {"mutexes": [{"name": "py", "namespace": "argo"}]},
        "archiveLocation": {"archiveLogs": True},
        "hostAliases": [{"ip": "10.0.0.1", "hostnames": ["db"]}],
        "executor": {"serviceAccountName": "executor"},
    },
)

POSITIVE["artifacts-every-location"] = template_doc(
    {
        "name": "main",
        "inputs": {
            "artifacts": [
                {
                    "name": "s3",
                    "path": "/in/s3",
                    "s3": {
                        "bucket": "b",
                        "key": "k",
                        "endpoint": "s3.amazonaws.com",
                        "region": "eu-west-1",
                        "insecure": False,
                        "useSDKCreds": False,
                        "accessKeySecret": {"name": "s3", "key": "access"},
                        "secretKeySecret": {"name": "s3", "key": "secret"},
                    },
                },
                {
                    "name": "gcs",
                    "path": "/in/gcs",
                    "gcs": {
                        "bucket": "b",
                        "key": "k",
                        "serviceAccountKeySecret": {"name": "gcs", "key": "sa.json"},
                    },
                },
                {
                    "name": "http",
                    "path": "/in/http",
                    "mode": 493,
                    "http": {
                        "url": "https://example.com/x.tgz",
                        "headers": [{"name": "Accept", "value": "*/*"}],
                        "auth": {
                            "basicAuth": {
                                "usernameSecret": {"name": "h", "key": "u"},
                                "passwordSecret": {"name": "h", "key": "p"},
                            }
                        },
                    },
                },
                {
                    "name": "git",
                    "path": "/in/src",
                    "git": {
                        "repo": "https://github.com/argoproj/argo-workflows.git",
                        "revision": "main",
                        "depth": 1,
                        "fetch": ["refs/heads/*"],
                        "singleBranch": True,
                        "branch": "main",
                        "insecureIgnoreHostKey": True,
                        "disableSubmodules": True,
                        "usernameSecret": {"name": "g", "key": "u"},
                        "passwordSecret": {"name": "g", "key": "p"},
                        "sshPrivateKeySecret": {"name": "g", "key": "ssh"},
                    },
                },
                {"name": "raw", "path": "/in/raw", "raw": {"data": "hello\n"}},
                {
                    "name": "azure",
                    "path": "/in/az",
                    "azure": {
                        "endpoint": "https://acct.blob.core.windows.net",
                        "container": "c",
                        "blob": "b",
                        "accountKeySecret": {"name": "az", "key": "k"},
                    },
                },
                {
                    "name": "oss",
                    "path": "/in/oss",
                    "oss": {
                        "endpoint": "http://oss-cn-hangzhou-zmf.aliyuncs.com",
                        "bucket": "b",
                        "key": "k",
                        "accessKeySecret": {"name": "o", "key": "a"},
                        "secretKeySecret": {"name": "o", "key": "s"},
                    },
                },
                {
                    "name": "artifactory",
                    "path": "/in/af",
                    "artifactory": {
                        "url": "https://af.example.com/repo/x",
                        "usernameSecret": {"name": "af", "key": "u"},
                    },
                },
                {
                    "name": "hdfs",
                    "path": "/in/hdfs",
                    "hdfs": {
                        "addresses": ["nn:8020"],
                        "path": "/x",
                        "hdfsUser": "root",
                        "force": True,
                    },
                },
            ]
        },
        "outputs": {
            "artifacts": [
                {
                    "name": "result",
                    "path": "/out",
                    "s3": {"key": "out/{{workflow.name}}.tgz"},
                    "archive": {"zip": {}},
                    "artifactGC": {"strategy": "OnWorkflowCompletion"},
                },
                {
                    "name": "whole",
                    "path": "/tmp",
                    "recurseMode": True,
                    "archiveLogs": False,
                    "subPath": "x",
                },
            ]
        },
        "container": {"image": "alpine:3.20", "command": ["ls", "/in"]},
    }
)

POSITIVE["volumes"] = doc(
    "Workflow",
    {
        "entrypoint": "main",
        "volumes": [
            {"name": "pvc", "persistentVolumeClaim": {"claimName": "data", "readOnly": True}},
            {"name": "scratch", "emptyDir": {"medium": "Memory", "sizeLimit": "1Gi"}},
            {
                "name": "config",
                "configMap": {
                    "name": "cfg",
                    "items": [{"key": "a", "path": "a.yaml", "mode": 420}],
                    "defaultMode": 420,
                    "optional": True,
                },
            },
            {"name": "creds", "secret": {"secretName": "creds", "defaultMode": 256}},
            {"name": "host", "hostPath": {"path": "/var/run/docker.sock", "type": "Socket"}},
            {"name": "nfs", "nfs": {"server": "nfs.local", "path": "/exports", "readOnly": True}},
            {"name": "proj", "projected": {"sources": [{"secret": {"name": "a"}}]}},
        ],
        "volumeClaimTemplates": [
            {
                "metadata": {"name": "workdir", "labels": {"app": "x"}},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1Gi"}},
                    "storageClassName": "standard",
                    "volumeMode": "Filesystem",
                },
            }
        ],
        "templates": [
            {
                "name": "main",
                "container": {
                    "image": "alpine:3.20",
                    "volumeMounts": [
                        {"name": "workdir", "mountPath": "/work", "subPath": "a"},
                        {"name": "pvc", "mountPath": "/data", "mountPropagation": "None"},
                        {"name": "scratch", "mountPath": "/scratch", "subPathExpr": "$(POD)"},
                    ],
                },
            }
        ],
    },
    generateName="volumes-",
)

POSITIVE["cron"] = doc(
    "CronWorkflow",
    {
        "schedules": ["*/5 * * * *", "@hourly", "@every 1h30m"],
        "timezone": "Europe/Rome",
        "concurrencyPolicy": "Forbid",
        "startingDeadlineSeconds": 0,
        "successfulJobsHistoryLimit": 3,
        "failedJobsHistoryLimit": 1,
        "suspend": False,
        "when": "{{= cronworkflow.lastScheduledTime == nil }}",
        "stopStrategy": {"expression": "cronworkflow.failed >= 3"},
        "workflowMetadata": {"labels": {"cron": "nightly"}},
        "workflowSpec": {"entrypoint": "echo", "templates": [ECHO]},
    },
    name="nightly",
)

POSITIVE["cron-of-a-template"] = doc(
    "CronWorkflow",
    {"schedules": ["0 3 * * 1-5"], "workflowSpec": {"workflowTemplateRef": {"name": "etl"}}},
    name="weekday-etl",
)

POSITIVE["workflow-from-template"] = doc(
    "Workflow",
    {
        "workflowTemplateRef": {"name": "etl", "clusterScope": True},
        "arguments": {"parameters": [{"name": "n", "value": 10}, {"name": "dry", "value": True}]},
    },
    generateName="etl-",
    namespace="argo",
)

POSITIVE["cluster-template-suspend-resource-http"] = template_doc(
    {
        "name": "main",
        "steps": [
            [{"name": "approve", "template": "approve"}],
            [{"name": "apply", "template": "apply"}],
            [{"name": "notify", "template": "notify"}],
        ],
    },
    {
        "name": "approve",
        "suspend": {"duration": "10m"},
        "outputs": {"parameters": [{"name": "ok", "valueFrom": {"supplied": {}}}]},
    },
    {
        "name": "apply",
        "resource": {
            "action": "create",
            "setOwnerReference": True,
            "successCondition": "status.succeeded > 0",
            "failureCondition": "status.failed > 3",
            "flags": ["--validate=false"],
            "manifest": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: job-\n",
        },
        "outputs": {
            "parameters": [
                {"name": "job", "valueFrom": {"jsonPath": "{.metadata.name}"}},
                {"name": "obj", "valueFrom": {"jqFilter": ".metadata"}},
            ]
        },
    },
    {
        "name": "patch",
        "resource": {
            "action": "patch",
            "mergeStrategy": "json",
            "manifestFrom": {"artifact": {"name": "manifest"}},
        },
        "inputs": {"artifacts": [{"name": "manifest", "raw": {"data": "[]"}}]},
    },
    {
        "name": "notify",
        "http": {
            "method": "POST",
            "url": "https://hooks.example.com/notify",
            "headers": [
                {"name": "Content-Type", "value": "application/json"},
                {
                    "name": "Authorization",
                    "valueFrom": {"secretKeyRef": {"name": "hook", "key": "token"}},
                },
            ],
            "body": '{"text": "done"}',
            "timeoutSeconds": 20,
            "successCondition": "response.statusCode == 200",
            "insecureSkipVerify": False,
        },
    },
    kind="ClusterWorkflowTemplate",
)

POSITIVE["hooks-exit-sidecars"] = doc(
    "WorkflowTemplate",
    {
        "entrypoint": "main",
        "onExit": "cleanup",
        "hooks": {
            "exit": {"template": "cleanup"},
            "running": {
                "expression": "workflow.status == 'Running'",
                "templateRef": {"name": "lib", "template": "ping"},
            },
        },
        "templates": [
            {
                "name": "main",
                "daemon": True,
                "container": {
                    "image": "nginx:1.27",
                    "readinessProbe": {"httpGet": {"path": "/", "port": 80, "scheme": "HTTP"}},
                },
                "sidecars": [
                    {
                        "name": "dind",
                        "image": "docker:27-dind",
                        "mirrorVolumeMounts": True,
                        "securityContext": {"privileged": True},
                    },
                ],
                "initContainers": [{"name": "init", "image": "alpine:3.20", "command": ["true"]}],
            },
            {
                "name": "cleanup",
                "container": {
                    "image": "alpine:3.20",
                    "args": ["{{workflow.status}}", "{{workflow.failures}}"],
                },
            },
        ],
    },
    name="hooks",
)

POSITIVE["retry-string-limit-container-set-data"] = template_doc(
    {
        "name": "set",
        "retryStrategy": {"limit": "{{inputs.parameters.retries}}", "backoff": {"factor": "2"}},
        "inputs": {"parameters": [{"name": "retries", "value": "3"}]},
        "containerSet": {
            "volumeMounts": [{"name": "workspace", "mountPath": "/workspace"}],
            "retryStrategy": {"retries": 2, "duration": "5s"},
            "containers": [
                {"name": "a", "image": "alpine:3.20", "command": ["sh", "-c", "echo a"]},
                {"name": "main", "image": "alpine:3.20", "dependencies": ["a"]},
            ],
        },
        "volumes": [{"name": "workspace", "emptyDir": {}}],
    },
    {
        "name": "transform",
        "data": {
            "source": {"artifactPaths": {"name": "files", "s3": {"bucket": "b"}}},
            "transformation": [{"expression": "filter(data, {# endsWith '.csv'})"}],
        },
    },
    {"name": "plugin", "plugin": {"hello": {"text": "hi", "nested": {"x": [1]}}}},
)


@pytest.mark.parametrize("name", sorted(POSITIVE))
def test_positive_documents(name: str) -> None:
    assert_valid(POSITIVE[name])


def test_every_kind_is_covered_by_positive_documents() -> None:
    assert {d["kind"] for d in POSITIVE.values()} == ARGO_KINDS


def test_any_mapping_and_tuples_are_accepted() -> None:
    document = copy.deepcopy(POSITIVE["steps-and-loops"])
    document["spec"]["templates"][1]["container"]["command"] = ("echo", "hi")
    proxied = MappingProxyType({**document, "metadata": MappingProxyType(document["metadata"])})
    assert check_strict(proxied) == []


# --- (d) negative cases --------------------------------------------------------------------


def test_misspelt_top_level_field() -> None:
    bad = template_doc(ECHO)
    bad["metdata"] = bad.pop("metadata")
    violations = check_strict(bad)
    assert (
        only(violations, ("metdata",)).message
        == "unknown field 'metdata' (did you mean 'metadata'?)"
    )
    assert only(violations, ()).message == "missing required field 'metadata'"


def test_misspelt_spec_field() -> None:
    bad = template_doc(ECHO)
    bad["spec"]["entrypont"] = bad["spec"].pop("entrypoint")
    assert check_strict(bad) == [
        SchemaViolation(
            ("spec", "entrypont"), "unknown field 'entrypont' (did you mean 'entrypoint'?)"
        )
    ]


def test_misspelt_template_field() -> None:
    bad = template_doc({**ECHO, "retrys": {"limit": 1}})
    (violation,) = check_strict(bad)
    assert violation.path == ("spec", "templates", 0, "retrys")
    assert violation.message == "unknown field 'retrys' (did you mean 'retryStrategy'?)"
    assert violation.dotted_path == "spec.templates[0].retrys"
    assert str(violation).startswith("spec.templates[0].retrys: unknown field")


def test_misspelt_deep_fields() -> None:
    bad = copy.deepcopy(POSITIVE["dag-script"])
    task = bad["spec"]["templates"][0]["dag"]["tasks"][1]
    task["arguments"]["parameters"][0]["vaule"] = task["arguments"]["parameters"][0].pop("value")
    script = bad["spec"]["templates"][1]["script"]
    script["resources"]["request"] = script["resources"].pop("requests")
    bad["spec"]["templates"][1]["retryStrategy"]["backoff"]["maxduration"] = "2m"
    violations = check_strict(bad)
    assert paths(violations) == [
        ("spec", "templates", 0, "dag", "tasks", 1, "arguments", "parameters", 0, "vaule"),
        ("spec", "templates", 1, "retryStrategy", "backoff", "maxduration"),
        ("spec", "templates", 1, "script", "resources", "request"),
    ]
    assert "did you mean 'value'?" in violations[0].message
    assert "did you mean 'maxDuration'?" in violations[1].message
    assert "did you mean 'requests'?" in violations[2].message


def test_unknown_field_without_a_close_match_lists_the_allowed_ones() -> None:
    bad = template_doc({**ECHO, "container": {**ECHO["container"], "zzz": 1}})
    (violation,) = check_strict(bad)
    assert violation.path == ("spec", "templates", 0, "container", "zzz")
    assert violation.message.startswith("unknown field 'zzz' (allowed: args, command, env")


def test_missing_required_field_in_a_list_entry() -> None:
    bad = template_doc(
        {
            **ECHO,
            "container": {**ECHO["container"], "volumeMounts": [{"name": "x", "mountpath": "/x"}]},
        }
    )
    violations = check_strict(bad)
    mount = ("spec", "templates", 0, "container", "volumeMounts", 0)
    assert only(violations, mount).message == "missing required field 'mountPath'"
    assert "did you mean 'mountPath'?" in only(violations, (*mount, "mountpath")).message


@pytest.mark.parametrize("name", ["my_task", "-lead", "a.b", "x" * 129, ""])
def test_bad_template_name(name: str) -> None:
    bad = template_doc({**ECHO, "name": name})
    bad["spec"]["entrypoint"] = "echo"
    (violation,) = check_strict(bad)
    assert violation.path == ("spec", "templates", 0, "name")


def test_bad_step_and_task_names() -> None:
    steps = copy.deepcopy(POSITIVE["steps-and-loops"])
    steps["spec"]["templates"][0]["steps"][0][0]["name"] = "hello world"
    (violation,) = check_strict(steps)
    assert violation.path == ("spec", "templates", 0, "steps", 0, 0, "name")
    assert violation.message == "'hello world' does not match ^[a-zA-Z0-9][-a-zA-Z0-9]*$"
    dag = copy.deepcopy(POSITIVE["dag-script"])
    dag["spec"]["templates"][0]["dag"]["tasks"][2]["name"] = "c_1"
    assert paths(check_strict(dag)) == [("spec", "templates", 0, "dag", "tasks", 2, "name")]


def test_bad_parameter_and_artifact_names() -> None:
    bad = copy.deepcopy(POSITIVE["dag-script"])
    bad["spec"]["templates"][1]["inputs"]["parameters"][0]["name"] = "my param"
    bad["spec"]["templates"][1]["outputs"]["artifacts"][0]["name"] = "data/out"
    violations = check_strict(bad)
    assert paths(violations) == [
        ("spec", "templates", 1, "inputs", "parameters", 0, "name"),
        ("spec", "templates", 1, "outputs", "artifacts", 0, "name"),
    ]
    assert violations[0].message == "'my param' does not match ^[-a-zA-Z0-9_]+$"


def test_wrong_types() -> None:
    bad = copy.deepcopy(POSITIVE["dag-script"])
    bad["spec"]["parallelism"] = "2"
    bad["spec"]["templates"][1]["retryStrategy"]["limit"] = True
    bad["spec"]["templates"][1]["inputs"]["parameters"][0]["value"] = None
    bad["spec"]["templates"][0]["dag"]["tasks"][2]["dependencies"] = "a"
    violations = check_strict(bad)
    assert [(v.path, v.message) for v in violations] == [
        (("spec", "parallelism"), "expected integer, got string '2'"),
        (
            ("spec", "templates", 0, "dag", "tasks", 2, "dependencies"),
            "expected array, got string 'a'",
        ),
        (
            ("spec", "templates", 1, "inputs", "parameters", 0, "value"),
            "expected string or number or boolean, got null None",
        ),
        (
            ("spec", "templates", 1, "retryStrategy", "limit"),
            "expected integer or string, got boolean True",
        ),
    ]


def test_steps_must_be_a_list_of_lists() -> None:
    bad = template_doc({"name": "main", "steps": [{"name": "a", "template": "echo"}]}, ECHO)
    (violation,) = check_strict(bad)
    assert violation.path == ("spec", "templates", 0, "steps", 0)
    assert violation.message == "expected array, got object {...}"


def test_enums() -> None:
    bad = copy.deepcopy(POSITIVE["workflow-template-container"])
    bad["spec"]["podGC"]["strategy"] = "OnSuccess"
    bad["spec"]["templates"][0]["container"]["imagePullPolicy"] = "always"
    violations = check_strict(bad)
    assert paths(violations) == [
        ("spec", "podGC", "strategy"),
        ("spec", "templates", 0, "container", "imagePullPolicy"),
    ]
    assert violations[1].message == "'always' is not one of: 'Always', 'IfNotPresent', 'Never'"


def test_cron_workflow_with_singular_schedule() -> None:
    bad = copy.deepcopy(POSITIVE["cron"])
    del bad["spec"]["schedules"]
    bad["spec"]["schedule"] = "*/5 * * * *"
    assert check_strict(bad) == [
        SchemaViolation(("spec",), "missing required field 'schedules'"),
        SchemaViolation(
            ("spec", "schedule"), "unknown field 'schedule' (did you mean 'schedules'?)"
        ),
    ]


def test_cron_workflow_name_and_schedule_limits() -> None:
    bad = copy.deepcopy(POSITIVE["cron"])
    bad["metadata"]["name"] = "n" * 53
    bad["spec"]["schedules"] = ["every day", "*/5 * * * *"]
    bad["spec"]["concurrencyPolicy"] = "Skip"
    violations = check_strict(bad)
    assert paths(violations) == [
        ("metadata", "name"),
        ("spec", "concurrencyPolicy"),
        ("spec", "schedules", 0),
    ]
    assert "at most 52" in violations[0].message
    # 53 characters are fine for the other kinds (at most 63).
    assert check_strict({**bad, "kind": "WorkflowTemplate", "spec": {}}) == []


def test_metadata_rules_per_kind() -> None:
    workflow = doc("Workflow", {"entrypoint": "echo", "templates": [ECHO]}, namespace="argo")
    assert check_strict(workflow) == [
        SchemaViolation(("metadata",), "one of 'name', 'generateName' is required")
    ]
    cluster = template_doc(ECHO, kind="ClusterWorkflowTemplate")
    cluster["metadata"]["namespace"] = "argo"
    assert paths(check_strict(cluster)) == [("metadata", "namespace")]
    named = template_doc(ECHO)
    named["metadata"] = {"name": "Upper_Case", "labels": {"ok": "no spaces please"}}
    assert paths(check_strict(named)) == [("metadata", "labels", "ok"), ("metadata", "name")]
    named["metadata"] = {"name": "x", "annotations": {"bad key": "v"}}
    (violation,) = check_strict(named)
    assert violation.path == ("metadata", "annotations", "bad key")
    assert violation.message.startswith("invalid key 'bad key': ")


def test_workflow_template_ref_only_where_argo_takes_it() -> None:
    bad = doc("WorkflowTemplate", {"workflowTemplateRef": {"name": "etl"}})
    assert check_strict(bad) == [
        SchemaViolation(
            ("spec", "workflowTemplateRef"), "field 'workflowTemplateRef' is not allowed here"
        )
    ]


TEMPLATE_TYPES = "'container', 'script', 'steps', 'dag', 'resource', 'suspend', 'http', " + (
    "'containerSet', 'data', 'plugin'"
)


def test_exactly_one_template_type() -> None:
    two = {**ECHO, "script": {"image": "python:3.12", "source": "print(1)"}}
    none = {"name": "nothing", "inputs": {}}
    assert check_strict(template_doc(two, none)) == [
        SchemaViolation(
            ("spec", "templates", 0),
            f"only one of {TEMPLATE_TYPES} may be set, found 'container', 'script'",
        ),
        SchemaViolation(("spec", "templates", 1), f"exactly one of {TEMPLATE_TYPES} must be set"),
    ]


def test_images_and_sources_are_required() -> None:
    bad = template_doc(
        {"name": "c", "container": {"command": ["true"]}},
        {"name": "s", "script": {"image": "python:3.12"}},
        {**ECHO, "name": "side", "sidecars": [{"name": "x"}]},
    )
    assert [(v.path, v.message) for v in check_strict(bad)] == [
        (("spec", "templates", 0, "container"), "missing required field 'image'"),
        (("spec", "templates", 1, "script"), "missing required field 'source'"),
        (("spec", "templates", 2, "sidecars", 0), "missing required field 'image'"),
    ]
    defaults = template_doc(ECHO)
    defaults["spec"]["templateDefaults"] = {"container": {"resources": {"limits": {"cpu": 1}}}}
    assert_valid(defaults)


def test_step_needs_exactly_one_template_reference() -> None:
    bad = template_doc({"name": "main", "steps": [[{"name": "a"}]]}, ECHO)
    assert check_strict(bad) == [
        SchemaViolation(
            ("spec", "templates", 0, "steps", 0, 0),
            "exactly one of 'template', 'templateRef' must be set",
        )
    ]


def test_argo_3_leftovers_are_rejected() -> None:
    bad = copy.deepcopy(POSITIVE["dag-script"])
    bad["spec"]["synchronization"] = {"mutex": {"name": "m"}}
    bad["spec"]["templates"][1]["priority"] = 5
    bad["spec"]["templates"][1]["memoize"]["cache"]["configMap"]["key"] = "k"
    assert paths(check_strict(bad)) == [
        ("spec", "synchronization", "mutex"),
        ("spec", "templates", 1, "memoize", "cache", "configMap", "key"),
        ("spec", "templates", 1, "priority"),
    ]


def test_volume_needs_exactly_one_source() -> None:
    bad = copy.deepcopy(POSITIVE["volumes"])
    bad["spec"]["volumes"][0]["emptyDir"] = {}
    bad["spec"]["volumes"][1] = {"name": "bare"}
    bad["spec"]["volumes"][2]["configMap"]["itmes"] = []
    violations = check_strict(bad)
    assert paths(violations) == [
        ("spec", "volumes", 0),
        ("spec", "volumes", 1),
        ("spec", "volumes", 2, "configMap", "itmes"),
    ]
    assert violations[0].message.startswith("only one of 'persistentVolumeClaim', 'emptyDir'")


def test_quantities_and_ports() -> None:
    bad = copy.deepcopy(POSITIVE["workflow-template-container"])
    container = bad["spec"]["templates"][0]["container"]
    container["resources"]["requests"]["memory"] = "1GB"
    container["readinessProbe"]["httpGet"]["port"] = 70000
    container["livenessProbe"]["tcpSocket"]["port"] = ""
    violations = check_strict(bad)
    assert paths(violations) == [
        ("spec", "templates", 0, "container", "livenessProbe", "tcpSocket", "port"),
        ("spec", "templates", 0, "container", "readinessProbe", "httpGet", "port"),
        ("spec", "templates", 0, "container", "resources", "requests", "memory"),
    ]
    assert violations[1].message == "70000 is more than the maximum 65535"


def test_limits_from_the_full_crd() -> None:
    # The 200-template cap is the full CRD's only (the default minimal CRDs have none); the
    # compiler may emit more, and the semantic check ARG901 warns about it instead.
    many = [{**ECHO, "name": f"t{i}"} for i in range(201)]
    assert check_strict(template_doc(*many)) == []
    empty_dag = template_doc({"name": "main", "dag": {"tasks": []}})
    assert check_strict(empty_dag) == [
        SchemaViolation(("spec", "templates", 0, "dag", "tasks"), "needs at least 1 item, has 0")
    ]
    zero = template_doc(ECHO)
    zero["spec"]["parallelism"] = 0
    assert check_strict(zero) == [
        SchemaViolation(("spec", "parallelism"), "0 is less than the minimum 1")
    ]


def test_wrong_kind_and_api_version() -> None:
    violations = check_strict({"apiVersion": "v1", "kind": "Pod", "metadata": {}, "spec": {}})
    assert paths(violations) == [("apiVersion",), ("kind",)]
    assert violations[0].message == "expected 'argoproj.io/v1alpha1', got 'v1'"


def test_violations_are_sorted_and_unique() -> None:
    bad = copy.deepcopy(POSITIVE["steps-and-loops"])
    bad["spec"]["zzz"] = 1
    bad["spec"]["templates"][2]["name"] = "bad name"
    bad["spec"]["templates"][0]["steps"][1][3]["withSequence"]["bogus"] = 1
    bad["spec"]["aaa"] = 1
    violations = check_strict(bad)
    assert violations == sorted(set(violations), key=lambda v: json.dumps(v.path))
    assert paths(violations) == [
        ("spec", "aaa"),
        ("spec", "templates", 0, "steps", 1, 3, "withSequence", "bogus"),
        ("spec", "templates", 2, "name"),
        ("spec", "zzz"),
    ]


# --- the fast checker agrees with jsonschema ---------------------------------------------


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _nodes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _nodes(child, (*path, index))


def _mutate(document: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    mutated = copy.deepcopy(document)
    path, value = rng.choice(list(_nodes(mutated)))
    if not path:
        mutated["bogus"] = 1
        return mutated
    parent: Any = mutated
    for part in path[:-1]:
        parent = parent[part]
    choice = rng.randrange(6)
    if choice == 0 and isinstance(value, dict):
        value["bogusField"] = 1
    elif choice == 1 and isinstance(value, dict) and value:
        value.pop(rng.choice(sorted(value)))
    else:
        parent[path[-1]] = [12345, "text", True, None, [], {}][rng.randrange(6)]
    return mutated


def _samples() -> list[dict[str, Any]]:
    samples = [copy.deepcopy(d) for d in POSITIVE.values()]
    if EXAMPLES.is_dir():
        for name in CURATED[:20]:
            samples += [d for d in _load(EXAMPLES / name)]
    return samples


def test_fast_checker_agrees_with_jsonschema_on_mutations() -> None:
    rng = random.Random(20260401)
    validator = strict_validator()
    checked = invalid = 0
    for sample in _samples():
        for _ in range(25):
            mutated = _mutate(sample, rng)
            expected = validator.is_valid(mutated)
            assert is_strictly_valid(mutated) == expected, mutated
            if not expected:
                invalid += 1
                # Stand-ins for valid templates do not change the explanation.
                full = {
                    v for e in validator.iter_errors(mutated) for v in explain(e)
                }
                assert set(check_strict(mutated)) == full
                assert full, mutated
            checked += 1
    assert invalid > checked // 3


# --- (e) upstream examples -----------------------------------------------------------------

# Example files that use only what the schema claims to support, and must pass as they are.
CURATED = [
    "hello-world.yaml",
    "steps.yaml",
    "dag-diamond.yaml",
    "dag-diamond-steps.yaml",
    "dag-multiroot.yaml",
    "dag-nested.yaml",
    "dag-targets.yaml",
    "dag-enhanced-depends.yaml",
    "dag-continue-on-fail.yaml",
    "dag-disable-failFast.yaml",
    "dag-conditional-parameters.yaml",
    "dag-conditional-artifacts.yaml",
    "dag-task-level-timeout.yaml",
    "dag-daemon-task.yaml",
    "dag-daemon-retry-strategy.yaml",
    "retry-backoff.yaml",
    "retry-conditional.yaml",
    "retry-container.yaml",
    "retry-container-to-completion.yaml",
    "retry-on-error.yaml",
    "retry-script.yaml",
    "retry-with-steps.yaml",
    "loops.yaml",
    "loops-dag.yaml",
    "loops-maps.yaml",
    "loops-param-argument.yaml",
    "loops-param-result.yaml",
    "loops-sequence.yaml",
    "loops-arbitrary-sequential-steps.yaml",
    "conditionals.yaml",
    "conditionals-complex.yaml",
    "conditional-parameters.yaml",
    "conditional-artifacts.yaml",
    "coinflip.yaml",
    "continue-on-fail.yaml",
    "arguments-parameters.yaml",
    "arguments-artifacts.yaml",
    "arguments-parameters-from-configmap.yaml",
    "global-parameters.yaml",
    "global-outputs.yaml",
    "output-parameter.yaml",
    "artifact-passing.yaml",
    "artifact-passing-subpath.yaml",
    "artifact-disable-archive.yaml",
    "artifact-repository-ref.yaml",
    "input-artifact-s3.yaml",
    "input-artifact-gcs.yaml",
    "input-artifact-http.yaml",
    "input-artifact-git.yaml",
    "input-artifact-raw.yaml",
    "input-artifact-azure.yaml",
    "input-artifact-oss.yaml",
    "output-artifact-s3.yaml",
    "output-artifact-gcs.yaml",
    "output-artifact-azure.yaml",
    "volumes-emptydir.yaml",
    "volumes-existing.yaml",
    "volumes-pvc.yaml",
    "exit-handlers.yaml",
    "exit-handler-dag-level.yaml",
    "exit-handler-step-level.yaml",
    "exit-handler-with-param.yaml",
    "exit-handler-with-artifacts.yaml",
    "template-on-exit.yaml",
    "life-cycle-hooks-wf-level.yaml",
    "life-cycle-hooks-tmpl-level.yaml",
    "cron-workflow.yaml",
    "cron-workflow-multiple-schedules.yaml",
    "cron-when.yaml",
    "cron-backfill.yaml",
    "suspend-template.yaml",
    "suspend-template-outputs.yaml",
    "intermediate-parameters.yaml",
    "k8s-orchestration.yaml",
    "k8s-owner-reference.yaml",
    "k8s-set-owner-reference.yaml",
    "k8s-patch-pod.yaml",
    "k8s-patch-json-pod.yaml",
    "k8s-patch-merge-pod.yaml",
    "k8s-wait-wf.yaml",
    "resource-flags.yaml",
    "http-hello-world.yaml",
    "http-success-condition.yaml",
    "secrets.yaml",
    "scripts-python.yaml",
    "scripts-bash.yaml",
    "scripts-javascript.yaml",
    "daemon-step.yaml",
    "daemon-nginx.yaml",
    "sidecar.yaml",
    "sidecar-nginx.yaml",
    "sidecar-dind.yaml",
    "init-container.yaml",
    "pod-spec-patch.yaml",
    "pod-spec-patch-wf-tmpl.yaml",
    "pod-metadata.yaml",
    "pod-metadata-wf-field.yaml",
    "pod-gc-strategy.yaml",
    "pod-gc-strategy-with-label-selector.yaml",
    "timeouts-step.yaml",
    "timeouts-workflow.yaml",
    "step-level-timeout.yaml",
    "gc-ttl.yaml",
    "node-selector.yaml",
    "image-pull-secrets.yaml",
    "dns-config.yaml",
    "parallelism-limit.yaml",
    "parallelism-nested.yaml",
    "parallelism-template-limit.yaml",
    "memoize-simple.yaml",
    "custom-metrics.yaml",
    "synchronization-mutex-wf-level.yaml",
    "synchronization-mutex-tmpl-level.yaml",
    "synchronization-wf-level.yaml",
    "synchronization-tmpl-level.yaml",
    "template-defaults.yaml",
    "label-value-from-workflow.yaml",
    "default-pdb-support.yaml",
    "data-transformations.yaml",
    "container-set-template/sequence-workflow.yaml",
    "container-set-template/graph-workflow.yaml",
    "container-set-template/workspace-workflow.yaml",
    "workflow-template/templates.yaml",
    "workflow-template/steps.yaml",
    "workflow-template/dag.yaml",
    "workflow-template/workflow-template-ref.yaml",
    "cluster-workflow-template/clustertemplates.yaml",
    "cluster-workflow-template/workflow-template-ref.yaml",
    "variables-showcase.yaml",
]

# Example files that fail, and why. Anything else failing is a regression of the schema.
KNOWN_FAILURES = {
    "dag-inline-workflow.yaml": "inline templates in tasks are deliberately not supported",
    "dag-inline-workflowtemplate.yaml": "inline templates in tasks are deliberately not supported",
    "dag-inline-clusterworkflowtemplate.yaml": "inline templates are deliberately not supported",
    "steps-inline-workflow.yaml": "inline templates in steps are deliberately not supported",
    "workflow-level-executor-plugin.yaml": "spec.executorPlugins is deliberately not supported",
    "global-parameters-from-configmap-referenced-as-local-variable.yaml": (
        "generateName of 61 characters: Kubernetes would silently cut it to 58"
    ),
    "fun-with-gifs.yaml": "upstream bug: generateName is indented under labels",
    "k8s-jobs.yaml": "upstream bug: name is indented inside an annotation value",
}


def _load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [
            d
            for d in yaml.safe_load_all(handle)
            if isinstance(d, dict) and d.get("kind") in ARGO_KINDS
        ]


def _example_report() -> dict[str, list[str]]:
    report: dict[str, list[str]] = {}
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        documents = _load(path)
        if not documents:
            continue
        name = path.relative_to(EXAMPLES).as_posix()
        report[name] = [
            f"doc {i} ({d['kind']}) {v}" for i, d in enumerate(documents) for v in check_strict(d)
        ]
    return report


def test_curated_list_is_large_and_unique() -> None:
    assert len(CURATED) >= 40
    assert len(set(CURATED)) == len(CURATED)
    assert not set(CURATED) & set(KNOWN_FAILURES)


@needs_examples
@pytest.mark.parametrize("name", CURATED)
def test_curated_upstream_example_passes(name: str) -> None:
    documents = _load(EXAMPLES / name)
    assert documents, f"{name} holds no Argo document"
    for document in documents:
        assert check_strict(document) == [], name


@needs_examples
def test_upstream_examples_report(capsys: pytest.CaptureFixture[str]) -> None:
    report = _example_report()
    failing = {name: lines for name, lines in report.items() if lines}
    with capsys.disabled():
        print(
            f"\nstrict schema on {len(report)} upstream example files: "
            f"{len(report) - len(failing)} pass, {len(failing)} fail"
        )
        for name, lines in failing.items():
            print(f"  {name}: {KNOWN_FAILURES.get(name, 'UNEXPECTED')}")
            for line in lines:
                print(f"      {line}")
    assert set(failing) == set(KNOWN_FAILURES)
