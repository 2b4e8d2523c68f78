"""``dag(..., fail_fast=False)``: Argo's ``failFast: false`` on the DAG template, checked."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from tiphys.compiler.cli import main

SOURCE = '''\
from tiphys import bash, dag, pipeline, workflow

ok = bash("ok", "echo fine", image="alpine:3.20", shell="sh")
bad = bash("bad", "exit 3", image="alpine:3.20", shell="sh")

a = ok().named("a")
b = bad().named("b").after(a)
c = ok().named("c").after(a)
d = ok().named("d").after(c)
flow = workflow("ff", dag(a, b, c, d{options}))
'''


def _compile(tmp_path: Path, options: str) -> tuple[int, str]:
    src = tmp_path / "flow.py"
    src.write_text(SOURCE.format(options=options))
    result = CliRunner().invoke(main, ["compile", str(src)])
    return result.exit_code, result.output


def _dag(output: str) -> dict[str, object]:
    doc = next(d for d in yaml.safe_load_all(output) if d)
    entry = doc["spec"]["templates"][0]
    assert entry["name"] == "ff"
    dag: dict[str, object] = entry["dag"]
    return dag


def test_fail_fast_false_is_written(tmp_path: Path) -> None:
    code, out = _compile(tmp_path, ", fail_fast=False")
    assert code == 0, out
    assert _dag(out)["failFast"] is False


def test_the_default_writes_nothing(tmp_path: Path) -> None:
    for options in ("", ", fail_fast=True"):
        code, out = _compile(tmp_path, options)
        assert code == 0, out
        assert "failFast" not in _dag(out)


def test_fail_fast_must_be_a_literal_bool(tmp_path: Path) -> None:
    code, out = _compile(tmp_path, ', fail_fast="no"')
    assert code == 1
    assert "flow.py:10:49: " in out and "'fail_fast' must be True or False" in out


def test_pipeline_takes_no_fail_fast(tmp_path: Path) -> None:
    src = tmp_path / "flow.py"
    src.write_text(SOURCE.format(options="").replace(
        'dag(a, b, c, d)', 'pipeline(a, c, d, fail_fast=False)'))
    result = CliRunner().invoke(main, ["compile", str(src)])
    assert result.exit_code == 1
    assert "flow.py:10:" in result.output
    assert "pipeline() has no parameter 'fail_fast'" in result.output


def test_every_branch_runs_to_its_end(tmp_path: Path) -> None:
    """b fails; c and d (another branch) still run, and the workflow fails."""
    src = tmp_path / "flow.py"
    src.write_text(SOURCE.format(options=", fail_fast=False"))
    result = CliRunner().invoke(main, ["run", str(src), "--output", "plain"])
    assert result.exit_code != 0, result.output
    assert "ff.d Succeeded" in result.output, result.output
    assert "ff.b Failed" in result.output, result.output
