"""``tiphys graph``: every sample's picture is checked against a golden file (rewritten with
``--update-goldens``), and the pictures are well formed and say what the workflow does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tiphys.compiler.cli import main

from conftest import REPO, SAMPLES

GOLDEN = Path(__file__).resolve().parent / "golden"
CH = REPO / "samples" / "cloudharness"
HERA = REPO / "samples" / "hera"
ALL = [*sorted(SAMPLES.glob("*.py")), *sorted(CH.glob("*.py")), *sorted(HERA.glob("*.py"))]
IDS = [p.stem if p.parent == SAMPLES else f"{p.parent.name}-{p.stem}" for p in ALL]


def graph(path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["graph", str(path), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("fmt,suffix", [("mermaid", "mmd"), ("dot", "dot")])
@pytest.mark.parametrize("sample", ALL, ids=IDS)
def test_graph_matches_golden(sample: Path, fmt: str, suffix: str, update_goldens: bool) -> None:
    text = graph(sample, "--format", fmt)
    golden = GOLDEN / f"{IDS[ALL.index(sample)]}.{suffix}"
    if update_goldens:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run pytest --update-goldens"
    assert text == golden.read_text(encoding="utf-8")


def test_every_golden_has_a_sample() -> None:
    expected = {f"{i}.{s}" for i in IDS for s in ("mmd", "dot")}
    assert {p.name for p in GOLDEN.iterdir()} == expected


@pytest.mark.parametrize("sample", ALL, ids=IDS)
def test_mermaid_is_well_formed(sample: Path) -> None:
    lines = graph(sample).splitlines()
    assert lines[0] == "flowchart TD"
    declared = set()
    depth = 0
    for line in lines[1:]:
        text = line.strip()
        if text.startswith("subgraph "):
            depth += 1
            declared.add(text.split()[1].split("[")[0])
        elif text == "end":
            depth -= 1
        elif "-->" not in text and "-.->" not in text:
            declared.add(re.match(r"[A-Za-z0-9_]+", text).group(0))  # type: ignore[union-attr]
        assert depth >= 0
    assert depth == 0
    for line in lines:
        m = re.match(r"\s+(\S+) (?:-->|-\.->)(?:\|\"[^\"]*\"\|)? (\S+)$", line)
        if m:
            assert {m.group(1), m.group(2)} <= declared, line


@pytest.mark.parametrize("sample", ALL, ids=IDS)
def test_dot_is_well_formed(sample: Path) -> None:
    text = graph(sample, "--format", "dot")
    assert text.startswith("digraph tiphys {") and text.count("{") == text.count("}")
    nodes = set(re.findall(r"^\s+(\w+) \[label=", text, re.M))
    for src, dst in re.findall(r"^\s+(\w+) -> (\w+)", text, re.M):
        assert {src, dst} <= nodes


def test_conditions_loops_and_results_label_the_edges() -> None:
    text = graph(SAMPLES / "conditions.py")
    assert '-->|"when coin.output == \'heads\'"| wf_coinflip__heads' in text
    loops = graph(SAMPLES / "loops.py")
    assert 'wf_loops__rows["rows<br/>rows-in<br/>for each in files.output"]' in loops
    assert "for each of [1, 2, 3]" in loops and "for i in 1..3" in loops
    assert 'wf_nightly_orders__orders["orders<br/>fetch-orders<br/>retries: 4"]' in \
        graph(SAMPLES / "run_control.py")
    deps = graph(SAMPLES / "dependency_logic.py")
    assert '-->|"Failed"| wf_dependency_logic__fallback' in deps
    assert 'wf_dependency_logic__primary -->|"one of"| wf_dependency_logic__summary' in deps
    assert '-->|"Succeeded or Failed"| wf_dependency_logic__always' in deps


def test_exit_handlers_and_hooks_are_dashed() -> None:
    text = graph(SAMPLES / "exit_handlers.py")
    assert 'wf_exit_handlers -.->|"on exit"| wf_exit_handlers__hook_exit' in text
    assert "wf_exit_handlers__model -.->|\"on exit\"| wf_exit_handlers__model__hook_exit" in text
    assert "workflow.status == 'Running'" in text


def test_nested_composites_are_subgraphs() -> None:
    text = graph(SAMPLES / "artifacts.py", "--workflow", "artifacts-nested")
    assert 'subgraph wf_artifacts_nested__pipeline["pipeline"]' in text
    assert "wf_artifacts_nested__data --> wf_artifacts_nested__pipeline" in text
    assert "subgraph wf_artifacts[" not in text  # --workflow picks one


def test_template_kinds_have_their_shapes() -> None:
    text = graph(SAMPLES / "template_kinds.py")
    assert 'wf_release__approval{{"approval<br/>approve"}}' in text  # suspend
    assert 'wf_release__health[/"health<br/>ping"/]' in text  # http
    assert 'wf_release__rollout[("rollout<br/>deploy")]' in text  # resource
    assert 'wf_release__hello[["hello<br/>ref hello-tiphys/greet"]]' in text


def test_graph_usage_and_compile_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["graph", str(SAMPLES / "etl.py"), "--workflow", "x"])
    assert result.exit_code == 2 and "no workflow named 'x'" in result.stderr
    bad = tmp_path / "bad.py"
    bad.write_text("from tiphys import task, workflow\n\n@task\ndef t(x: int) -> None:\n"
                   "    pass\n\nwf = workflow('w', t(y=1))\n")
    result = CliRunner().invoke(main, ["graph", str(bad)])
    assert result.exit_code == 1 and "TPH100" in result.stderr


def test_readme_picture_is_the_graph_of_its_sample() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"`tiphys graph samples/conditions.py`:\n\n```mermaid\n(.*?)```", readme, re.S)
    assert block, "README lost its rendered picture"
    assert block.group(1) == graph(SAMPLES / "conditions.py")


@pytest.mark.parametrize("command", ["run", "graph"])
def test_every_option_is_documented(command: str) -> None:
    doc = (REPO / "docs" / "run.md").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, [command, "--help"])
    options = set(re.findall(r"^\s+(?:-\w, )?(--[\w-]+)", result.stdout, re.M)) - {"--help"}
    assert options, result.stdout
    assert sorted(o for o in options if o not in doc) == []
