"""Configuration: ``[tool.tiphys.cloudharness]``, CloudHarness values files, image names, kinds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ch_helpers import codes, compile_one, compile_src, errors_of, settings

from tiphys.compiler.cloudharness.config import check_table, load_schema, resolve_config
from tiphys.compiler.cloudharness.images import discover, image_name_for, resolve

VALUES = """\
registry:
  name: registry.example.com/myproject/
  secret: my-registry-secret
tag: "1.2"
apps:
  accounts:
    harness:
      name: accounts
  samples:
    harness:
      name: samples
      deployment:
        image: registry.example.com/myproject/samples:1.2
    task-images:
      samples-sum: registry.example.com/myproject/samples-sum:abc
task-images:
  cloudharness-base: registry.example.com/myproject/cloudharness-base:1.2
  workflows-notify-queue: registry.example.com/myproject/workflows-notify-queue:1.2
"""
SUM = "op = operations.SingleTaskOperation('sum-', tasks.CustomTask('sum', 'samples-sum', a=1))\n"
BASH = "op = operations.SingleTaskOperation('b-', tasks.BashTask('b', 'ls'))\n"


@pytest.fixture
def values(tmp_path: Path) -> str:
    path = tmp_path / "values.yaml"
    path.write_text(VALUES)
    return str(path)


def test_the_schema_describes_every_key() -> None:
    schema = load_schema()
    assert schema["additionalProperties"] is False
    assert all("description" in p for p in schema["properties"].values())


def test_unknown_and_invalid_keys(tmp_path: Path) -> None:
    assert check_table({"registy": "x", "retry-limit": -1, "kind": 3}) == [
        ("TPH650", "unknown key 'registy' in [tool.tiphys.cloudharness] (did you mean "
                   "'registry'?)"),
        ("TPH650", "unknown key 'kind' in [tool.tiphys.cloudharness]; known keys: "
                   "accounts, allvalues, applications, base-image, exit-handler-image, "
                   "image-pull-policy, image-pull-secret, namespace, pod-gc-strategy, "
                   "registry, retry-limit, service-account, shared-volume-size, tag, "
                   "task-images, tolerations, ttl-strategy, values"),
        ("TPH651", "[tool.tiphys.cloudharness] retry-limit: -1 is less than the minimum of 0"),
    ]
    _, diags = compile_src(tmp_path, BASH, {"registy": "x"})
    assert codes(diags) == ["TPH650"]
    assert diags[0].path.endswith("pyproject.toml")


def test_a_bad_value_is_reported_once_and_ignored(tmp_path: Path) -> None:
    _, diags = compile_src(tmp_path, BASH, {"retry-limit": "ten", "tag": "2"})
    assert codes(diags) == ["TPH651"]
    assert "retry-limit" in diags[0].message


def test_values_file_gives_images_secret_and_accounts(tmp_path: Path, values: str) -> None:
    spec = compile_one(tmp_path, SUM, {"values": values})["spec"]
    assert spec["templates"][0]["container"]["image"] == \
        "registry.example.com/myproject/samples-sum:abc"
    assert spec["imagePullSecrets"] == [{"name": "my-registry-secret"}]
    assert spec["volumes"][1] == {"name": "cloudharness-kc-accounts",
                                  "secret": {"secretName": "accounts"}}
    mounts = spec["templates"][0]["container"]["volumeMounts"]
    assert mounts[1] == {"name": "cloudharness-kc-accounts",
                         "mountPath": "/opt/cloudharness/resources/auth"}
    base = compile_one(tmp_path, BASH, {"values": values})["spec"]["templates"][0]["script"]
    assert base["image"] == "registry.example.com/myproject/cloudharness-base:1.2"


def test_values_file_registry_and_tag_for_built_images(tmp_path: Path, values: str) -> None:
    apps = tmp_path / "applications" / "myapp" / "tasks" / "mytask"
    apps.mkdir(parents=True)
    (apps / "Dockerfile").write_text("FROM scratch\n")
    doc = compile_one(tmp_path, "op = operations.SingleTaskOperation('t-', "
                      "tasks.CustomTask('t', 'myapp-mytask'))\n", {"values": values})
    assert doc["spec"]["templates"][0]["container"]["image"] == \
        "registry.example.com/myproject/myapp-mytask:1.2"


def test_table_overrides_values_file(tmp_path: Path, values: str) -> None:
    doc = compile_one(tmp_path, SUM, {
        "values": values, "task-images": {"samples-sum": "other/sum:9"},
        "accounts": False, "image-pull-secret": "", "allvalues": False,
        "service-account": "runner", "namespace": "jobs", "retry-limit": 2,
        "image-pull-policy": "Always", "ttl-strategy": {"secondsAfterSuccess": 60},
        "pod-gc-strategy": "OnPodCompletion",
        "tolerations": [{"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}],
    })
    spec = doc["spec"]
    container = spec["templates"][0]["container"]
    assert container["image"] == "other/sum:9"
    assert container["imagePullPolicy"] == "Always"
    assert "volumeMounts" not in container or container["volumeMounts"] == []
    assert "volumes" not in spec and "imagePullSecrets" not in spec
    assert spec["serviceAccountName"] == "runner"
    assert doc["metadata"]["namespace"] == "jobs"
    assert spec["templates"][0]["retryStrategy"] == {"limit": 2}
    assert spec["ttlStrategy"] == {"secondsAfterSuccess": 60}
    assert spec["podGC"] == {"strategy": "OnPodCompletion", "deleteDelayDuration": "60s"}
    assert spec["tolerations"] == [{"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}]


def test_precedence_table_then_settings_then_values(tmp_path: Path, values: str) -> None:
    from tiphys.compiler.lower.workflow import Settings

    cfg, _ = resolve_config(Settings(registry="flag.io", tag="7",
                                     cloudharness={"values": values}), None)
    assert (cfg.registry, cfg.tag) == ("flag.io", "7")
    cfg, _ = resolve_config(Settings(registry="flag.io", cloudharness={
        "values": values, "registry": "table.io/"}), None)
    assert (cfg.registry, cfg.tag) == ("table.io", "1.2")
    cfg, _ = resolve_config(Settings(cloudharness={"values": values}), None)
    assert (cfg.registry, cfg.tag, cfg.accounts) == ("registry.example.com/myproject", "1.2",
                                                     True)


def test_unreadable_values_file(tmp_path: Path) -> None:
    _, diags = compile_src(tmp_path, BASH, {"values": str(tmp_path / "missing.yaml")})
    assert codes(diags) == ["TPH652"]
    (tmp_path / "bad.yaml").write_text("registry: [unclosed\n")
    _, diags = compile_src(tmp_path, BASH, {"values": str(tmp_path / "bad.yaml")})
    assert codes(diags) == ["TPH652"]


def test_values_file_that_is_a_fifo_is_refused_not_waited_for(tmp_path: Path) -> None:
    """Issue 9: only regular files are read; a FIFO would block the run forever."""
    import os
    fifo = tmp_path / "values.yaml"
    os.mkfifo(fifo)
    _, diags = compile_src(tmp_path, BASH, {"values": str(fifo)})
    assert codes(diags) == ["TPH652"]


def test_relative_values_path_is_relative_to_the_project(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.tiphys.cloudharness]\n")
    (tmp_path / "deployment").mkdir()
    (tmp_path / "deployment" / "values.yaml").write_text(VALUES)
    sub = tmp_path / "src"
    sub.mkdir()
    doc = compile_one(sub, SUM, {"values": "deployment/values.yaml"})
    assert doc["spec"]["templates"][0]["container"]["image"].endswith("samples-sum:abc")


def test_defaults_are_cloudharness_defaults(tmp_path: Path) -> None:
    spec = compile_one(tmp_path, BASH)["spec"]
    assert spec["serviceAccountName"] == "argo-workflows"
    assert spec["ttlStrategy"] == {"secondsAfterCompletion": 3600, "secondsAfterSuccess": 1200,
                                   "secondsAfterFailure": 7200}
    assert spec["podGC"] == {"strategy": "OnWorkflowSuccess", "deleteDelayDuration": "1200s"}
    assert spec["tolerations"] == [{"key": "cloudharness/temporary-job", "operator": "Equal",
                                    "value": "true"}]
    assert spec["volumes"] == [{"name": "cloudharness-allvalues",
                                "configMap": {"name": "cloudharness-allvalues"}}]
    template = spec["templates"][0]
    # CloudHarness' script tasks (PythonTask, BashTask) have neither a retry strategy nor a
    # pull policy; its container tasks have both (test_container_task_defaults).
    assert "retryStrategy" not in template
    script = template["script"]
    assert script["image"] == "cloudharness/cloudharness-base:latest"
    assert "imagePullPolicy" not in script
    assert script["volumeMounts"] == [{
        "name": "cloudharness-allvalues", "subPath": "allvalues.yaml",
        "mountPath": "/opt/cloudharness/resources/allvalues.yaml"}]
    assert script["env"] == [{"name": "CH_WORKFLOW_NAME",
                              "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]


def test_container_task_defaults(tmp_path: Path) -> None:
    template = compile_one(tmp_path, "op = operations.SingleTaskOperation('c-', tasks.CommandBasedTask("
                           "'c', ['ls']))\n")["spec"]["templates"][0]
    assert template["retryStrategy"] == {"limit": 10}
    assert template["container"]["imagePullPolicy"] == "IfNotPresent"


@pytest.mark.parametrize("task", ["tasks.BashTask('b', 'ls')",
                                  "tasks.CommandBasedTask('b', ['ls'])"])
def test_configured_defaults_apply_to_every_task(tmp_path: Path, task: str) -> None:
    template = compile_one(tmp_path, f"op = operations.SingleTaskOperation('c-', {task})\n",
                           {"retry-limit": 2, "image-pull-policy": "Always"})["spec"]["templates"][0]
    assert template["retryStrategy"] == {"limit": 2}
    body = template.get("script") or template["container"]
    assert body["imagePullPolicy"] == "Always"


def test_a_task_s_own_values_win(tmp_path: Path) -> None:
    template = compile_one(tmp_path, "op = operations.SingleTaskOperation('c-', tasks.BashTask("
                           "'b', 'ls', retry_limit=0, image_pull_policy='Never'))\n",
                           {"retry-limit": 2})["spec"]["templates"][0]
    assert template["retryStrategy"] == {"limit": 0}
    assert template["script"]["imagePullPolicy"] == "Never"


def test_no_environment_leak(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CloudHarness copies every variable of the compiling process whose name contains CH_."""
    before = compile_one(tmp_path, BASH)
    monkeypatch.setenv("MY_SECRET_BATCH_TOKEN", "s3cret")
    monkeypatch.setenv("CH_ACCOUNTS_NAME", "accounts")
    assert compile_one(tmp_path, BASH) == before


@pytest.mark.parametrize("kind, name_key", [("WorkflowTemplate", "name"),
                                            ("ClusterWorkflowTemplate", "name"),
                                            ("Workflow", "generateName")])
def test_kinds(tmp_path: Path, kind: str, name_key: str) -> None:
    doc = compile_one(tmp_path, BASH, {"namespace": "ns"}, kind=kind)
    assert doc["kind"] == kind
    expected = "b" if name_key == "name" else "b-"
    assert doc["metadata"][name_key] == expected
    assert ("namespace" in doc["metadata"]) is (kind != "ClusterWorkflowTemplate")


def test_cron_workflow_is_not_a_cloudharness_kind(tmp_path: Path) -> None:
    _, diags = compile_src(tmp_path, BASH, kind="CronWorkflow")
    assert codes(diags) == ["TPH660"]


def test_image_names_from_dockerfiles(tmp_path: Path) -> None:
    for folder in ("samples/tasks/sum", "samples/tasks/src/print-file", "workflows/tasks/notify",
                   "samples/tasks/deep/server/x", "samples/backend/tasks/no", "samples"):
        (tmp_path / "applications" / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / "applications" / folder / "Dockerfile").write_text("FROM scratch\n")
    assert discover(str(tmp_path / "applications")) == (
        "samples", "samples-deep-x", "samples-print-file", "samples-sum",
        "workflows-notify")
    assert image_name_for(["myapp", "tasks", "mytask"]) == "myapp-mytask"


def test_image_resolution() -> None:
    built = ("samples-sum",)
    assert resolve("samples-sum", (), built, "reg.io/p/", "3").reference == "reg.io/p/samples-sum:3"
    assert resolve("samples-sum", (("samples-sum", "x/y:1"),), built, None, "3").reference == "x/y:1"
    assert resolve("python:3.12", (), built, None, "3").reference == "python:3.12"
    assert resolve("quay.io/org/img", (), built, None, "3").reference == "quay.io/org/img"
    unknown = resolve("samples-summ", (), built, None, "3")
    assert unknown.reference is None and unknown.suggestions == ("samples-sum",)


def test_unknown_image_with_a_suggestion_from_the_applications_folder(tmp_path: Path) -> None:
    apps = tmp_path / "applications" / "myapp" / "tasks" / "mytask"
    apps.mkdir(parents=True)
    (apps / "Dockerfile").write_text("FROM scratch\n")
    docs, diags = compile_src(tmp_path, "op = operations.SingleTaskOperation('t-', "
                              "tasks.CustomTask('t', 'myapp-mytsk'))\n")
    # A warning, and the name passed through as CloudHarness does.
    assert errors_of(diags) == []
    assert [(d.code, d.severity.value, d.line, d.col) for d in diags] == [
        ("TPH640", "warning", 2, 65)]
    assert "did you mean 'myapp-mytask'?" in diags[0].message
    assert docs[0]["spec"]["templates"][0]["container"]["image"] == "myapp-mytsk"


def test_applications_folder_from_the_table(tmp_path: Path) -> None:
    apps = tmp_path / "elsewhere" / "myapp" / "tasks" / "mytask"
    apps.mkdir(parents=True)
    (apps / "Dockerfile").write_text("FROM scratch\n")
    table: dict[str, Any] = {"applications": str(tmp_path / "elsewhere"), "registry": "r.io"}
    doc = compile_one(tmp_path, "op = operations.SingleTaskOperation('t-', "
                      "tasks.CustomTask('t', 'myapp-mytask'))\n", table)
    assert doc["spec"]["templates"][0]["container"]["image"] == "r.io/myapp-mytask:latest"
    assert settings(table).cloudharness == table


def test_fingerprint_follows_what_is_read(tmp_path: Path, values: str) -> None:
    from tiphys.compiler.cloudharness.config import fingerprint

    near = str(tmp_path / "app.py")
    first = fingerprint(settings({"values": values}), near)
    assert fingerprint(settings({"values": values}), near) == first
    Path(values).write_text(VALUES.replace('tag: "1.2"', 'tag: "1.3"'))
    second = fingerprint(settings({"values": values}), near)
    assert second != first
    task = tmp_path / "applications" / "a" / "tasks" / "t"
    task.mkdir(parents=True)
    (task / "Dockerfile").write_text("FROM scratch\n")
    assert fingerprint(settings({"values": values}), near) != second
