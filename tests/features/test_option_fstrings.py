"""f-strings of workflow values in the other text fields Argo fills in at run time: a task's
image, env values, working_dir, pod labels/annotations, node_selector values and
pod_spec_patch; a resource manifest; an http call's url, headers and body; a workflow's image
and run_metadata. Each is lowered to Argo's global tags, its parameters declared by the
workflow, and (where the local engine runs it) the value is shown to arrive. Misuse is a
diagnostic at the f-string."""

from __future__ import annotations

import http.server
import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tiphys.compiler.strict_schema import check_strict
from tiphys.compiler.validator import check_documents

from compile_helpers import compile_text
from run_helpers import run_doc

HEAD = """from tiphys import (bash, container, http, param, pipeline, resource, sidecar, task,
                    workflow, workflow_name, workflow_status)

who = param("who", default="world")
tag = param("tag", default="3.12")
team = param("team", default="data")
unused = param("unused", default="x")

@task
def make() -> str:
    return "x"
"""


def clean(docs: list[dict[str, Any]]) -> None:
    """The documents pass the strict schema and Argo's own rules (declared parameters)."""
    for doc in docs:
        assert check_strict(doc) == []
    assert [f for f in check_documents(docs) if f.severity.value == "error"] == []


def templates(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in doc["spec"]["templates"]}


def declared(doc: dict[str, Any]) -> dict[str, str]:
    return {p["name"]: p.get("value") for p in doc["spec"]["arguments"]["parameters"]}


def test_a_python_tasks_fields_take_workflow_values(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + (
        '@task(image=f"python:{tag}-slim", env={"GREETING": f"hi {who}", "PLAIN": 1},\n'
        '      working_dir=f"/work/{team}", labels={"team": f"{team}", "tier": "a"},\n'
        '      annotations={"run": f"{workflow_name}/{workflow_status}"},\n'
        '      node_selector={"pool": f"{team}-pool"},\n'
        '      pod_spec_patch=f\'{{"terminationGracePeriodSeconds": {tag}}}\')\n'
        "def hello() -> None:\n"
        "    print('hi')\n"
        'wf = workflow("w", hello())\n'))
    assert diags == []
    clean(docs)
    hello = templates(docs[0])["hello"]
    assert hello["script"]["image"] == "python:{{workflow.parameters.tag}}-slim"
    assert hello["script"]["env"] == [
        {"name": "GREETING", "value": "hi {{workflow.parameters.who}}"},
        {"name": "PLAIN", "value": "1"}]
    assert hello["script"]["workingDir"] == "/work/{{workflow.parameters.team}}"
    assert hello["metadata"] == {
        "labels": {"team": "{{workflow.parameters.team}}", "tier": "a"},
        "annotations": {"run": "{{workflow.name}}/{{workflow.status}}"}}
    assert hello["nodeSelector"] == {"pool": "{{workflow.parameters.team}}-pool"}
    assert hello["podSpecPatch"] == '{"terminationGracePeriodSeconds": {{workflow.parameters.tag}}}'
    # Only the parameters the template reads are declared, each once.
    assert declared(docs[0]) == {"team": "data", "who": "world", "tag": "3.12"}


def test_bash_container_resource_and_http_fields(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + (
        'greeting = f"hello {who}"\n'
        'say = bash("say", "echo $G", image=f"alpine:{tag}", env={"G": greeting})\n'
        'box = container("box", f"busybox:{tag}", command=["sh", "-c", "echo $G"],\n'
        '                env={"G": f"{who}"})\n'
        'make = resource("make", "create", manifest=f"""apiVersion: v1\n'
        "kind: ConfigMap\n"
        "metadata:\n"
        "  name: cm-{who}\n"
        '""")\n'
        'call = http("call", f"https://example.com/{team}", headers={"X-Who": f"{who}"},\n'
        '            body=f"hi {who}", method="POST")\n'
        'wf = workflow("w", pipeline(say(), box(), make(), call()))\n'))
    assert diags == []
    clean(docs)
    t = templates(docs[0])
    assert t["say"]["script"]["image"] == "alpine:{{workflow.parameters.tag}}"
    assert t["say"]["script"]["env"] == [{"name": "G", "value": "hello {{workflow.parameters.who}}"}]
    assert t["box"]["container"]["image"] == "busybox:{{workflow.parameters.tag}}"
    assert t["box"]["container"]["env"] == [{"name": "G", "value": "{{workflow.parameters.who}}"}]
    assert "name: cm-{{workflow.parameters.who}}" in t["make"]["resource"]["manifest"]
    assert t["call"]["http"]["url"] == "https://example.com/{{workflow.parameters.team}}"
    assert t["call"]["http"]["headers"] == [
        {"name": "X-Who", "value": "{{workflow.parameters.who}}"}]
    assert t["call"]["http"]["body"] == "hi {{workflow.parameters.who}}"
    assert declared(docs[0]) == {"tag": "3.12", "who": "world", "team": "data"}


def test_a_workflows_image_and_run_metadata(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + (
        "@task\n"
        "def hello() -> None:\n"
        "    print('hi')\n"
        'show = bash("show", "echo {{workflow.labels.team}} {{workflow.annotations.by}}")\n'
        'wf = workflow("w", pipeline(hello(), show()), image=f"python:{tag}",\n'
        '              run_metadata={"labels": {"team": f"{team}-x"},\n'
        '                            "annotations": {"by": f"{who}@{workflow_name}"}})\n'))
    assert diags == []
    clean(docs)
    spec = docs[0]["spec"]
    assert spec["workflowMetadata"] == {
        "labels": {"team": "{{workflow.parameters.team}}-x"},
        "annotations": {"by": "{{workflow.parameters.who}}@{{workflow.name}}"}}
    assert templates(docs[0])["hello"]["script"]["image"] == "python:{{workflow.parameters.tag}}"
    assert declared(docs[0]) == {"tag": "3.12", "team": "data", "who": "world"}
    # Argo fills in the spec, then makes workflowMetadata's labels the run's own.
    run = run_doc(docs[0], parameters={"team": "ml", "who": "ann"})
    assert run.phase == "Succeeded"
    assert run.by_display("show")[0].stdout == "ml-x ann@w\n"


def test_env_and_working_dir_arrive_in_a_run(tmp_path: Path) -> None:
    work = tmp_path / "work" / "ml"
    work.mkdir(parents=True)
    docs, diags = compile_text(tmp_path, HEAD + (
        f'@task(env={{"GREETING": f"hi {{who}} in {{workflow_name}}"}},\n'
        f'      working_dir=f"{tmp_path}/work/{{team}}")\n'
        "def hello() -> None:\n"
        "    import os\n"
        "    print(os.environ['GREETING'], os.getcwd())\n"
        'say = bash("say", "echo \\"$G\\" $(pwd)", env={"G": f"{who}/{team}"},\n'
        f'           working_dir=f"{tmp_path}/work/{{team}}")\n'
        'wf = workflow("w", pipeline(hello(), say()))\n'))
    assert diags == []
    clean(docs)
    run = run_doc(docs[0], parameters={"who": "ann", "team": "ml"})
    assert run.phase == "Succeeded", [n.message for n in run.nodes.values()]
    assert run.by_display("hello")[0].stdout == f"hi ann in w {work}\n"
    assert run.by_display("say")[0].stdout == f"ann/ml {work}\n"


FAKE_DOCKER = r'''#!{python}
import json, os, sys
if sys.argv[1:2] == ["info"]:
    sys.exit(0)
with open(os.environ["FAKE_DOCKER_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\n")
'''


def test_the_image_arrives_in_a_container_run(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The container runtime is asked for the image with the parameter's value (docker is a
    stand-in that records its arguments)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text(FAKE_DOCKER.replace("{python}", sys.executable))
    (bin_dir / "docker").chmod(0o755)
    log = tmp_path / "docker.log"
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("FAKE_DOCKER_LOG", str(log))
    docs, diags = compile_text(tmp_path, HEAD + (
        'box = container("box", f"busybox:{tag}", command=["true"], env={"W": f"{who}"})\n'
        'wf = workflow("w", box())\n'))
    assert diags == []
    run = run_doc(docs[0], parameters={"tag": "1.36"}, no_containers=False)
    assert run.phase == "Succeeded", [n.message for n in run.nodes.values()]
    [args] = [json.loads(line) for line in log.read_text().splitlines()]
    assert "busybox:1.36" in args
    assert args[args.index("-e") + 1] == "W=world"


@pytest.fixture
def server() -> Iterator[tuple[str, list[tuple[str, str | None, bytes]]]]:
    """A local HTTP server recording each request's path, X-Who header and body."""
    seen: list[tuple[str, str | None, bytes]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append((self.path, self.headers.get("X-Who"), body))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()


def test_an_http_call_sends_the_values(
        tmp_path: Path, server: tuple[str, list[tuple[str, str | None, bytes]]]) -> None:
    base, seen = server
    docs, diags = compile_text(tmp_path, HEAD + (
        f'call = http("call", f"{base}/teams/{{team}}", method="POST",\n'
        '            headers={"X-Who": f"{who}"}, body=f"hello {who}")\n'
        'wf = workflow("w", call())\n'))
    assert diags == []
    run = run_doc(docs[0], parameters={"team": "ml", "who": "ann"}, no_http=False)
    assert run.phase == "Succeeded", [n.message for n in run.nodes.values()]
    assert seen == [("/teams/ml", "ann", b"hello ann")]


def _found(source: str, text: str) -> list[tuple[str, int, int]]:
    """(code, line, column) of each diagnostic, the line counted in *text* after HEAD."""
    _, diags = compile_text(Path(source), HEAD + text)
    head = HEAD.count("\n")
    return [(d.code, d.line - head, d.col) for d in diags]


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """(line, column) of *needle* in *text*, 1-based as diagnostics count them."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def test_values_that_differ_per_call_are_tph511_at_the_f_string(tmp_path: Path) -> None:
    text = ("m = make()\n"
            'box = container("box", f"busybox:{m.output}", env={"A": f"x{m.output}"})\n'
            '@task(image=f"python:{m.output}", working_dir=f"/w/{m.output}",\n'
            '      labels={"l": f"{m.output}"})\n'
            "def hello() -> None:\n"
            "    pass\n"
            'wf = workflow("w", pipeline(m, box(), hello()),\n'
            '              run_metadata={"labels": {"s": f"{workflow_status}"}})\n')
    found = _found(str(tmp_path), text)
    expected = [("TPH511", *at(text, 'f"busybox')), ("TPH511", *at(text, 'f"x{')),
                ("TPH511", *at(text, 'f"python')), ("TPH511", *at(text, 'f"/w/')),
                ("TPH511", *at(text, 'f"{m.output}"}')),
                ("TPH511", *at(text, 'f"{workflow_status}'))]
    assert found == sorted(expected, key=lambda f: (f[1], f[2])), found


def test_format_specs_and_other_values_in_option_f_strings(tmp_path: Path) -> None:
    text = ('box = container("box", f"busybox:{tag!r}", env={"A": f"{who:>5}", "B": f"{[1]}"})\n'
            'wf = workflow("w", box())\n')
    found = _found(str(tmp_path), text)
    assert found == [("TPH508", *at(text, "tag!r")), ("TPH508", *at(text, "who:>5")),
                     ("TPH511", *at(text, 'f"{[1]}'))], found


def test_fields_that_take_no_f_string_are_tph519(tmp_path: Path) -> None:
    text = ('@task(cpu=f"{tag}", memory=f"{tag}Mi")\n'
            "def hello() -> None:\n"
            "    pass\n"
            'wf = workflow("w", hello(), labels={"team": f"{team}"})\n')
    _, diags = compile_text(tmp_path, HEAD + text)
    head = HEAD.count("\n")
    found = [(d.code, d.line - head, d.col) for d in diags]
    assert found == [("TPH519", *at(text, 'f"{tag}"')), ("TPH519", *at(text, 'f"{tag}Mi"')),
                     ("TPH519", *at(text, 'f"{team}"'))], found
    by_line = {(d.line - head, d.col): d.message for d in diags}
    # The workflow's own labels: the message says where labels of a run go instead.
    assert "run_metadata" in by_line[at(text, 'f"{team}"')]
    assert "'cpu' takes no f-string" in by_line[at(text, 'f"{tag}"')]


def test_sidecars_init_containers_memoize_and_container_sets(tmp_path: Path) -> None:
    """Helpers hold the template's text too: their f-strings' parameters go with the value,
    declared by the workflows of every task that takes it."""
    docs, diags = compile_text(tmp_path, HEAD + (
        "from tiphys import container_node, container_set, init_container, memoize\n"
        'cache = sidecar("cache", f"redis:{tag}", env={"OWNER": f"{who}"},\n'
        '                args=[f"--name={workflow_name}"])\n'
        'setup = init_container("setup", "busybox", command=["sh", "-c", f"echo {team}"])\n'
        'say = bash("say", "echo hi", sidecars=[cache], init_containers=[setup],\n'
        '           memoize=memoize(f"say-{who}", max_age="1h", cache="say-cache"))\n'
        'pair = container_set("pair", [\n'
        '    container_node("a", f"alpine:{tag}", command=["true"], env={"W": f"{who}"}),\n'
        '    container_node("b", "alpine", command=["true"], working_dir=f"/w/{team}")])\n'
        'w1 = workflow("w1", say())\n'
        'w2 = workflow("w2", pair())\n'))
    assert diags == []
    clean(docs)
    say = templates(docs[0])["say"]
    assert say["sidecars"] == [{
        "name": "cache", "image": "redis:{{workflow.parameters.tag}}",
        "args": ["--name={{workflow.name}}"],
        "env": [{"name": "OWNER", "value": "{{workflow.parameters.who}}"}]}]
    assert say["initContainers"][0]["command"] == ["sh", "-c", "echo {{workflow.parameters.team}}"]
    assert say["memoize"]["key"] == "say-{{workflow.parameters.who}}"
    assert declared(docs[0]) == {"tag": "3.12", "who": "world", "team": "data"}
    a, b = templates(docs[1])["pair"]["containerSet"]["containers"]
    assert a["image"] == "alpine:{{workflow.parameters.tag}}"
    assert a["env"] == [{"name": "W", "value": "{{workflow.parameters.who}}"}]
    assert b["workingDir"] == "/w/{{workflow.parameters.team}}"
    assert declared(docs[1]) == {"tag": "3.12", "who": "world", "team": "data"}


def test_a_task_output_in_a_sidecar_is_tph511(tmp_path: Path) -> None:
    text = ("m = make()\n"
            'side = sidecar("side", f"redis:{m.output}")\n'
            'say = bash("say", "echo hi", sidecars=[side])\n'
            'wf = workflow("w", pipeline(m, say()))\n')
    found = _found(str(tmp_path), text)
    assert found == [("TPH511", *at(text, 'f"redis'))], found


def test_a_composite_input_in_a_template_field_is_tph511(tmp_path: Path) -> None:
    """A composite's input differs per call of the composite; a template defined in its body
    is still one template, so the input must reach it as an argument."""
    text = ("from tiphys import Composite, composite\n"
            "@composite\n"
            "def inner(tag: str) -> Composite:\n"
            '    box = container("box", f"busybox:{tag}", command=["true"], env={"T": f"{tag}"})\n'
            "    return pipeline(box())\n"
            'wf = workflow("w", inner(tag="1"))\n')
    found = _found(str(tmp_path), text)
    assert found == [("TPH511", *at(text, 'f"busybox')), ("TPH511", *at(text, 'f"{tag}"'))], found


def test_mutex_names_at_the_task_and_the_workflow(tmp_path: Path) -> None:
    """Argo takes a template's locks after filling the template in, and a workflow's after
    filling in its spec: a mutex per parameter value (one deploy per environment)."""
    text = ("from tiphys import mutex\n"
            'deploy = bash("deploy", "echo go", synchronization=mutex(f"deploy-{team}"))\n'
            'wf = workflow("w", deploy(), synchronization=mutex(f"run-{who}-{workflow_name}"))\n')
    docs, diags = compile_text(tmp_path, HEAD + text)
    assert diags == []
    clean(docs)
    spec = docs[0]["spec"]
    assert spec["synchronization"] == {
        "mutexes": [{"name": "run-{{workflow.parameters.who}}-{{workflow.name}}"}]}
    assert templates(docs[0])["deploy"]["synchronization"] == {
        "mutexes": [{"name": "deploy-{{workflow.parameters.team}}"}]}
    assert declared(docs[0]) == {"who": "world", "team": "data"}
    bad = ("from tiphys import mutex\n"
           'deploy = bash("deploy", "echo go")\n'
           'wf = workflow("w", deploy(), synchronization=mutex(f"run-{workflow_status}"))\n')
    assert _found(str(tmp_path), bad) == [("TPH511", *at(bad, 'f"run-'))]


def test_a_bare_parameter_is_the_f_string_of_it(tmp_path: Path) -> None:
    """``env={"X": who}`` means ``env={"X": f"{who}"}``; so does ``image=image``."""
    text = ('image = param("image", default="alpine:3")\n'
            'say = bash("say", "echo $X $Y", image=image, env={"X": who, "Y": workflow_name})\n'
            'wf = workflow("w", say(), labels={"who": who})\n')
    docs, diags = compile_text(tmp_path, HEAD + text)
    head = HEAD.count("\n")
    # The workflow's own labels never take one (they are not filled in), said at the value.
    assert [(d.code, d.line - head, d.col) for d in diags] == [
        ("TPH519", *at(text, 'who})'))]
    docs, diags = compile_text(tmp_path, HEAD + text.replace(', labels={"who": who}', ""))
    assert diags == []
    clean(docs)
    say = templates(docs[0])["say"]["script"]
    assert say["image"] == "{{workflow.parameters.image}}"
    assert say["env"] == [{"name": "X", "value": "{{workflow.parameters.who}}"},
                          {"name": "Y", "value": "{{workflow.name}}"}]
    assert declared(docs[0]) == {"image": "alpine:3", "who": "world"}
    run = run_doc(docs[0], parameters={"who": "ann"})
    assert run.by_display("say")[0].stdout == "ann w\n"


def test_a_task_called_in_nested_composites_has_its_parameters_declared(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + (
        "from tiphys import Composite, composite\n"
        'say = bash("say", "echo $X", image=f"alpine:{tag}", env={"X": f"{who}"})\n'
        "@composite\n"
        "def inner(x: str) -> Composite:\n"
        "    return pipeline(say())\n"
        "@composite\n"
        "def outer() -> Composite:\n"
        '    return pipeline(inner(x="a"))\n'
        'wf = workflow("w", outer())\n'))
    assert diags == []
    clean(docs)
    assert declared(docs[0]) == {"tag": "3.12", "who": "world"}
    run = run_doc(docs[0], parameters={"who": "ann"})
    assert [n.stdout for n in run.by_display("say")] == ["ann\n"]
