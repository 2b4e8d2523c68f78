"""``tiphys.cloudharness`` at run time: the same classes, the same lowering, the same YAML."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ch_helpers import CH_SAMPLES, assert_valid, compile_path, run_scripts

from tiphys.cloudharness import BadOperationConfiguration, operations, tasks
from tiphys.compiler.emit import dump_documents

APPS = {"applications": str(CH_SAMPLES / "applications")}


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _module(tmp_path: Path, text: str, name: str = "ch_user_module") -> ModuleType:
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return _load(path, name)


@pytest.mark.parametrize("sample", ["parallel", "pipeline", "simpledag", "custom_task"])
def test_run_time_equals_compile_time(tmp_path: Path, sample: str) -> None:
    """The sample, imported with tiphys.cloudharness in place of cloudharness.workflows,
    gives byte for byte the document tiphys compile writes for it."""
    original = CH_SAMPLES / f"{sample}.py"
    static, diags = compile_path(original, run=False)
    assert not diags and len(static) == 1
    rewritten = tmp_path / f"ch_rt_{sample}.py"
    # op.execute() submits in CloudHarness; here the document is what is compared.
    rewritten.write_text(original.read_text().replace("cloudharness.workflows",
                                                      "tiphys.cloudharness")
                         .replace("op.execute()", "pass"))
    module = _load(rewritten, f"ch_rt_{sample}")
    assert module.op.to_workflow(APPS) == static[0]
    assert module.op.to_yaml(APPS) == dump_documents(static)


def test_live_values_are_literals(tmp_path: Path) -> None:
    module = _module(tmp_path, """
        from tiphys.cloudharness import operations, tasks

        def show():
            import os
            print(os.environ['url'], os.environ['n'])

        def create(url, n=2):
            return operations.SingleTaskOperation('show-', tasks.PythonTask('show', show, url=url, n=n))
    """)
    doc = module.create("https://example.com").to_workflow()
    assert "arguments" not in doc["spec"]
    assert_valid(doc)
    assert run_scripts(doc).stdout == ["https://example.com 2\n"]


def test_problems_raise_with_positions(tmp_path: Path) -> None:
    module = _module(tmp_path, """
        from tiphys.cloudharness import operations, tasks

        def build():
            limit = 3

            def inner():
                print(limit)
            return operations.SingleTaskOperation('closure-', tasks.PythonTask('inner', inner))
    """, "ch_closure_module")
    with pytest.raises(BadOperationConfiguration, match=r"ch_closure_module.py:8:15: TPH624"):
        module.build()


def test_names_are_checked_at_construction() -> None:
    with pytest.raises(BadOperationConfiguration, match="TPH612"):
        operations.ParallelOperation("dup-", [tasks.BashTask("a", "ls"), tasks.BashTask("A", "ls")])
    with pytest.raises(BadOperationConfiguration, match="TPH610"):
        operations.SingleTaskOperation("Bad Name", tasks.BashTask("a", "ls"))
    with pytest.raises(BadOperationConfiguration, match="TPH636"):
        operations.SingleTaskOperation("c-", tasks.CommandBasedTask("a", "ls -l"))  # type: ignore[arg-type]


def test_unknown_images_warn_at_to_workflow() -> None:
    op = operations.SingleTaskOperation("c-", tasks.CustomTask("c", "samples-summ"))
    with pytest.warns(operations.CloudHarnessWarning, match="did you mean 'samples-sum'"):
        doc = op.to_workflow(APPS)
    assert doc["spec"]["templates"][0]["container"]["image"] == "samples-summ"


def test_configure(tmp_path: Path) -> None:
    try:
        operations.configure(registry="reg.io", task_images={"x": "reg.io/x:1"})
        doc = operations.SingleTaskOperation("c-", tasks.CustomTask("c", "x")).to_workflow()
        assert doc["spec"]["templates"][0]["container"]["image"] == "reg.io/x:1"
        with pytest.raises(ValueError, match="TPH650 unknown key 'registy'"):
            operations.configure(registy="x")
    finally:
        operations.configure()


def test_kind_and_to_yaml() -> None:
    op = operations.PipelineOperation("tmpl-", [tasks.BashTask("a", "echo hi")])
    doc = op.to_workflow(kind="WorkflowTemplate")
    assert doc["kind"] == "WorkflowTemplate" and doc["metadata"] == {"name": "tmpl"}
    assert op.to_yaml().startswith("---\napiVersion: argoproj.io/v1alpha1\nkind: Workflow\n")
    assert run_scripts(op.to_workflow()).stdout == ["hi\n"]


class FakeTemplate:
    """What the Argo client's V1alpha1Template.to_dict() gives: Python attribute names."""

    def to_dict(self) -> dict[str, Any]:
        return {"node_selector": {"disk_type": "ssd"}, "active_deadline_seconds": 30,
                "retry_strategy": {"limit": 2, "retry_policy": "OnError"}, "memoize": None}


def test_template_overrides_objects() -> None:
    op = operations.SingleTaskOperation(
        "o-", tasks.CustomTask("c", "workflows-extract-download", template_overrides=FakeTemplate()))
    template = op.to_workflow()["spec"]["templates"][0]
    assert template["nodeSelector"] == {"disk_type": "ssd"}
    assert template["activeDeadlineSeconds"] == 30
    assert template["retryStrategy"] == {"limit": 2, "retryPolicy": "OnError"}
    assert "memoize" not in template


def test_ignored_parameters_warn() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        operations.SingleTaskOperation("w-", tasks.BashTask("a", "ls"), shared_volume_sise=3)
    assert [str(w.message)[:6] for w in caught] == ["TPH606"]


def test_direct_operation_returns_the_callback_result() -> None:
    """CloudHarness' DirectOperation.execute drops the result."""
    assert operations.DirectOperation("d", lambda x: x * 2).execute(21) == 42
    assert operations.DataQueryOperation("q", lambda: "rows").execute() == "rows"


def test_send_result_and_results_pipeline() -> None:
    op = operations.DistributedSyncOperationWithResults(
        "r-", tasks.CustomTask("sum", "workflows-extract-download", a=1))
    spec = op.to_workflow()["spec"]
    assert [t["name"] for t in spec["templates"]] == ["r--pipeline", "sum", "send-result-event"]
    assert spec["volumeClaimTemplates"][0]["metadata"]["name"] == "mntshared"
    assert {"name": "shared_directory", "value": "/mnt/shared"} in \
        spec["templates"][2]["container"]["env"]


def test_utils() -> None:
    from tiphys.cloudharness.utils import PodExecutionContext, name_from_path

    assert name_from_path("/mnt/my_data") == "mntmydata"
    ctx = PodExecutionContext("a", 1, required=True)
    assert (ctx.key, ctx.value, ctx.required) == ("a", "1", True)


def test_run_time_rejects_what_compile_time_rejects() -> None:
    task = tasks.BashTask("a", "ls")
    with pytest.raises(BadOperationConfiguration, match="TPH602"):
        operations.PipelineOperation("one-", task)  # type: ignore[arg-type]
    with pytest.raises(BadOperationConfiguration, match="TPH630"):
        operations.DistributedSyncOperationWithResults("r-", task, shared_directory=["/a", "/b"])
