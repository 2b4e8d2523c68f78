"""Every TPH6xx diagnostic of the CloudHarness front end, at its line and column.

Each case is a file (after the import line) with one mistake; the expected list is every
diagnostic of the file: (code, severity initial, line, column).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ch_helpers import HEADER, compile_path

from tiphys.compiler.diagnostics import Diagnostic

CASES: dict[str, tuple[str, list[tuple[str, str, int, int]]]] = {
    'TPH600': ("op = operations.DirectOperation('d', print)\n",
              [('TPH600', 'i', 2, 6)]),
    'TPH602': ("def f():\n    print(1)\n\n\nlst = []\nfor i in range(3):\n    lst.append(tasks.PythonTask('p', f))\nop = operations.ParallelOperation('x-', lst)\n",
              [('TPH602', 'e', 9, 41)]),
    'TPH603': ("op = operations.PipelineOperation('x-', [tasks.BashTask('a', 'ls'), 'oops'])\n",
              [('TPH603', 'e', 2, 69)]),
    'TPH604': ("def controller(name):\n    op = operations.SingleTaskOperation(name, tasks.BashTask('a', 'ls'))\n",
              [('TPH604', 'e', 3, 41)]),
    'TPH605': ("op = operations.SingleTaskOperation('x-', tasks.BashTask('a', 'ls'), None, None, None, None, 'extra')\n",
              [('TPH605', 'e', 2, 94)]),
    'TPH606': ("op = operations.SingleTaskOperation('x-', tasks.BashTask('a', 'ls'), shared_volume_sise=3)\n",
              [('TPH606', 'w', 2, 70)]),
    'TPH607': ("op = operations.CompositeOperation('x-', [])\n",
              [('TPH607', 'e', 2, 6)]),
    'TPH610': ("op = operations.SingleTaskOperation('My Op', tasks.BashTask('a', 'ls'))\n",
              [('TPH610', 'e', 2, 37)]),
    'TPH611': ("op = operations.SingleTaskOperation('x-', tasks.BashTask('my_task', 'ls'))\n",
              [('TPH611', 'e', 2, 58)]),
    'TPH612': ("op = operations.ParallelOperation('x-', [tasks.BashTask('a', 'ls'), tasks.BashTask('A', 'ls')])\n",
              [('TPH612', 'e', 2, 84)]),
    'TPH613': ("op = operations.PipelineOperation('x', [tasks.BashTask('x-pipeline', 'ls')])\n",
              [('TPH613', 'e', 2, 56)]),
    'TPH614': ("a = operations.SingleTaskOperation('x-', tasks.BashTask('a', 'ls'))\nb = operations.SingleTaskOperation('x', tasks.BashTask('b', 'ls'))\n",
              [('TPH614', 'e', 3, 36)]),
    'TPH615': ("op = operations.SingleTaskOperation('x-', tasks.BashTask('a', 'ls'), shared_directory=['/mnt/a_b', 'c:/mnt/ab'])\n",
              [('TPH615', 'e', 2, 70)]),
    'TPH620': ("op = operations.SingleTaskOperation('x-', tasks.PythonTask('a', lambda: print(1)))\n",
              [('TPH620', 'e', 2, 65)]),
    'TPH621': ("import functools\n\n\n@functools.lru_cache\ndef f():\n    print(1)\n\n\nop = operations.SingleTaskOperation('x-', tasks.PythonTask('a', f))\n",
              [('TPH621', 'e', 5, 1)]),
    'TPH622': ("from mypkg import job\nop = operations.SingleTaskOperation('x-', tasks.PythonTask('a', job))\n",
              [('TPH622', 'e', 3, 65)]),
    'TPH623': ("def f(n):\n    print(n)\n\n\nop = operations.SingleTaskOperation('x-', tasks.PythonTask('a', f))\n",
              [('TPH623', 'e', 2, 7)]),
    'TPH624': ("def test():\n    n = 3\n\n    def f():\n        print(n)\n    op = operations.SingleTaskOperation('x-', tasks.PythonTask('a', f))\n",
              [('TPH624', 'e', 6, 15)]),
    'TPH630': ("op = operations.SingleTaskOperation('x-', tasks.BashTask('a', 'ls'), shared_directory='claim:/mnt/x:rw')\n",
              [('TPH630', 'e', 2, 70)]),
    'TPH631': ("op = operations.SingleTaskOperation('x-', tasks.BashTask('a', 'ls', resources={'limit': {'cpu': 1}}))\n",
              [('TPH631', 'e', 2, 69)]),
    'TPH632': ("op = operations.SingleTaskOperation('x-', tasks.BashTask('a', 'ls'), operations.PodExecutionContext('a', 'b c'))\n",
              [('TPH632', 'e', 2, 70)]),
    'TPH633': ("op = operations.SingleTaskOperation('x-', tasks.BashTask('a', 'ls'), ttl_strategy={'secondsAfterSucces': 5})\n",
              [('TPH633', 'e', 2, 70)]),
    'TPH634': ("op = operations.SingleTaskOperation('x-', tasks.BashTask('a', 'ls'), on_exit_notify={'queue': 'q', 'topic': 't'})\n",
              [('TPH634', 'w', 2, 70)]),
    'TPH635': ("op = operations.SingleTaskOperation('x-', tasks.BashTask('a', 'ls', template_overrides={'nodeSelectr': {'a': 'b'}}))\n",
              [('TPH635', 'e', 2, 104)]),
    'TPH636': ("op = operations.SingleTaskOperation('x-', tasks.CommandBasedTask('a', 'ls -l'))\n",
              [('TPH636', 'e', 2, 71)]),
    'TPH637': ("op = operations.SingleTaskOperation('x-', tasks.BashTask('a', 'ls', image_pull_policy='always'))\n",
              [('TPH637', 'e', 2, 69)]),
    'TPH638': ("def c(a, b):\n    op = operations.ParallelOperation('x-', [tasks.BashTask('t1', 'ls', url=a), tasks.BashTask('t2', 'ls', url=b)])\n",
              [('TPH608', 'i', 3, 73), ('TPH638', 'e', 3, 108)]),
    'TPH639': ("def f():\n    print(1)\n\n\nop = operations.SingleTaskOperation('x-', tasks.PythonTask('a', f, command=['python']))\n",
              [('TPH639', 'w', 6, 68)]),
    'TPH640': ("op = operations.SingleTaskOperation('x-', tasks.CustomTask('a', 'workflows-notify-queu'))\n",
              [('TPH640', 'w', 2, 65)]),
    'TPH641': ("op = operations.SingleTaskOperation('x-', tasks.CustomTask('a', 'workflows-notify-queue', volume_mounts=['a:b']))\n",
              [('TPH641', 'w', 2, 91)]),
    'TPH608': ("def c(url):\n    op = operations.SingleTaskOperation('x-', tasks.BashTask('a', 'ls', url=url))\n",
              [('TPH608', 'i', 3, 73)]),
}


def _diags(tmp_path: Path, body: str) -> list[Diagnostic]:
    path = tmp_path / "app.py"
    path.write_text(HEADER + body, encoding="utf-8")
    return compile_path(path)[1]


@pytest.mark.parametrize("code", sorted(CASES))
def test_diagnostic_at_its_position(tmp_path: Path, code: str) -> None:
    body, expected = CASES[code]
    found = [(d.code, d.severity.value[0], d.line, d.col) for d in _diags(tmp_path, body)]
    assert found == expected
    assert code in [c for c, _, _, _ in found]


@pytest.mark.parametrize("code", sorted(CASES))
def test_an_error_writes_nothing(tmp_path: Path, code: str) -> None:
    body, expected = CASES[code]
    path = tmp_path / "app.py"
    path.write_text(HEADER + body, encoding="utf-8")
    from tiphys.compiler.commands.pipeline import compile_file
    from tiphys.compiler.lower.workflow import Settings

    result = compile_file(str(path), Settings())
    if any(sev == "e" for _, sev, _, _ in expected):
        assert result.diagnostics.has_errors
    else:
        assert not result.diagnostics.has_errors


def test_messages_say_how_to_fix(tmp_path: Path) -> None:
    by_code = {d.code: d.message for d in _diags(tmp_path, CASES["TPH640"][0])}
    assert "did you mean 'workflows-notify-queue'?" in by_code["TPH640"]
    by_code = {d.code: d.message for d in _diags(tmp_path, CASES["TPH641"][0])}
    assert "Kubernetes mounts it at '/b'" in by_code["TPH641"]
    by_code = {d.code: d.message for d in _diags(tmp_path, CASES["TPH611"][0])}
    assert "try 'my-task'" in by_code["TPH611"]
    by_code = {d.code: d.message for d in _diags(tmp_path, CASES["TPH610"][0])}
    assert "try 'my-op'" in by_code["TPH610"]
    by_code = {d.code: d.message for d in _diags(tmp_path, CASES["TPH635"][0])}
    assert "did you mean 'nodeSelector'?" in by_code["TPH635"]
    by_code = {d.code: d.message for d in _diags(tmp_path, CASES["TPH602"][0])}
    assert "grown in a loop (line 8)" in by_code["TPH602"]


def test_all_problems_of_a_file_at_once(tmp_path: Path) -> None:
    body = "".join(CASES[c][0].replace("op = ", f"op_{c} = ").replace("'x-'", f"'{c.lower()}-'")
                   for c in ("TPH611", "TPH620", "TPH636", "TPH640"))
    found = {d.code for d in _diags(tmp_path, body)}
    assert found >= {"TPH611", "TPH620", "TPH636", "TPH640"}


def test_a_removed_override_field_names_the_argo_release(tmp_path: Path) -> None:
    """``priority`` is a template field of CloudHarness' Argo client (v3.x) that Argo v4.0
    removed: the message says so, not just "unknown field"."""
    diags = _diags(tmp_path, "op = operations.SingleTaskOperation('x-', tasks.BashTask('a', "
                             "'ls', template_overrides={'priority': 3}))\n")
    assert [(d.code, d.severity.value) for d in diags] == [("TPH635", "error")]
    assert "Argo Workflows v4.0 removed it" in diags[0].message
    assert "priorityClassName" in diags[0].message
    from tiphys.cloudharness import operations, tasks

    with pytest.raises(operations.BadOperationConfiguration, match=r"v4\.0 removed it"):
        operations.SingleTaskOperation("x-", tasks.BashTask("a", "ls",
                                                            template_overrides={"priority": 3}))


def test_a_claim_name_too_long_for_the_label(tmp_path: Path) -> None:
    claim = "c" * 64
    diags = _diags(tmp_path, "op = operations.SingleTaskOperation('x-', tasks.BashTask('a', "
                             f"'ls'), shared_directory='{claim}:/mnt/x')\n")
    assert [(d.code, d.line, d.col) for d in diags] == [("TPH630", 2, 70)]
    assert "longer than 63 characters" in diags[0].message
    # 63 characters are fine; an rwx claim carries no label at all.
    assert _diags(tmp_path, "op = operations.SingleTaskOperation('x-', tasks.BashTask('a', "
                            f"'ls'), shared_directory='{claim[:63]}:/mnt/x')\n") == []
    assert _diags(tmp_path, "op = operations.SingleTaskOperation('x-', tasks.BashTask('a', "
                            f"'ls'), shared_directory='{claim}:/mnt/x:rwx')\n") == []
