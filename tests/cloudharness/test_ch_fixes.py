"""CloudHarness' known bugs (reference section 3, "found while reading and running the code"),
one test each: what tiphys emits instead. docs/cloudharness-migration.md lists them too."""

from __future__ import annotations

from pathlib import Path

from ch_helpers import codes, compile_one, compile_src, errors_of, run_scripts

F = "def f():\n    print('hi')\n\n\n"


def test_1_affinity_where_argo_applies_it(tmp_path: Path) -> None:
    """Argo uses a template's affinity when it has one, else the workflow's: CloudHarness put
    an empty affinity on every template, so the workflow's never applied."""
    spec = compile_one(tmp_path, F + """
op = operations.PipelineOperation('aff-', [tasks.PythonTask('a', f), tasks.CustomTask(
    'b', 'workflows-extract-download', volume_mounts=['other:/data'])],
    pod_context=operations.PodExecutionContext('team', 'x', required=True))
""")["spec"]
    assert spec["affinity"]["podAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    plain, own = spec["templates"][1], spec["templates"][2]
    assert "affinity" not in plain  # the workflow's affinity applies
    terms = [t["labelSelector"]["matchExpressions"][0] for t in
             own["affinity"]["podAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]]
    # The workflow's term kept, and the claim's (test_ch_scheduling.py plays them through
    # the scheduler's rules).
    assert [(e["key"], e["values"]) for e in terms] == [("team", ["x"]),
                                                        ("usesvolume", ["other"])]
    assert own["metadata"]["labels"] == {"usesvolume": "other", "team": "x"}


def test_2_read_only_mounts(tmp_path: Path) -> None:
    spec = compile_one(tmp_path, F + """
op = operations.SingleTaskOperation('ro-', tasks.PythonTask('a', f), shared_directory='c:/in:ro')
""")["spec"]
    assert spec["templates"][0]["script"]["volumeMounts"][-1] == {
        "name": "in", "mountPath": "/in", "readOnly": True}


def test_3_pod_gc_delay_is_a_duration_and_custom_ttl_works(tmp_path: Path) -> None:
    spec = compile_one(tmp_path, F + """
op = operations.SingleTaskOperation('gc-', tasks.PythonTask('a', f),
                                    ttl_strategy={'secondsAfterCompletion': 60})
""")["spec"]
    # CloudHarness raises KeyError for a TTL without secondsAfterSuccess.
    assert spec["ttlStrategy"] == {"secondsAfterCompletion": 60}
    assert spec["podGC"] == {"strategy": "OnWorkflowSuccess", "deleteDelayDuration": "600s"}
    spec = compile_one(tmp_path, F + """
op = operations.SingleTaskOperation('gc-', tasks.PythonTask('a', f), ttl_strategy=None,
                                    pod_gc={'strategy': 'OnPodSuccess', 'deleteDelayDuration': 30})
""")["spec"]
    assert "ttlStrategy" not in spec
    assert spec["podGC"] == {"strategy": "OnPodSuccess", "deleteDelayDuration": "30s"}


def test_4_valid_tolerations_and_camel_case_overrides(tmp_path: Path) -> None:
    spec = compile_one(tmp_path, F + """
op = operations.SingleTaskOperation('tol-', tasks.PythonTask('a', f, template_overrides={
    'node_selector': {'pool': 'big'}, 'pod_spec_patch': '{}', 'name': 'renamed'}))
""")["spec"]
    assert spec["tolerations"] == [{"key": "cloudharness/temporary-job", "operator": "Equal",
                                    "value": "true"}]
    template = spec["templates"][0]
    assert template["nodeSelector"] == {"pool": "big"} and template["podSpecPatch"] == "{}"
    assert template["name"] == spec["entrypoint"] == "renamed"


def test_5_no_environment_of_the_compiling_process(tmp_path: Path, monkeypatch: object) -> None:
    import os

    os.environ["TORCH_HOME_FOR_CH_TEST"] = "/leak"
    try:
        doc = compile_one(tmp_path, F + "op = operations.SingleTaskOperation('env-', "
                          "tasks.PythonTask('a', f))\n")
    finally:
        del os.environ["TORCH_HOME_FOR_CH_TEST"]
    assert [e["name"] for e in doc["spec"]["templates"][0]["script"]["env"]] == \
        ["CH_WORKFLOW_NAME"]


def test_6_shared_directory_env_is_the_path(tmp_path: Path) -> None:
    spec = compile_one(tmp_path, F + """
op = operations.SingleTaskOperation('env-', tasks.PythonTask('a', f), shared_directory='c:/mnt/s')
""")["spec"]
    assert {"name": "shared_directory", "value": "/mnt/s"} in \
        spec["templates"][0]["script"]["env"]


def test_7_claimless_path_on_a_single_task_operation(tmp_path: Path) -> None:
    spec = compile_one(tmp_path, F + """
op = operations.SingleTaskOperation('single-', tasks.PythonTask('a', f), shared_directory=True,
                                    shared_volume_size=50)
""")["spec"]
    assert spec["volumeClaimTemplates"] == [{
        "metadata": {"name": "mntshared"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "50Mi"}}},
    }]


def test_8_python_tasks_dedented_with_resources_and_retries(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, """
import os
GREETING = 'hello'


def outer():
    def work(times=2):
        print((GREETING + ' ') * times, os.environ['who'])
    op = operations.SingleTaskOperation('py-', tasks.PythonTask('work', work, who='you',
        resources={'requests': {'cpu': 0.5, 'memory': '64Mi'}}, retry_limit=3))
""")
    template = doc["spec"]["templates"][0]
    assert template["script"]["resources"] == {"requests": {"cpu": "0.5", "memory": "64Mi"}}
    assert template["retryStrategy"] == {"limit": 3}
    assert template["script"]["source"].startswith("import os\n\n\nGREETING = 'hello'\n")
    assert run_scripts(doc).stdout == ["hello hello  you\n"]


def test_9_results_pipeline_takes_a_shared_directory(tmp_path: Path) -> None:
    spec = compile_one(tmp_path, """
op = operations.DistributedSyncOperationWithResults(
    'res-', tasks.CustomTask('t', 'workflows-extract-download'), shared_directory='/mnt/out')
""")["spec"]
    for t in spec["templates"][1:]:
        assert {"name": "shared_directory", "value": "/mnt/out"} in t["container"]["env"]


def test_10_unknown_images_warn_with_a_suggestion(tmp_path: Path) -> None:
    """CloudHarness passes an unknown name through silently; tiphys passes it through too
    (CloudHarness' own tests use 'my-custom-exit-handler'), with a warning and a guess."""
    docs, diags = compile_src(tmp_path, "op = operations.SingleTaskOperation('i-', "
                              "tasks.CustomTask('t', 'workflows-extract-dowload'))\n")
    assert codes(diags) == ["TPH640"] and errors_of(diags) == []
    assert "did you mean 'workflows-extract-download'?" in diags[0].message
    assert docs[0]["spec"]["templates"][0]["container"]["image"] == "workflows-extract-dowload"


def test_11_names_validated_and_unique(tmp_path: Path) -> None:
    _, diags = compile_src(tmp_path, """
a = operations.SingleTaskOperation('Op With Space', tasks.BashTask('My Task', 'ls'))
b = operations.PipelineOperation('p', [tasks.BashTask('p-pipeline', 'ls')])
c = operations.PipelineOperation('q', [tasks.BashTask('exit-handler', 'ls')], on_exit_notify={'queue': 'q'})
d = operations.PipelineOperation('r', [tasks.BashTask('exit-handler', 'ls')], on_exit_notify={})
""")
    assert errors_of(diags) == [("TPH610", 3, 36), ("TPH613", 4, 55), ("TPH613", 5, 55)]
    # 'My Task' is sanitised as CloudHarness does ('my-task'), which is valid; an empty
    # on_exit_notify adds no handler (as in CloudHarness), so 'exit-handler' is free in 'r'.


def test_12_string_command(tmp_path: Path) -> None:
    _, diags = compile_src(tmp_path, "op = operations.SingleTaskOperation('c-', "
                           "tasks.CommandBasedTask('c', 'echo hi'))\n")
    assert codes(diags) == ["TPH636"]


def test_15_exit_handler_arguments_quoted(tmp_path: Path) -> None:
    spec = compile_one(tmp_path, F + """
op = operations.SingleTaskOperation('x-', tasks.PythonTask('a', f),
                                    on_exit_notify={'payload': '{"a": "b c"}'})
""")["spec"]
    command = spec["templates"][-1]["container"]["command"]
    assert command[:2] == ["sh", "-c"] and '"$workflow_result"' in command[2]


def test_17_deterministic_and_offline(tmp_path: Path) -> None:
    body = F + "op = operations.SingleTaskOperation('det-', tasks.PythonTask('a', f))\n"
    assert compile_one(tmp_path, body) == compile_one(tmp_path, body)
