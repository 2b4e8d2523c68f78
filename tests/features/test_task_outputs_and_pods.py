"""Issue 13, items 3, 8 and 9: record returns (several outputs from one Python task),
container fields (working folder, ports, probes, lifecycle), containerSet, data and plugin
templates; what they emit, how their scripts run in tiphys run's engine, and their misuse
(TPH540-TPH553) at line:col.

Each misuse case marks the expected position with ``⟦``; the marker is removed before
compiling.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from compile_helpers import compile_text
from run_helpers import failed_messages, run_doc

HEAD = """from dataclasses import dataclass
from typing import Annotated, NamedTuple, TypedDict
from tiphys import (task, container, bash, pipeline, dag, workflow, named_output,
    artifact_output, InputArtifact, OutputArtifact, http_probe, tcp_probe, exec_probe,
    lifecycle, container_node, container_set, data, plugin, s3_artifact, secret, empty_dir)
"""

RECORDS = """
class Stats(NamedTuple):
    mean: float
    rows: Annotated[int, named_output("row-count")]
    report: Annotated[str, artifact_output()]

@dataclass
class Split:
    train: list[int]
    ratio: float = 0.5

class Verdict(TypedDict):
    ok: bool
    why: str

@task
def stats(values: list[float]) -> Stats:
    return Stats(sum(values) / len(values), len(values), ",".join(map(str, values)))

@task
def split(n: int) -> Split:
    return Split(list(range(n // 2)))

@task
def judge(mean: float, rows: int, train: list[int], ratio: float) -> Verdict:
    return {"ok": mean > 1 and rows == 2, "why": f"{mean} {rows} {train} {ratio}"}

@task
def show(ok: bool, why: str, report: InputArtifact) -> str:
    with open(report) as f:
        return f"{ok} {why} {f.read()}"
"""


def template(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in doc["spec"]["templates"] if t["name"] == name)


def test_record_fields_are_outputs_that_run(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + RECORDS + """
s = stats(values=[1.0, 2.0])
p = split(n=4)
v = judge(mean=s.output.mean, rows=s.output.rows, train=p.output.train, ratio=p.output.ratio)
out = show(ok=v.output["ok"], why=v.output["why"], report=s.outputs["report"])
wf = workflow("w", pipeline(s, p, v, out))
""")
    assert diags == []
    doc = docs[0]
    assert template(doc, "stats")["outputs"] == {
        "parameters": [
            {"name": "mean", "valueFrom": {"path": "/tmp/tiphys/outputs/mean"}},
            {"name": "row-count", "valueFrom": {"path": "/tmp/tiphys/outputs/row-count"}},
        ],
        "artifacts": [{"name": "report", "path": "/tmp/tiphys/artifacts/out/report"}],
    }
    source = template(doc, "stats")["script"]["source"]
    # The class is shipped without the DSL's markers, its field types as strings.
    assert "class Stats(NamedTuple):\n    mean: 'float'\n    rows: 'int'" in source
    assert "named_output" not in source and "Annotated" not in source
    run = run_doc(doc)
    assert run.phase == "Succeeded", failed_messages(run)
    calls = {name: (inputs, outputs) for name, inputs, outputs in run.calls}
    assert calls["stats"][1]["parameters.mean"] == "1.5"
    assert calls["stats"][1]["parameters.row-count"] == "2"
    assert calls["split"][1]["parameters.train"] == "[0, 1]"
    assert calls["split"][1]["parameters.ratio"] == "0.5"  # the dataclass default
    assert calls["judge"][0] == {"mean": "1.5", "rows": "2", "train": "[0, 1]", "ratio": "0.5"}
    assert calls["show"][1]["parameters.return"] == "True 1.5 2 [0, 1] 0.5 1.0,2.0"


def test_a_field_is_type_checked_against_the_consumer(tmp_path: Path) -> None:
    _, diags = compile_text(tmp_path, HEAD + RECORDS + """
@task
def need_str(x: str) -> None:
    print(x)

s = stats(values=[1.0])
wf = workflow("w", pipeline(s, need_str(x=s.output.rows)))
""")
    assert [d.code for d in diags] == ["TPH191"]
    assert "expected str, got int" in diags[0].message
    assert "a field of -> Stats" in diags[0].message


def test_a_field_can_be_looped_over_and_compared(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + RECORDS + """
@task
def double(x: int) -> int:
    return 2 * x

p = split(n=6)
d = double.map(x=p.output.train).when(p.output.ratio > 0.1)
wf = workflow("w", dag(p, d))
""")
    assert diags == []
    task_d = template(docs[0], "w")["dag"]["tasks"][1]
    assert task_d["withParam"] == "{{tasks.p.outputs.parameters.train}}"
    run = run_doc(docs[0])
    assert run.phase == "Succeeded", failed_messages(run)
    assert sorted(o["parameters.return"] for t, _, o in run.calls if t == "double") == \
        ["0", "2", "4"]


def test_a_record_with_an_output_artifact_parameter_alongside(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + """
class Pair(NamedTuple):
    a: int
    b: str

@task
def both(log: OutputArtifact) -> Pair:
    with open(log, "w") as f:
        f.write("logged")
    return Pair(1, "x")

@task
def read(src: InputArtifact, a: int) -> str:
    with open(src) as f:
        return f.read() + str(a)

b = both()
wf = workflow("w", pipeline(b, read(src=b.outputs["log"], a=b.output.a)))
""")
    assert diags == []
    run = run_doc(docs[0])
    assert run.phase == "Succeeded", failed_messages(run)
    assert run.calls[-1][2]["parameters.return"] == "logged1"


def test_a_wrong_return_value_fails_in_the_pod_with_a_message(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + """
class Pair(NamedTuple):
    a: int
    b: int

@task
def bad() -> Pair:
    return {"a": 1}  # type: ignore[return-value]

wf = workflow("w", bad())
""")
    assert diags == []
    run = run_doc(docs[0])
    assert run.phase == "Failed"
    assert any("has no field 'b'" in m for m in failed_messages(run))


def test_container_fields_are_emitted(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + """
db = container("db", "redis:7", daemon=True, ports={"redis": 6379}, working_dir="/data",
               readiness_probe=tcp_probe("redis", initial_delay=2),
               liveness_probe={"exec": {"command": ["redis-cli", "ping"]}},
               startup_probe=exec_probe(["true"], failure_threshold=30, period=1),
               lifecycle=lifecycle(post_start=["sh", "-c", "echo up"]))
web = bash("web", "pwd", working_dir="/tmp", ports=[8080],
           readiness_probe=http_probe("/healthz", 8080, scheme="https", timeout=2))
wf = workflow("w", pipeline(db(), web()))
""")
    assert diags == []
    body = template(docs[0], "db")["container"]
    assert body["workingDir"] == "/data"
    assert body["ports"] == [{"containerPort": 6379, "name": "redis"}]
    assert body["readinessProbe"] == {"tcpSocket": {"port": "redis"}, "initialDelaySeconds": 2}
    assert body["livenessProbe"] == {"exec": {"command": ["redis-cli", "ping"]}}
    assert body["startupProbe"] == {"exec": {"command": ["true"]}, "periodSeconds": 1,
                                    "failureThreshold": 30}
    assert body["lifecycle"] == {"postStart": {"exec": {"command": ["sh", "-c", "echo up"]}}}
    script = template(docs[0], "web")["script"]
    assert script["readinessProbe"] == {"httpGet": {"path": "/healthz", "port": 8080,
                                                    "scheme": "HTTPS"}, "timeoutSeconds": 2}
    assert script["ports"] == [{"containerPort": 8080}]
    run = run_doc(docs[0])
    assert run.phase == "Succeeded", failed_messages(run)
    assert run.stdout[-1].strip() == "/tmp"  # the script ran in its working folder


def test_container_set_data_and_plugin_templates(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + """
a = container_node("a", "alpine:3.20", command=["sh", "-c", "echo hi > /w/out"])
main = container_node("main", "alpine:3.20", command=["cat", "/w/out"], after=[a],
                      env={"N": "1"})
group = container_set("group", [a, main], inputs=["msg"], volumes={"/w": "w"},
                      outputs={"out": "/w/out"})
files = data("files", s3_artifact("bucket", "logs/"), ['filter(data, {# endsWith ".log"})'])
hello = plugin("hello", "hello", {"greeting": "{{inputs.parameters.who}}"}, inputs=["who"])
wf = workflow("w", pipeline(group(msg="x"), files(), hello(who="me")),
              volumes=[empty_dir("w")])
""")
    assert diags == []
    doc = docs[0]
    cs = template(doc, "group")
    assert cs["outputs"] == {"parameters": [{"name": "out", "valueFrom": {"path": "/w/out"}}]}
    assert cs["containerSet"]["volumeMounts"] == [{"name": "w", "mountPath": "/w"}]
    members = cs["containerSet"]["containers"]
    assert [m["name"] for m in members] == ["a", "main"]
    assert members[1]["dependencies"] == ["a"]
    assert members[1]["env"] == [{"name": "N", "value": "1"},
                                 {"name": "msg", "value": "{{inputs.parameters.msg}}"}]
    assert template(doc, "files")["data"] == {
        "source": {"artifactPaths": {"name": "source", "s3": {"bucket": "bucket",
                                                              "key": "logs/"}}},
        "transformation": [{"expression": 'filter(data, {# endsWith ".log"})'}],
    }
    assert template(doc, "hello")["plugin"] == {"hello": {"greeting":
                                                          "{{inputs.parameters.who}}"}}
    run = run_doc(doc)
    assert run.phase == "Succeeded", failed_messages(run)
    assert set(run.skipped) == {"group", "files", "hello"}  # cluster-only, reported


def test_a_set_result_is_the_main_containers_output(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + """
@task
def use(x: str) -> None:
    print(x)

g = container_set("g", [container_node("main", "alpine:3.20")])()
h = container_set("h", [container_node("other", "alpine:3.20")])()
wf = workflow("w", dag(g, use(x=g), use(x=h.output).named("u2")))
""")
    assert "TPH112" in [d.code for d in diags]  # no container is named main: no result
    docs, diags = compile_text(tmp_path, HEAD + """
@task
def use(x: str) -> None:
    print(x)

g = container_set("g", [container_node("main", "alpine:3.20")])()
wf = workflow("w", dag(g, use(x=g)))
""")
    assert diags == []
    args = template(docs[0], "w")["dag"]["tasks"][1]["arguments"]["parameters"]
    assert args == [{"name": "x", "value": "{{tasks.g.outputs.result}}"}]


MARK = "⟦"
CASES = [
    ("whole-record", RECORDS + """
s = stats(values=[1.0])
wf = workflow("w", pipeline(s, show(ok=True, why=⟦s, report=s.outputs["report"])))
""", "TPH540"),
    ("whole-record-output", RECORDS + """
s = stats(values=[1.0])
wf = workflow("w", pipeline(s, show(ok=True, why=⟦s.output, report=s.outputs["report"])))
""", "TPH540"),
    ("whole-record-workflow-output", RECORDS + """
s = stats(values=[1.0])
wf = workflow("w", s, outputs={"stats": ⟦s.output})
""", "TPH540"),
    ("method-in-record", """
class Bad(NamedTuple):
    a: int
    ⟦def f(self) -> int:
        return 1

@task
def t() -> Bad:
    return Bad(1)
wf = workflow("w", t())
""", "TPH541"),
    ("empty-record", """
⟦class Empty(TypedDict):
    pass

@task
def t() -> Empty:
    return {}
wf = workflow("w", t())
""", "TPH541"),
    ("bad-output-name", """
class Bad(NamedTuple):
    a: Annotated[int, ⟦named_output("a b")]

@task
def t() -> Bad:
    return Bad(1)
wf = workflow("w", t())
""", "TPH542"),
    ("duplicate-output-name", """
class Bad(NamedTuple):
    a: int
    b: Annotated[int, ⟦named_output("a")]

@task
def t() -> Bad:
    return Bad(1, 2)
wf = workflow("w", t())
""", "TPH542"),
    ("non-literal-default", """
@dataclass
class Bad:
    a: list[int] = ⟦list()

@task
def t() -> Bad:
    return Bad()
wf = workflow("w", t())
""", "TPH543"),
    ("artifact-twice", """
class Bad(NamedTuple):
    log: Annotated[str, artifact_output()]

@task
def t(log: OutputArtifact) -> ⟦Bad:
    return Bad("x")
wf = workflow("w", t())
""", "TPH544"),
    ("no-such-field", RECORDS + """
s = stats(values=[1.0])
wf = workflow("w", pipeline(s, show(ok=True, why=s.output.⟦median, report=s.outputs["report"])))
""", "TPH545"),
    ("relative-working-dir", """
t = container("t", "alpine", working_dir=⟦"src")
wf = workflow("w", t())
""", "TPH546"),
    ("bad-ports", """
t = container("t", "alpine", ports=⟦["http"])
wf = workflow("w", t())
""", "TPH546"),
    ("probe-port", """
t = container("t", "alpine", readiness_probe=http_probe("/", ⟦0))
wf = workflow("w", t())
""", "TPH547"),
    ("empty-lifecycle", """
t = container("t", "alpine", lifecycle=⟦lifecycle())
wf = workflow("w", t())
""", "TPH547"),
    ("probe-dict-wrong", """
t = container("t", "alpine", liveness_probe={"httpGet": ⟦{"path": "/"}})
wf = workflow("w", t())
""", "TPH548"),
    ("helper-in-wrong-place", """
t = container("t", "alpine", startup_probe=⟦secret("s", "k"))
wf = workflow("w", t())
""", "TPH548"),
    ("bad-member-name", """
g = container_set("g", [container_node(⟦"Main", "alpine")])
wf = workflow("w", g())
""", "TPH549"),
    ("not-a-member", """
g = container_set("g", [⟦"alpine"])
wf = workflow("w", g())
""", "TPH549"),
    ("unknown-dependency", """
g = container_set("g", [⟦container_node("a", "alpine", after=["b"])])
wf = workflow("w", g())
""", "TPH550"),
    ("dependency-cycle", """
g = container_set("g", [⟦container_node("a", "alpine", after=["b"]),
                        container_node("b", "alpine", after=["a"])])
wf = workflow("w", g())
""", "TPH550"),
    ("data-source", """
d = data("d", ⟦"s3://bucket", ["data"])
wf = workflow("w", d())
""", "TPH551"),
    ("data-no-transformations", """
d = data("d", s3_artifact("b", "k"), ⟦[])
wf = workflow("w", d())
""", "TPH551"),
    ("plugin-name", """
p = plugin("p", ⟦"Hello", {"a": 1})
wf = workflow("w", p())
""", "TPH552"),
    ("plugin-input", """
p = plugin("p", "hello", ⟦{"a": "{{inputs.parameters.x}}"})
wf = workflow("w", p())
""", "TPH553"),
]


def _unmark(source: str) -> tuple[str, int, int]:
    index = source.index(MARK)
    before = source[:index]
    line = before.count("\n") + 1
    col = index - (before.rfind("\n") + 1) + 1
    return source.replace(MARK, "", 1), line, col


@pytest.mark.parametrize("source,code", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_misuse_is_reported_where_it_is(tmp_path: Path, source: str, code: str) -> None:
    text, line, col = _unmark(HEAD + source)
    docs, diags = compile_text(tmp_path, text)
    found = [(d.line, d.col) for d in diags if d.code == code]
    assert found, f"expected {code}; got {[(d.code, d.line, d.col, d.message) for d in diags]}"
    assert "TPH900" not in {d.code for d in diags}, "a user's mistake is not an internal error"
    assert (line, col) in found, (code, found, [(d.code, d.message) for d in diags])
    assert docs == [], "nothing may be emitted when there are errors"
