"""Artifacts: Python and container tasks, passing between tasks and across templates,
locations and settings, run with tiphys run's engine; and their misuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from compile_helpers import compile_text
from run_helpers import run_doc

HEAD = """from tiphys import (task, container, dag, pipeline, workflow, InputArtifact,
    OutputArtifact, artifact, s3_artifact, gcs_artifact, git_artifact, raw_artifact)

@task
def produce(text: str, out: OutputArtifact) -> None:
    with open(out, "w") as f:
        f.write(text)

@task
def consume(src: InputArtifact) -> str:
    return open(src).read().upper()
"""


def template(doc: dict, name: str) -> dict:  # type: ignore[type-arg]
    return next(t for t in doc["spec"]["templates"] if t["name"] == name)


def test_python_artifacts_pass_between_tasks(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + """
p = produce(text="hello")
c = consume(src=p.outputs["out"])
wf = workflow("w", pipeline(p, c))
""")
    assert diags == []
    doc = docs[0]
    assert template(doc, "produce")["outputs"] == {"artifacts": [
        {"name": "out", "path": "/tmp/tiphys/artifacts/out/out"}]}
    assert template(doc, "consume")["inputs"] == {"artifacts": [
        {"name": "src", "path": "/tmp/tiphys/artifacts/in/src"}]}
    assert "env" not in template(doc, "consume")["script"]  # a file, not an env variable
    assert "InputArtifact = str" in template(doc, "consume")["script"]["source"]
    step = doc["spec"]["templates"][0]["steps"][1][0]
    assert step["arguments"] == {"artifacts": [
        {"name": "src", "from": "{{steps.p.outputs.artifacts.out}}"}]}
    run = run_doc(doc)
    assert run.calls[-1][2]["parameters.return"] == "HELLO"


def test_a_node_with_one_artifact_passes_it(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + """
p = produce(text="x")
wf = workflow("w", dag(consume(src=p)))
""")
    assert diags == []
    assert run_doc(docs[0]).calls[-1][2]["parameters.return"] == "X"


@pytest.mark.parametrize("source,argo", [
    ('s3_artifact("b", "k/x.csv", endpoint="minio:9000", insecure=True, '
     'access_key_secret=("creds", "access"))',
     {"s3": {"accessKeySecret": {"key": "access", "name": "creds"}, "bucket": "b",
             "endpoint": "minio:9000", "insecure": True, "key": "k/x.csv"}}),
    ('gcs_artifact("b", "k")', {"gcs": {"bucket": "b", "key": "k"}}),
    ('git_artifact("https://github.com/argoproj/argo-workflows.git", revision="v3.6.0", '
     'depth=1)', {"git": {"depth": 1, "repo": "https://github.com/argoproj/argo-workflows.git",
                          "revision": "v3.6.0"}}),
    ('raw_artifact("a,b\\n1,2")', {"raw": {"data": "a,b\n1,2"}}),
])
def test_locations(tmp_path: Path, source: str, argo: dict) -> None:  # type: ignore[type-arg]
    docs, diags = compile_text(tmp_path, HEAD + f"""
wf = workflow("w", consume(src={source}))
""")
    assert diags == []
    step = docs[0]["spec"]["templates"][0]["steps"][0][0]
    assert step["arguments"]["artifacts"] == [{"name": "src", **argo}]
    run_doc(docs[0])


def test_output_settings_and_container_artifacts(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + """
@task(artifacts={"model": artifact(archive="none", location=s3_artifact("m", "model.bin")),
                 "log": artifact(optional=True, archive="tar")})
def train(model: OutputArtifact, log: OutputArtifact) -> None:
    open(model, "w").write("w")

report = container("report", "alpine:3.20", command=["sh", "-c", "wc -l /in/data > /out/r"],
                   input_artifacts={"data": "/in/data"}, output_artifacts={"r": "/out/r"},
                   artifacts={"r": artifact(archive="zip")})
t = train()
wf = workflow("w", pipeline(t, report(data=t.outputs["model"])))
""")
    assert [d for d in diags if d.is_error] == [], diags
    doc = docs[0]
    assert template(doc, "train")["outputs"]["artifacts"] == [
        {"name": "model", "path": "/tmp/tiphys/artifacts/out/model", "archive": {"none": {}},
         "s3": {"bucket": "m", "key": "model.bin"}},
        {"name": "log", "path": "/tmp/tiphys/artifacts/out/log", "optional": True,
         "archive": {"tar": {}}},
    ]
    r = template(doc, "report")
    assert r["inputs"] == {"artifacts": [{"name": "data", "path": "/in/data"}]}
    assert r["outputs"] == {"artifacts": [{"name": "r", "path": "/out/r", "archive": {"zip": {}}}]}


MISUSE = [
    ("literal-to-artifact", 'consume(src="/tmp/file")', "TPH470"),
    ("artifact-to-parameter", 'produce(text=produce(text="x").outputs["out"])', "TPH471"),
    ("location-to-parameter", 'produce(text=s3_artifact("b", "k"))', "TPH471"),
    ("bad-secret-pair", 'consume(src=s3_artifact("b", "k", access_key_secret="creds"))',
     "TPH472"),
    ("bad-git-repo", 'consume(src=git_artifact("not a url"))', "TPH472"),
    ("unknown-output", 'consume(src=produce(text="x").outputs["nope"])', "TPH114"),
]


@pytest.mark.parametrize("expr,code", [m[1:] for m in MISUSE], ids=[m[0] for m in MISUSE])
def test_misuse(tmp_path: Path, expr: str, code: str) -> None:
    docs, diags = compile_text(tmp_path, HEAD + f"\nnode = {expr}\nwf = workflow('w', dag(node))\n")
    found = [d for d in diags if d.code == code]
    assert found, [(d.code, d.message) for d in diags]
    assert found[0].line == HEAD.count("\n") + 2
    assert docs == []


@pytest.mark.parametrize("decl,code", [
    ('@task(artifacts={"modle": artifact()})\ndef t(model: OutputArtifact) -> None: ...',
     "TPH475"),
    ('@task(artifacts={"model": artifact(archive="rar")})\n'
     'def t(model: OutputArtifact) -> None: ...', "TPH473"),
    ('@task\ndef t(model: OutputArtifact = "x") -> None: ...', "TPH474"),
])
def test_declaration_misuse(tmp_path: Path, decl: str, code: str) -> None:
    _, diags = compile_text(tmp_path, HEAD + "\n" + decl + "\nwf = workflow('w', t())\n")
    assert code in [d.code for d in diags], [(d.code, d.message) for d in diags]


def test_artifact_read_before_written(tmp_path: Path) -> None:
    _, diags = compile_text(tmp_path, HEAD + """
p = produce(text="x")
c = consume(src=p.outputs["out"])
wf = workflow("w", pipeline(c, p))
""")
    assert "TPH303" in [d.code for d in diags]
