"""Regressions: `depends` of a task that runs after one allowed to fail (`.continue_on`).

It read `(risky.Succeeded || risky.Failed)`, which drops what a plain dependency accepts in
Argo (a bare name is Succeeded, Skipped or Daemoned, see
https://argo-workflows.readthedocs.io/en/latest/enhanced-depends-logic/): when `risky` was
skipped by its `when`, the task after it was Omitted, though without `.continue_on` it runs."""

from __future__ import annotations

from pathlib import Path

from tests.compile_helpers import compile_text
from tests.run_helpers import run_doc

TEXT = '''from tiphys import dag, param, task, workflow


@task
def risky() -> None:
    raise SystemExit(1)


@task
def after() -> None:
    print("after ran")


r = risky(){continue_on}.when(param("run", default="no") == "yes")
a = after().after(r)
wf = workflow("cont", dag(a))
'''


def test_continue_on_keeps_a_skipped_dependency_satisfied(tmp_path: Path) -> None:
    for continue_on in ("", ".continue_on(failed=True)"):
        docs, diags = compile_text(tmp_path, TEXT.format(continue_on=continue_on))
        assert diags == []
        run = run_doc(docs[0])
        assert run.stdout[-1:] == ["after ran\n"], (continue_on, run.statuses)


def test_continue_on_depends_text(tmp_path: Path) -> None:
    text = TEXT.format(continue_on=".continue_on(failed=True, error=True)")
    docs, _ = compile_text(tmp_path, text)
    [task] = [t for t in docs[0]["spec"]["templates"][0]["dag"]["tasks"] if t["name"] == "a"]
    assert task["depends"] == "(r || r.Failed || r.Errored)"
