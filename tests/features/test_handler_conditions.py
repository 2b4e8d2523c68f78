"""A hook or exit handler runs as a whole template: a ``.when()`` or ``.map()`` on the handler
call would be dropped by Argo (and a recursive handler would never stop), so it is TPH435."""

from __future__ import annotations

from pathlib import Path

import pytest

from compile_helpers import compile_text

HEAD = '''from tiphys import composite, Composite, hook, param, pipeline, task, workflow, workflow_status

@task
def step_up(n: int) -> int:
    return n + 1

@task
def notify(n: int) -> None:
    print("notified", n)

up = step_up(n=5)
'''


@pytest.mark.parametrize("body", [
    'wf = workflow("w", pipeline(up.on_exit(notify(n=up.output).when(up.output < 3))))',
    'wf = workflow("w", pipeline(up), on_exit=notify(n=1).when(param("go", "no") == "yes"))',
    'wf = workflow("w", pipeline(up), on_exit=notify.map(n=[1, 2]))',
    'wf = workflow("w", pipeline(up.hook("big", notify(n=1).when(up.output > 2), '
    'when=up.output > 1)))',
])
def test_a_condition_or_loop_on_the_handler_call_is_an_error(tmp_path: Path, body: str) -> None:
    _, diags = compile_text(tmp_path, HEAD + body + "\n")
    codes = [d.code for d in diags]
    assert "TPH435" in codes, [f"{d.line}:{d.col} {d.code} {d.message}" for d in diags]
    d = next(d for d in diags if d.code == "TPH435")
    assert d.line == HEAD.count("\n") + 1
    assert body[d.col - 1:].startswith("notify"), (d.col, body)


def test_a_recursive_handler_needs_its_condition_inside(tmp_path: Path) -> None:
    """The recursive call's .when() would be dropped in a hook: the composite never stops."""
    _, diags = compile_text(tmp_path, HEAD + '''
@composite
def loop(counter: int) -> Composite:
    up = step_up(n=counter)
    return pipeline(up.on_exit(loop(counter=up.output).when(up.output < 3)))

wf = workflow("w", pipeline(loop(counter=0)))
''')
    assert "TPH435" in [d.code for d in diags], diags


def test_conditions_inside_a_handler_composite_compile(tmp_path: Path) -> None:
    _, diags = compile_text(tmp_path, HEAD + '''
wf = workflow("w", pipeline(up), on_exit=pipeline(
    notify(n=1).when(workflow_status == "Succeeded"),
    notify(n=2).when(workflow_status != "Succeeded")))
''')
    assert not [d for d in diags if d.is_error], diags
