"""A loop's outputs are a list (and missing when every run is skipped), and Argo gathers no
artifacts over a loop's runs: choose()/or_default() of a loop's output (TPH506), a loop's
artifact passed on (TPH470) or exposed by a composite (TPH505) are errors where written."""

from __future__ import annotations

from pathlib import Path

import pytest

from compile_helpers import compile_text

HEAD = '''from tiphys import Composite, InputArtifact, OutputArtifact, choose, composite, pipeline
from tiphys import task, workflow

@task
def count(n: int) -> int:
    return n

@task
def write(title: str, report: OutputArtifact) -> None:
    open(report, "w").write(title)

@task
def read(report: InputArtifact) -> None:
    print(open(report).read())

'''


@pytest.mark.parametrize(("body", "at", "message"), [
    ('loop = count.map(n=[1, 2])\none = count(n=3)\n'
     'wf = workflow("w", pipeline(loop, one), outputs={"x": choose(loop.output, one.output)})',
     "loop.output,", "TPH506 choose() of 'loop', a loop"),
    ('loop = count.map(n=[1, 2])\n'
     'wf = workflow("w", pipeline(loop), outputs={"x": loop.output.or_default(0)})',
     "loop.output.or_default", "TPH506 .or_default() of 'loop', a loop"),
    ('w = write.map(title=["a", "b"])\n'
     'wf = workflow("w", pipeline(w, read(report=w.outputs["report"])))',
     'w.outputs["report"])', "TPH470 input 'report' of task 'read' reads artifact 'report' "
     "of a loop"),
    ('@composite\ndef many() -> Composite:\n    w = write.map(title=["a", "b"])\n'
     '    return pipeline(w, outputs={"rep": w.outputs["report"]})\n\nwf = workflow("w", many())',
     'w.outputs["report"]}', "TPH505 a composite output is artifact 'report' of a loop"),
])
def test_a_loop_s_output_where_one_value_is_needed(tmp_path: Path, body: str, at: str,
                                                   message: str) -> None:
    _, diags = compile_text(tmp_path, HEAD + body + "\n")
    lines = (HEAD + body).split("\n")
    line_no = next(i for i, line in enumerate(lines, 1) if at in line)
    where = f"{line_no}:{lines[line_no - 1].index(at) + 1}"
    shown = [f"{d.line}:{d.col} {d.code} {d.message}" for d in diags]
    assert any(s.startswith(f"{where} ") and message in s for s in shown), (where, shown)


def test_a_loop_s_list_still_feeds_a_task_after_it(tmp_path: Path) -> None:
    _, diags = compile_text(tmp_path, HEAD + '''
@task
def total(ns: list[int]) -> int:
    return sum(ns)

loop = count.map(n=[1, 2])
wf = workflow("w", pipeline(loop, total(ns=loop.output)))
''')
    assert not diags, diags
