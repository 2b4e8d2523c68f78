"""``script(name, source, image=, command=[...])``: a script in another language, written as
Argo's script template, its inputs as environment variables, its output what it prints."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compile_helpers import compile_text
from run_helpers import run_doc

HEAD = "from tiphys import pipeline, script, workflow\n"


def test_the_template_runs_the_command_on_the_source(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + '''
hello = script("hello", "console.log('hi ' + process.env.who)", image="node:22-alpine",
               command=["node"], inputs=["who"], retries=1)
wf = workflow("w", hello(who="you"))
''')
    assert not diags, diags
    t = next(t for t in docs[0]["spec"]["templates"] if t["name"] == "hello")
    assert t["script"]["command"] == ["node"]
    assert t["script"]["image"] == "node:22-alpine"
    assert t["script"]["source"] == "console.log('hi ' + process.env.who)"
    assert t["script"]["env"] == [{"name": "who", "value": "{{inputs.parameters.who}}"}]
    assert t["retryStrategy"] == {"limit": 1}


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_a_node_script_runs_and_its_output_feeds_the_next(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, HEAD + '''
double = script("double", "console.log(2 * Number(process.env.n))", image="node:22-alpine",
                command=["node"], inputs=["n"])
first = double(n="21")
wf = workflow("w", pipeline(first, double(n=first.output).named("again")))
''')
    assert not diags, diags
    run = run_doc(docs[0])
    assert run.phase == "Succeeded", run.message
    outputs = {n.display: n.outputs.get("result") for n in run.nodes.values() if n.type == "Pod"}
    assert outputs == {"first": "42", "again": "84"}


@pytest.mark.parametrize(("call", "at", "message"), [
    ('script("s", "x", image="node:22")', "script(", "TPH100 script() is missing the argument(s) 'command'"),
    ('script("s", "x", command=["node"])', "script(", "TPH100 script() is missing the argument(s) 'image'"),
    ('script("s", "x", image="node:22", command=[])', "[]",
     "TPH131 'command' must be the interpreter and its options"),
    ('script("s", "x", image="node:22", command=["node"], shell="sh")', "shell",
     "TPH100 script() has no parameter 'shell'"),
])
def test_misuse_is_reported_where_written(tmp_path: Path, call: str, at: str,
                                          message: str) -> None:
    line = f"s = {call}"
    _, diags = compile_text(tmp_path, HEAD + line + '\nwf = workflow("w", s())\n')
    where = f"2:{line.index(at) + 1}"
    shown = [f"{d.line}:{d.col} {d.code} {d.message}" for d in diags]
    assert any(s.startswith(f"{where} ") and message in s for s in shown), (where, shown)
