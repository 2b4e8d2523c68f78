"""Regressions: workflow options are checked where they are written, like task options.

Each of these used to reach the strict schema unchecked (TPH900, an internal error, at the
workflow call or without a position), or was dropped silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.compile_helpers import compile_text

TEXT = '''from tiphys import pipeline, task, workflow


@task
def hello() -> None:
    print("hi")


wf = workflow("w", pipeline(hello()),
              {option})
'''


@pytest.mark.parametrize(("option", "code", "at"), [
    ('labels={"team": "data science"}', "TPH174", '"data science"'),
    ('labels={"team\\u200b": "data"}', "TPH174", '"team\\u200b"'),
    ('annotations={"bad key!": "x"}', "TPH174", '"bad key!"'),
    ('run_metadata={"labels": {"x": "y z"}}', "TPH174", '"y z"'),
    ('run_metadata={"annotations": {"in valid": "v"}}', "TPH174", '"in valid"'),
    ('namespace="Bad_NS"', "TPH131", '"Bad_NS"'),
    ('namespace=""', "TPH131", '""'),                   # was dropped silently
    ('service_account="Bad SA"', "TPH175", '"Bad SA"'),
    ('service_account=""', "TPH175", '""'),             # was dropped silently
    ('schedules="0 0 * * *", timezone=""', "TPH442", '""'),
    ('schedules=["CRON_TZ=Europe/Rome 0 0 * * *"]', "TPH441", '"CRON_TZ'),
    ('schedules=["@every 1.5h"]', "TPH441", '"@every'),
    ('schedules=[" 0 0 * * *"]', "TPH441", '" 0'),
    ('schedules=["30 14 * * 1-5\\u00a0"]', "TPH441", '"30'),
])
def test_bad_workflow_option(tmp_path: Path, option: str, code: str, at: str) -> None:
    text = TEXT.format(option=option)
    docs, diags = compile_text(tmp_path, text)
    assert docs == []
    assert [(d.code, d.line, d.col) for d in diags] == [
        (code, 10, text.splitlines()[9].index(at) + 1)], diags


@pytest.mark.parametrize("option", [
    'labels={"team": "data", "a.b/c": ""}', 'run_metadata={"labels": {"run": "{{workflow.name}}"}}',
    'namespace="data-1"', 'service_account="etl.runner"',
    'schedules=["@every 90m", "@daily", "0 2 * * 1-5"], timezone="Europe/Rome"',
])
def test_good_workflow_option(tmp_path: Path, option: str) -> None:
    docs, diags = compile_text(tmp_path, TEXT.format(option=option))
    assert diags == [] and len(docs) == 1


def test_namespace_of_a_cluster_workflow_template(tmp_path: Path) -> None:
    # Cluster-scoped: metadata.namespace broke the strict schema (TPH900).
    docs, diags = compile_text(tmp_path, TEXT.format(option='namespace="data"'),
                               kind="ClusterWorkflowTemplate")
    assert docs == [] and [(d.code, d.line) for d in diags] == [("TPH131", 9)]
