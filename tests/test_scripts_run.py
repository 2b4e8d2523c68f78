"""Every emitted Python script runs in a real interpreter, fed the way Argo feeds it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from compile_helpers import compile_sample, compile_text, load_all
from conftest import sample_files
from run_helpers import failed_messages, run_doc

SAMPLES = sample_files()
needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


@needs_bash
@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_sample_runs_end_to_end(sample: Path) -> None:
    docs = load_all(compile_sample(sample))
    for doc in docs:
        run = run_doc(doc, library=docs)
        assert run.phase == "Succeeded", [(n.name, n.phase, n.message) for n in
                                           run.nodes.values() if n.phase in ("Failed", "Error")]
        spec = doc["spec"].get("workflowSpec", doc["spec"])  # a CronWorkflow's runs
        python_templates = {
            t["name"] for t in spec["templates"]
            if t.get("script", {}).get("command") == ["python"]
        }
        ran = {name for name, _, _ in run.calls}
        # A step that needs what only a cluster or the network has is reported, not run.
        reported = {n.template for n in run.nodes.values()
                    if n.phase == "Skipped" and n.message.startswith("not run: ")}
        assert python_templates <= ran | reported, python_templates - ran


def _outputs(sample: str) -> dict[str, list[dict[str, str]]]:
    from conftest import SAMPLES as DIR

    doc = load_all(compile_sample(DIR / sample))[0]
    run = run_doc(doc)
    by_name: dict[str, list[dict[str, str]]] = {}
    for name, _, outputs in run.calls:
        by_name.setdefault(name, []).append(outputs)
    return by_name


@needs_bash
def test_etl_data_flows() -> None:
    out = _outputs("etl.py")
    rows = json.loads(out["extract"][0]["parameters.return"])
    assert len(rows) == 20
    summary = json.loads(out["transform"][0]["parameters.return"])
    big = [r for r in rows if r["amount"] >= 50]
    assert summary == {"count": len(big), "total": sum(r["amount"] for r in big)}
    assert out["load"][0]["parameters.return"] == (
        f"daily_totals: {summary['count']} rows, total {summary['total']}"
    )


@needs_bash
def test_fan_in_total() -> None:
    out = _outputs("fan_out_fan_in.py")
    assert sorted(o["parameters.return"] for o in out["count-words"]) == ["9", "9", "9"]
    assert out["total"][0]["parameters.return"] == "27"


@needs_bash
def test_diamond() -> None:
    out = _outputs("diamond_dag.py")
    assert json.loads(out["join"][0]["parameters.return"]) == {"left": 43, "right": 420, "sum": 463}


@needs_bash
def test_module_names_are_carried() -> None:
    out = _outputs("module_names.py")
    result = json.loads(out["summarise"][0]["parameters.return"])
    assert result == {"unit": "celsius", "mean": 19.94, "scaled": [0.42, 0.67, 0.57, 1.0]}


TRICKY = [
    "it's",
    "'''triple'''",
    '"""double triple"""',
    "back\\slash\\",
    "line one\nline two\n",
    "{{workflow.name}} and {{inputs.parameters.text}}",
    "unicode: é ü 中文 🚀",
    "",
    "  leading and trailing  ",
    "tab\there",
    "$(HOME) ${PATH} `id`",
]

ECHO = '''
from tiphys import task, workflow, pipeline, param

@task
def echo(text: str) -> str:
    return text

@task
def roundtrip(data: dict, items: list, n: int, x: float, flag: bool) -> dict:
    return {"data": data, "items": items, "n": n, "x": x, "flag": flag}

wf = workflow("echo", pipeline(echo(text=param("text", default="x")), roundtrip(
    data=param("data", default={"a": 1}), items=param("items", default=[1]),
    n=param("n", default=1), x=param("x", default=1.5), flag=param("flag", default=True))))
'''


@pytest.mark.parametrize("value", TRICKY, ids=range(len(TRICKY)))
def test_tricky_string_values_arrive_exactly(tmp_path: Path, value: str) -> None:
    docs, diags = compile_text(tmp_path, ECHO)
    assert not [d for d in diags if d.is_error], diags
    run = run_doc(docs[0], {"text": value})
    echo = next(outputs for name, _, outputs in run.calls if name == "echo")
    assert echo["parameters.return"] == value


@pytest.mark.parametrize("value", TRICKY, ids=range(len(TRICKY)))
def test_tricky_json_values_arrive_exactly(tmp_path: Path, value: str) -> None:
    docs, _ = compile_text(tmp_path, ECHO)
    data = {"k": value, "nested": [value, {"v": value}]}
    params = {"data": json.dumps(data), "items": json.dumps([value, 1, None]),
              "n": "42", "x": "-0.25", "flag": "false"}
    run = run_doc(docs[0], params)
    result = next(outputs for name, _, outputs in run.calls if name == "roundtrip")
    assert json.loads(result["parameters.return"]) == {
        "data": data, "items": [value, 1, None], "n": 42, "x": -0.25, "flag": False,
    }


def test_bad_json_input_fails_with_a_clear_message(tmp_path: Path) -> None:
    docs, _ = compile_text(tmp_path, ECHO)
    run = run_doc(docs[0], {"n": "not json"})
    assert run.phase == "Failed"
    assert any("input 'n' is not valid JSON" in m for m in failed_messages(run))


SHADOWS = '''
import json as j
from tiphys import task, workflow, pipeline

@task
def result(text: str) -> str:
    return text + "!"

@task
def json(x: int) -> int:
    return x + 1

@task
def os(value: str) -> dict[str, str]:
    return {"got": value, "dumped": j.dumps(value)}

r = result(text="hi")
wf = workflow("shadows", pipeline(r, json(x=41), os(value=r)))
'''


def test_task_names_that_shadow_wrapper_modules_still_run(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, SHADOWS)
    assert not [d for d in diags if d.is_error], diags
    run = run_doc(docs[0])
    outs = {name: o["parameters.return"] for name, _, o in run.calls}
    assert outs == {"result": "hi!", "json": "42", "os": '{"got": "hi!", "dumped": "\\"hi!\\""}'}
