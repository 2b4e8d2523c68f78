"""The static recognizer: import forms, operations built inside functions, values known only
at run time, and what cannot be known statically."""

from __future__ import annotations

from pathlib import Path

import pytest
from ch_helpers import codes, compile_one, compile_src, errors_of, run_scripts

TASK = "def f():\n    print('hi')\n\n\n"


@pytest.mark.parametrize("header, ops, tasks", [
    ("from cloudharness.workflows import operations, tasks\n", "operations.", "tasks."),
    ("from cloudharness.workflows import operations as ops, tasks as t\n", "ops.", "t."),
    ("from cloudharness.workflows.operations import PipelineOperation\n"
     "from cloudharness.workflows.tasks import PythonTask\n", "", ""),
    ("from cloudharness.workflows.operations import PipelineOperation as PO\n"
     "from cloudharness.workflows.tasks import PythonTask as PT\n", "P", "P"),
    ("import cloudharness.workflows.operations as ops\n"
     "import cloudharness.workflows.tasks as t\n", "ops.", "t."),
    ("import cloudharness.workflows.operations\nimport cloudharness.workflows.tasks\n",
     "cloudharness.workflows.operations.", "cloudharness.workflows.tasks."),
    ("from cloudharness.workflows import operations\n", "operations.", "operations."),
], ids=["modules", "module-aliases", "names", "name-aliases", "import-as", "import", "reexport"])
def test_import_forms(tmp_path: Path, header: str, ops: str, tasks: str) -> None:
    pipeline = "O" if ops == "P" else "PipelineOperation"
    python = "T" if tasks == "P" else "PythonTask"
    body = TASK + f"op = {ops}{pipeline}('imports-', [{tasks}{python}('a', f)])\n"
    doc = compile_one(tmp_path, body, header=header)
    assert doc["spec"]["entrypoint"] == "imports--pipeline"
    assert run_scripts(doc).stdout == ["hi\n"]


def test_a_file_without_operations_gives_nothing(tmp_path: Path) -> None:
    docs, diags = compile_src(tmp_path, "from cloudharness.workflows import argo\n"
                              "argo.get_workflows()\n", header="")
    assert docs == [] and diags == []


def test_an_operation_built_in_a_controller(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, TASK + """
def create(request, count=3):
    url = request.args.get('url')
    op = operations.PipelineOperation('ctl-', [tasks.PythonTask('a', f, url=url, count=count,
                                                                label='fixed')])
    return op.execute()
""")
    spec = doc["spec"]
    assert spec["arguments"]["parameters"] == [{"name": "url"}, {"name": "count", "value": "3"}]
    env = spec["templates"][1]["script"]["env"]
    assert env[:3] == [{"name": "url", "value": "{{workflow.parameters.url}}"},
                       {"name": "count", "value": "{{workflow.parameters.count}}"},
                       {"name": "label", "value": "fixed"}]
    run = run_scripts(doc, parameters={"url": "https://x"})
    assert run.stdout == ["hi\n"]


def test_run_time_values_reach_the_script(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, """
def show():
    import os
    print(os.environ['url'], os.environ['n'])


def create(url, n=2):
    op = operations.SingleTaskOperation('show-', tasks.PythonTask('show', show, url=url, n=n))
""")
    assert run_scripts(doc, parameters={"url": "https://example.com"}).stdout == [
        "https://example.com 2\n"]


def test_the_same_run_time_value_shares_a_parameter(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, TASK + """
def create(url):
    op = operations.ParallelOperation('two-', [tasks.PythonTask('a', f, url=url),
                                               tasks.PythonTask('b', f, url=url)])
""")
    assert doc["spec"]["arguments"]["parameters"] == [{"name": "url"}]


def test_names_bound_to_literals_and_simple_expressions(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, """
NAME = 'consts-'
BASE = '/mnt/data'


def build():
    folder = BASE + '/in'
    label = f'{NAME}x'
    task = tasks.BashTask('b', source='ls', folder=folder, label=label, n=str(4))
    return operations.SingleTaskOperation(NAME, task)
""")
    env = {e["name"]: e.get("value") for e in doc["spec"]["templates"][0]["script"]["env"]}
    assert env["folder"] == "/mnt/data/in"
    assert env["label"] == "consts-x"
    assert env["n"] == "4"
    assert doc["metadata"]["generateName"] == "consts-"


def test_env_values_are_stringified_as_cloudharness_does(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, """
op = operations.SingleTaskOperation('s-', tasks.BashTask('b', 'ls', flag=True, ratio=0.5,
                                    items=['a', 1], none=None, n=-3))
""")
    env = {e["name"]: e.get("value") for e in doc["spec"]["templates"][0]["script"]["env"]}
    assert env == {"flag": "True", "ratio": "0.5", "items": "['a', 1]", "none": "None",
                   "n": "-3", "CH_WORKFLOW_NAME": None}


def test_sequence_growth(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, TASK + """
def build():
    steps = []
    steps.append(tasks.PythonTask('a', f))
    steps += [tasks.PythonTask('b', f)]
    steps.extend((tasks.PythonTask('c', f),))
    first, second = tasks.PythonTask('d', f), tasks.PythonTask('e', f)
    steps.append(first)
    steps.append(second)
    return operations.PipelineOperation('grown-', steps)
""")
    assert [g[0]["name"] for g in doc["spec"]["templates"][0]["steps"]] == list("abcde")


@pytest.mark.parametrize("build, why", [
    ("steps = []\n    for i in range(3):\n        steps.append(tasks.PythonTask('a', f))",
     "grown in a loop"),
    ("steps = []\n    if flag:\n        steps.append(tasks.PythonTask('a', f))",
     "grown conditionally"),
    ("steps = [tasks.PythonTask(f'p{i}', f) for i in range(3)]", "a comprehension"),
    ("steps = make_steps()", "the result of calling 'make_steps'"),
    ("if flag:\n        steps = [tasks.PythonTask('a', f)]\n    else:\n"
     "        steps = [tasks.PythonTask('b', f)]", "bound conditionally"),
    ("steps = [tasks.PythonTask('a', f)]\n    steps.sort()", "changed by sort()"),
], ids=["loop", "if", "comprehension", "call", "branches", "mutated"])
def test_unknowable_task_lists(tmp_path: Path, build: str, why: str) -> None:
    _, diags = compile_src(tmp_path, TASK + f"""
def build(flag):
    {build}
    return operations.ParallelOperation('dyn-', steps)
""")
    assert codes([d for d in diags if d.is_error]) == ["TPH602"]
    assert why in diags[0].message


def test_a_loop_building_whole_operations_is_fine(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, TASK + """
def build(items):
    for item in items:
        op = operations.SingleTaskOperation('each-', tasks.PythonTask('a', f, item=item))
        op.execute()
""")
    assert doc["spec"]["arguments"]["parameters"] == [{"name": "item"}]


def test_functions_defined_after_their_use(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, """
def controller():
    return operations.SingleTaskOperation('later-', tasks.PythonTask('a', work))


def work():
    print('late')
""")
    assert run_scripts(doc).stdout == ["late\n"]


def test_methods_and_main_guard(tmp_path: Path) -> None:
    docs, diags = compile_src(tmp_path, TASK + """
class Controller:
    name = 'not-visible-in-methods'

    def run(self):
        return operations.SingleTaskOperation('method-', tasks.PythonTask('a', f))


if __name__ == '__main__':
    operations.SingleTaskOperation('main-', tasks.PythonTask('b', f)).execute()
""")
    assert not diags
    assert [d["metadata"]["generateName"] for d in docs] == ["method-", "main-"]


def test_task_reused_in_two_operations_is_not_mutated(tmp_path: Path) -> None:
    """CloudHarness writes the shared_directory env into the task object, so it leaks into
    the next operation that uses the task."""
    docs, diags = compile_src(tmp_path, """
t = tasks.BashTask('b', 'ls')
first = operations.SingleTaskOperation('first-', t, shared_directory='/mnt/one')
second = operations.SingleTaskOperation('second-', t)
""")
    assert not diags
    envs = [[e["name"] for e in d["spec"]["templates"][0]["script"]["env"]] for d in docs]
    assert envs == [["shared_directory", "CH_WORKFLOW_NAME"], ["CH_WORKFLOW_NAME"]]


def test_positional_arguments_as_cloudharness_binds_them(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, """
ctx = operations.PodExecutionContext('k', 'v', True)
task = tasks.CustomTask('c', 'workflows-extract-download', {'limits': {'cpu': 1}}, 'Always', ['run'])
op = operations.SingleTaskOperation('pos-', task, ctx, '/mnt/s', {'strategy': 'OnPodSuccess'},
                                    {'secondsAfterCompletion': 60})
""")
    spec = doc["spec"]
    container = spec["templates"][0]["container"]
    assert container["resources"] == {"limits": {"cpu": "1"}}
    assert container["imagePullPolicy"] == "Always"
    assert container["command"] == ["run"]
    assert spec["podGC"] == {"strategy": "OnPodSuccess"}
    assert spec["ttlStrategy"] == {"secondsAfterCompletion": 60}
    assert spec["volumeClaimTemplates"][0]["metadata"]["name"] == "mnts"
    assert spec["templates"][0]["metadata"]["labels"] == {"k": "v"}


def test_nested_python_task_with_carried_names(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, """
import json
LIMIT = 2


def helper(x):
    return json.dumps({'x': x})


def test():
    def inner():
        import os
        print(helper(LIMIT), os.environ['greeting'])
    op = operations.SingleTaskOperation('nested-', tasks.PythonTask('inner', inner, greeting='hi'))
""")
    source = doc["spec"]["templates"][0]["script"]["source"]
    assert source.startswith("import json\n")
    assert "LIMIT = 2" in source and "def helper(x):" in source
    assert "def inner():\n    import os" in source  # dedented
    assert run_scripts(doc).stdout == ['{"x": 2} hi\n']


def test_closure_variables_are_reported_not_carried(tmp_path: Path) -> None:
    _, diags = compile_src(tmp_path, """
LIMIT = 2


def test():
    LIMIT = 5

    def inner():
        print(LIMIT)
    op = operations.SingleTaskOperation('closure-', tasks.PythonTask('inner', inner))
""")
    # The module's LIMIT = 2 must not be shipped in place of the enclosing LIMIT = 5.
    assert errors_of(diags) == [("TPH624", 10, 15)]


def test_free_names_of_the_core_analysis(tmp_path: Path) -> None:
    _, diags = compile_src(tmp_path, """
import numpy as np
client = object()


def work():
    print(np.zeros(3), client, undefined_name)


op = operations.SingleTaskOperation('free-', tasks.PythonTask('w', work))
""")
    assert [c for c in codes(diags)] == ["TPH216", "TPH210"]


def test_the_cloudharness_library_is_carried(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The base image has the cloudharness libraries: their module imports are shipped.
    (A stand-in library is on the path where the script runs.)"""
    lib = tmp_path / "lib" / "cloudharness" / "utils"
    lib.mkdir(parents=True)
    (lib.parent / "__init__.py").write_text("")
    (lib / "__init__.py").write_text("")
    (lib / "config.py").write_text("class CloudharnessConfig:\n    @staticmethod\n"
                                   "    def get_namespace():\n        return 'ch'\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "lib"))
    doc = compile_one(tmp_path, """
from cloudharness.utils.config import CloudharnessConfig


def work():
    print(CloudharnessConfig.get_namespace())


op = operations.SingleTaskOperation('lib-', tasks.PythonTask('w', work))
""")
    assert doc["spec"]["templates"][0]["script"]["source"].startswith(
        "from cloudharness.utils.config import CloudharnessConfig\n")
    assert run_scripts(doc).stdout == ["ch\n"]


def test_tiphys_cloudharness_imports_are_recognised_too(tmp_path: Path) -> None:
    from tiphys.compiler.cloudharness.recognize import recognize
    from tiphys.compiler.diagnostics import Diagnostics
    from tiphys.compiler.frontend.source import read_source

    source = read_source("x.py", Diagnostics(), "from tiphys.cloudharness import operations, tasks\n"
                         "op = operations.SingleTaskOperation('t-', tasks.BashTask('a', 'ls'))\n")
    assert source is not None
    sites = recognize(source).sites
    assert len(sites) == 1 and sites[0].op is not None and sites[0].op.name == "t-"


def test_the_documentation_s_computed_literals(tmp_path: Path) -> None:
    """The CloudHarness docs write TTLs as products and payloads with json.dumps."""
    doc = compile_one(tmp_path, TASK + """
import json
ttl_strategy = {
    'secondsAfterCompletion': 60 * 60 * 24,
    'secondsAfterSuccess': 60 * 20,
    'secondsAfterFailure': 60 * 120 - 0,
}
on_exit_notify = {
    'queue': 'my_queue',
    'payload': json.dumps({'insert': 1})
}
op = operations.ParallelOperation('doc-', (tasks.PythonTask('p1', f),), ttl_strategy=ttl_strategy,
                                  on_exit_notify=on_exit_notify)
""")
    spec = doc["spec"]
    assert spec["ttlStrategy"] == {"secondsAfterCompletion": 86400, "secondsAfterSuccess": 1200,
                                   "secondsAfterFailure": 7200}
    assert "arguments" not in spec
    assert {"name": "payload", "value": '{"insert": 1}'} in spec["templates"][-1]["container"]["env"]


def test_imports_inside_the_function(tmp_path: Path) -> None:
    doc = compile_one(tmp_path, """
def f():
    print('hi')


def controller():
    from cloudharness.workflows import operations as ops
    from cloudharness.workflows.tasks import PythonTask
    return ops.SingleTaskOperation('local-', PythonTask('a', f))
""", header="")
    assert doc["metadata"]["generateName"] == "local-"
