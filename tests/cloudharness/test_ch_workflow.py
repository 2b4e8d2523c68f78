"""CloudHarness' ``tests/test_workflow.py`` operations, compiled statically (``tiphys compile``).

test_ch_port_workflow.py runs CloudHarness' tests themselves against ``tiphys.cloudharness``;
this file compiles the same operations from source, without running anything, and checks the
documents more closely (every document is also checked against the strict schema, Argo's
rules and, when present, Argo's own schema; scripts are run). Positions are CloudHarness'
(entry template first, tasks in order; allvalues volume, then the accounts secret when
configured — ``acc`` — then claims).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from ch_helpers import compile_one, compile_src, errors_of, run_scripts

from tiphys.cloudharness.utils import volume_requires_affinity
from tiphys.compiler.cloudharness.volumes import parse_volume

F = """
def f():
    import time
    time.sleep(0)
    print('whatever')
"""
#: The CloudHarness tests define their function inside the test function; so do these.
NESTED = """
def test():
    def f():
        import time
        time.sleep(0)
        print('whatever')

"""
IMAGES = {"task-images": {"myapp-mytask": "reg/testprojectname/myapp-mytask:1",
                          "workflows-print-file": "reg/workflows-print-file:1"}}


@pytest.fixture(params=[0, 1], ids=["no-accounts", "accounts"])
def acc(request: pytest.FixtureRequest) -> int:
    return int(request.param)


def table(acc: int = 0, **more: Any) -> dict[str, Any]:
    return {"accounts": bool(acc), **IMAGES, **more}


def nested(body: str) -> str:
    return NESTED + "".join(f"    {line}\n" for line in textwrap.dedent(body).strip().splitlines())


def required(affinity: dict[str, Any]) -> list[tuple[str, str]]:
    terms = affinity["podAffinity"].get("requiredDuringSchedulingIgnoredDuringExecution", [])
    return [(t["labelSelector"]["matchExpressions"][0]["key"],
             t["labelSelector"]["matchExpressions"][0]["values"][0]) for t in terms]


def required_values(affinity: dict[str, Any]) -> list[tuple[str, list[str]]]:
    terms = affinity["podAffinity"].get("requiredDuringSchedulingIgnoredDuringExecution", [])
    return [(t["labelSelector"]["matchExpressions"][0]["key"],
             t["labelSelector"]["matchExpressions"][0]["values"]) for t in terms]


def preferred(affinity: dict[str, Any]) -> list[tuple[str, str]]:
    terms = affinity["podAffinity"].get("preferredDuringSchedulingIgnoredDuringExecution", [])
    return [(t["podAffinityTerm"]["labelSelector"]["matchExpressions"][0]["key"],
             t["podAffinityTerm"]["labelSelector"]["matchExpressions"][0]["values"][0])
            for t in terms]


def test_volume_affinity_check() -> None:
    for text, expected in (("a", False), ("a:b", True), ("a:b:ro", True), ("a:b:rwx", False)):
        assert parse_volume(text, None)[0].needs_affinity is expected, text
        assert volume_requires_affinity(text) is expected, text


def test_sync_workflow(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, nested("""
        task = tasks.PythonTask('my-task', f)
        op = operations.DistributedSyncOperation('test-sync-op-', task)
    """))
    assert doc["metadata"] == {"generateName": "test-sync-op-"}
    spec = doc["spec"]
    assert spec["entrypoint"] == "my-task"
    assert [t["name"] for t in spec["templates"]] == ["my-task"]
    assert run_scripts(doc).stdout == ["whatever\n"]


def test_pipeline_workflow(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, nested("""
        op = operations.PipelineOperation('test-pipeline-op-', (tasks.PythonTask('step1', f), tasks.PythonTask('step2', f)))
    """))
    spec = doc["spec"]
    assert spec["entrypoint"] == "test-pipeline-op--pipeline"
    assert spec["templates"][0]["steps"] == [[{"name": "step1", "template": "step1"}],
                                             [{"name": "step2", "template": "step2"}]]
    assert [t["name"] for t in spec["templates"][1:]] == ["step1", "step2"]
    assert [name for name, _, _ in run_scripts(doc).calls] == ["step1", "step2"]


def test_parallel_workflow(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, nested("""
        op = operations.ParallelOperation('test-parallel-op-', (tasks.PythonTask('p1', f), tasks.PythonTask('p2', f)))
    """))
    assert doc["spec"]["entrypoint"] == "test-parallel-op--parallel"
    assert doc["spec"]["templates"][0]["steps"] == [[{"name": "p1", "template": "p1"},
                                                     {"name": "p2", "template": "p2"}]]


def test_simpledag_workflow(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, nested("""
        # p3 runs after p1 and p2 finish
        op = operations.SimpleDagOperation('test-dag-op-', (tasks.PythonTask('p1', f), tasks.PythonTask('p2', f)),
                                           tasks.PythonTask('p3', f))
    """))
    entry = doc["spec"]["templates"][0]
    assert entry["name"] == doc["spec"]["entrypoint"] == "test-dag-op--simpledag"
    assert [[s["name"] for s in g] for g in entry["steps"]] == [["p1", "p2"], ["p3"]]


def test_custom_task_workflow(tmp_path: Path) -> None:
    # Corrected: CloudHarness renames the template but not the entrypoint, and emits
    # memoize: true, which Argo's schema rejects (memoize is an object).
    doc = compile_one(tmp_path, """
        from argo.workflows.client import V1alpha1Template, V1alpha1Memoize, V1alpha1Cache, V1ConfigMapKeySelector
        task = operations.CustomTask('download-file', 'workflows-extract-download', url='https://www.bing.com',
            template_overrides=V1alpha1Template(name='aaa', memoize=V1alpha1Memoize(
                key='{{workflow.name}}', max_age='1h', cache=V1alpha1Cache(config_map=V1ConfigMapKeySelector(name='cache')))))
        op = operations.SingleTaskOperation('test-custom-op-', task)
    """)
    template = doc["spec"]["templates"][0]
    assert template["retryStrategy"]["limit"] == 10
    assert template["name"] == "aaa" == doc["spec"]["entrypoint"]
    assert template["memoize"] == {"key": "{{workflow.name}}", "maxAge": "1h",
                                   "cache": {"configMap": {"name": "cache"}}}
    _, diags = compile_src(tmp_path, """
        from argo.workflows.client import V1alpha1Template
        task = operations.CustomTask('download-file', 'workflows-extract-download',
            template_overrides=V1alpha1Template(memoize=True, name='aaa'))
        op = operations.PipelineOperation('test-custom-op-', (task,))
    """)
    assert errors_of(diags) == [("TPH635", 5, 49)]  # at True


def test_custom_connected_task_workflow(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, """
        shared_directory = '/mnt/shared'
        task_write = operations.CustomTask('download-file', 'workflows-extract-download',
                                           shared_directory=shared_directory,
                                           url='https://raw.githubusercontent.com/openworm/org.geppetto/master/README.md')
        task_print = operations.CustomTask('print-file', 'workflows-print-file', shared_directory=shared_directory,
                                           file_path=shared_directory + '/README.md')
        op = operations.PipelineOperation('test-custom-connected-op-', (task_write, task_print),
                                          shared_directory=shared_directory, shared_volume_size=100)
    """, table())
    spec = doc["spec"]
    assert spec["volumeClaimTemplates"] == [{
        "metadata": {"name": "mntshared"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "100Mi"}}},
    }]
    printer = spec["templates"][2]["container"]
    assert {"name": "file_path", "value": "/mnt/shared/README.md"} in printer["env"]
    assert {"name": "shared_directory", "value": "/mnt/shared"} in printer["env"]
    assert printer["image"] == "reg/workflows-print-file:1"
    assert {"name": "mntshared", "mountPath": "/mnt/shared"} in printer["volumeMounts"]


def _shared(tmp_path: Path, acc: int, task: str, shared: str, op: str = "SingleTaskOperation",
            ) -> dict[str, Any]:
    return compile_one(tmp_path, F + f"""
task = {task}
op = operations.{op}('test-shared-', {'[task]' if op != 'SingleTaskOperation' else 'task'},
    shared_directory={shared})
""", table(acc))


CUSTOM = "operations.CustomTask('download-file', 'workflows-extract-download', url='x')"


def test_single_task_shared(tmp_path: Path, acc: int) -> None:
    spec = _shared(tmp_path, acc, CUSTOM, "'myclaim:/mnt/shared'")["spec"]
    assert len(spec["volumes"]) == 2 + acc
    toleration = spec["tolerations"][0]
    assert (toleration["key"], toleration["operator"], toleration["value"]) == (
        "cloudharness/temporary-job", "Equal", "true")
    assert spec["volumes"][1 + acc]["persistentVolumeClaim"]["claimName"] == "myclaim"
    if acc:
        assert spec["volumes"][1]["secret"]["secretName"] == "accounts"
    template = spec["templates"][0]
    assert len(template["container"]["volumeMounts"]) == 2 + acc
    assert template["metadata"]["labels"]["usesvolume"] == "myclaim"
    assert required(spec["affinity"])[0] == ("usesvolume", "myclaim")
    # Fixed: no (empty) template affinity, so Argo applies the workflow's.
    assert "affinity" not in template


def test_pipeline_shared(tmp_path: Path, acc: int) -> None:
    doc = compile_one(tmp_path, f"""
        op = operations.PipelineOperation('shared-pvc-op-', [{CUSTOM}, tasks.BashTask('print-file', source='ls -la')],
                                          shared_directory='myclaim:/mnt/shared')
    """, table(acc))
    spec = doc["spec"]
    assert len(spec["volumes"]) == 2 + acc
    assert spec["volumes"][1 + acc]["persistentVolumeClaim"]["claimName"] == "myclaim"
    assert len(spec["templates"][1]["container"]["volumeMounts"]) == 2 + acc
    assert len(spec["templates"][2]["script"]["volumeMounts"]) == 2 + acc
    for t in spec["templates"]:
        assert t["metadata"]["labels"]["usesvolume"] == "myclaim"
    assert required(spec["affinity"]) == [("usesvolume", "myclaim")]
    # The CloudHarness env bug: the env holds the path, not 'myclaim:/mnt/shared'.
    env = spec["templates"][2]["script"]["env"]
    assert {"name": "shared_directory", "value": "/mnt/shared"} in env


def test_single_task_shared_rwx(tmp_path: Path, acc: int) -> None:
    spec = _shared(tmp_path, acc, CUSTOM, "'myclaim:/mnt/shared:rwx'")["spec"]
    assert len(spec["volumes"]) == 2 + acc
    assert spec["volumes"][1 + acc]["persistentVolumeClaim"]["claimName"] == "myclaim"
    assert len(spec["templates"][0]["container"]["volumeMounts"]) == 2 + acc
    assert "affinity" not in spec


def test_single_task_volume_notshared(tmp_path: Path, acc: int) -> None:
    # "a:b": Kubernetes mounts a relative path at "/b" (warning TPH641).
    doc = compile_one(tmp_path, """
        task = operations.CustomTask('download-file', 'workflows-extract-download', volume_mounts=["a:b"])
        op = operations.SingleTaskOperation('test-volume-', task)
    """, table(acc))
    spec = doc["spec"]
    assert len(spec["volumes"]) == 2 + acc
    assert spec["volumes"][1 + acc]["persistentVolumeClaim"]["claimName"] == "a"
    template = spec["templates"][0]
    assert len(template["container"]["volumeMounts"]) == 2 + acc
    assert "affinity" not in spec
    assert required(template["affinity"])[0] == ("usesvolume", "a")
    assert template["metadata"]["labels"]["usesvolume"] == "a"
    assert template["container"]["volumeMounts"][-1] == {"name": "b", "mountPath": "/b"}


def test_single_task_volumes_notshared(tmp_path: Path, acc: int) -> None:
    doc = compile_one(tmp_path, """
        task = operations.CustomTask('download-file', 'workflows-extract-download', volume_mounts=["a:b"])
        op = operations.SingleTaskOperation('test-volume-', task, shared_directory='myclaim:/mnt/shared')
    """, table(acc))
    spec = doc["spec"]
    assert len(spec["volumes"]) == 3 + acc
    assert spec["volumes"][1 + acc]["persistentVolumeClaim"]["claimName"] == "myclaim"
    template = spec["templates"][0]
    assert len(template["container"]["volumeMounts"]) == 3 + acc
    assert required_values(spec["affinity"]) == [("usesvolume", ["myclaim", "a"])]
    # The template's own affinity replaces the workflow's in Argo: one term, its own claim
    # first, matched by every pod of the operation (all carry usesvolume: myclaim).
    assert required_values(template["affinity"]) == [("usesvolume", ["a", "myclaim"])]
    assert template["metadata"]["labels"] == {"usesvolume": "myclaim"}


def test_single_task_shared_multiple(tmp_path: Path, acc: int) -> None:
    spec = _shared(tmp_path, acc, CUSTOM,
                   "['myclaim:/mnt/shared', 'myclaim2:/mnt/shared2:ro']")["spec"]
    assert len(spec["volumes"]) == 3 + acc
    assert spec["volumes"][1 + acc]["persistentVolumeClaim"]["claimName"] == "myclaim"
    mounts = spec["templates"][0]["container"]["volumeMounts"]
    assert len(mounts) == 3 + acc
    # Corrected: CloudHarness asserts the key 'readonly', which Kubernetes ignores.
    assert mounts[2 + acc]["readOnly"] is True
    assert "readonly" not in mounts[2 + acc]
    assert "usesvolume" in spec["templates"][0]["metadata"]["labels"]
    # CloudHarness required `usesvolume In [myclaim]` and `In [myclaim2]` of a pod labelled
    # usesvolume: myclaim2, which nothing matches (test_ch_scheduling.py): one term here.
    assert required_values(spec["affinity"]) == [("usesvolume", ["myclaim", "myclaim2"])]
    assert spec["templates"][0]["metadata"]["labels"]["usesvolume"] == "myclaim"


def test_single_task_shared_script(tmp_path: Path, acc: int) -> None:
    spec = _shared(tmp_path, acc, "tasks.BashTask('print-file', source='ls -la')",
                   "'myclaim:/mnt/shared'")["spec"]
    assert len(spec["volumes"]) == 2 + acc
    assert spec["volumes"][1 + acc]["persistentVolumeClaim"]["claimName"] == "myclaim"
    assert len(spec["templates"][0]["script"]["volumeMounts"]) == 2 + acc


def test_result_task_workflow(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, """
        task_write = operations.CustomTask('download-file', 'workflows-extract-download',
                                           url='https://raw.githubusercontent.com/openworm/org.geppetto/master/README.md')
        op = operations.DistributedSyncOperationWithResults('test-sync-results-', task_write)
    """)
    spec = doc["spec"]
    assert spec["entrypoint"] == "test-sync-results--pipeline"
    assert [[s["name"] for s in g] for g in spec["templates"][0]["steps"]] == [
        ["download-file"], ["send-result-event"]]
    assert spec["templates"][2]["container"]["image"] == "workflows-send-result-event:latest"
    assert spec["volumeClaimTemplates"][0]["metadata"]["name"] == "mntshared"
    for t in spec["templates"][1:]:
        assert {"name": "shared_directory", "value": "/mnt/shared"} in t["container"]["env"]


def test_workflow_with_context(tmp_path: Path) -> None:
    for context, check in (
        ("operations.PodExecutionContext('a', 'b')",
         lambda a: preferred(a) == [("a", "b")]),
        ("operations.PodExecutionContext('a', 'b', required=True)",
         lambda a: required(a) == [("a", "b")]),
        ("(operations.PodExecutionContext('a', 'b'), operations.PodExecutionContext('c', 'd', "
         "required=True), operations.PodExecutionContext('e', 'f'))",
         lambda a: preferred(a) == [("a", "b"), ("e", "f")] and required(a) == [("c", "d")]),
    ):
        doc = compile_one(tmp_path, nested(f"""
            op = operations.ParallelOperation('test-parallel-op-', (tasks.PythonTask('p1', f), tasks.PythonTask('p2', f)),
                                              pod_context={context})
        """))
        assert check(doc["spec"]["affinity"]), context
        for template in doc["spec"]["templates"]:
            labels = template["metadata"]["labels"]
            assert labels["a"] == "b"
            if "'e'" in context:
                assert labels["e"] == "f"
            assert "affinity" not in template


def test_gpu_workflow(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, """
        op = operations.PipelineOperation('my-op-gpu-', [operations.CustomTask('my-gpu', 'myapp-mytask', resources={"limits": {"nvidia.com/gpu": 1}})])
    """, table())
    container = doc["spec"]["templates"][1]["container"]
    # A quantity is a string for Argo's schema (CloudHarness passes the integer through).
    assert container["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert container["image"] == "reg/testprojectname/myapp-mytask:1"
