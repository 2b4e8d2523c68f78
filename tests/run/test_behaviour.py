"""The four behaviours the issue names, each as on Argo: a failing task, a retried task, a
skipped branch and an exit handler; and the parts of Argo's semantics around them."""

from __future__ import annotations

import time
from pathlib import Path

from tiphys.compiler.run import Run

from argo_docs import ECHO, FAIL, python, workflow
from run_helpers import run_doc


def phases(run: Run) -> dict[str, str]:
    """Phase by display name (the last node of that name: a retry's attempts are name(n))."""
    return {n.display: n.phase for n in run.nodes.values()}


def echo(name: str, msg: str, **fields: object) -> dict[str, object]:
    return {"name": name, "template": "echo",
            "arguments": {"parameters": [{"name": "msg", "value": msg}]}, **fields}


# -- a deliberately failing task -----------------------------------------------------------


def test_a_failing_task_fails_the_dag_and_omits_its_dependents() -> None:
    dag = {"name": "main", "dag": {"tasks": [
        {"name": "boom", "template": "fail"},
        echo("after", "never", depends="boom"),
        echo("other", "independent"),
    ]}}
    run = run_doc(workflow(dag, ECHO, FAIL))
    p = phases(run)
    assert run.phase == "Failed"
    assert p["boom"] == "Failed" and p["after"] == "Omitted" and p["other"] == "Succeeded"
    boom = run.by_display("boom")[0]
    assert boom.message.startswith("Error (exit code 3)")
    assert boom.outputs["exitCode"] == "3"
    assert boom.log is not None and "about to fail" in boom.log.read_text()
    assert run.message == "child 'after' failed"  # the target's branch inherits the failure


def test_a_failing_step_stops_the_steps_after_its_group() -> None:
    steps = {"name": "main", "steps": [[{"name": "boom", "template": "fail"},
                                        echo("sibling", "runs")],
                                       [echo("next", "never")]]}
    run = run_doc(workflow(steps, ECHO, FAIL))
    p = phases(run)
    assert run.phase == "Failed"
    assert p["sibling"] == "Succeeded" and "next" not in p and p["[0]"] == "Failed"


def test_a_failure_handled_by_depends_does_not_fail_the_dag() -> None:
    dag = {"name": "main", "dag": {"tasks": [
        {"name": "boom", "template": "fail"},
        echo("rescue", "rescued", depends="boom.Failed"),
        echo("happy", "never", depends="boom.Succeeded"),
        echo("either", "done", depends="rescue || happy"),
        echo("not-ok", "ran", depends="!boom.Succeeded"),
    ]}}
    run = run_doc(workflow(dag, ECHO, FAIL))
    p = phases(run)
    assert (p["rescue"], p["happy"], p["either"], p["not-ok"]) == \
        ("Succeeded", "Omitted", "Succeeded", "Succeeded")
    # Targets are either and not-ok; happy (Omitted) is not one of them.
    assert run.phase == "Succeeded"


def test_continue_on_failed_keeps_steps_going() -> None:
    steps = {"name": "main", "steps": [[{"name": "boom", "template": "fail",
                                         "continueOn": {"failed": True}}],
                                       [echo("next", "{{steps.boom.status}}")]]}
    run = run_doc(workflow(steps, ECHO, FAIL))
    assert run.phase == "Succeeded"
    assert run.stdout == ["Failed\n"]


# -- a retried task ------------------------------------------------------------------------

FLAKY = python("flaky", """
    # Fails until it has been called N times: the count is kept in a file.
    path = os.environ['COUNTER']
    n = int(open(path).read()) + 1 if os.path.exists(path) else 1
    open(path, 'w').write(str(n))
    print(f'attempt {n}')
    sys.exit(0 if n >= int(os.environ['SUCCEED_AT']) else 1)
""", inputs=["counter", "succeed_at"])


def flaky_run(tmp_path: Path, succeed_at: int, strategy: dict[str, object],
              **options: object) -> Run:
    t = {**FLAKY, "retryStrategy": strategy}
    steps = {"name": "main", "steps": [[{"name": "try", "template": "flaky", "arguments": {
        "parameters": [{"name": "counter", "value": str(tmp_path / "count")},
                       {"name": "succeed_at", "value": str(succeed_at)}]}}]]}
    return run_doc(workflow(steps, t), **options)


def test_a_retried_task_succeeds_on_its_third_attempt(tmp_path: Path) -> None:
    run = flaky_run(tmp_path, 3, {"limit": 2})
    assert run.phase == "Succeeded"
    [retry] = [n for n in run.nodes.values() if n.type == "Retry"]
    assert retry.retries == 2 and retry.phase == "Succeeded"
    assert [(n.display, n.phase) for n in run.nodes.values() if n.parent == retry.id] == [
        ("try(0)", "Failed"), ("try(1)", "Failed"), ("try(2)", "Succeeded")]
    assert run.stdout == ["attempt 3\n"]


def test_retries_stop_at_the_limit(tmp_path: Path) -> None:
    run = flaky_run(tmp_path, 5, {"limit": "1"})
    assert run.phase == "Failed"
    assert (tmp_path / "count").read_text() == "2"
    [retry] = [n for n in run.nodes.values() if n.type == "Retry"]
    assert retry.message.startswith("No more retries left")


def test_retry_policy_on_error_does_not_retry_a_failure(tmp_path: Path) -> None:
    run = flaky_run(tmp_path, 2, {"limit": 3, "retryPolicy": "OnError"})
    assert run.phase == "Failed" and (tmp_path / "count").read_text() == "1"


def test_retry_expression_decides(tmp_path: Path) -> None:
    run = flaky_run(tmp_path, 3, {"limit": 5, "expression": "asInt(lastRetry.exitCode) == 2"})
    assert run.phase == "Failed" and (tmp_path / "count").read_text() == "1"


def test_backoff_waits_between_attempts(tmp_path: Path) -> None:
    started = time.monotonic()
    run = flaky_run(tmp_path, 3, {"limit": 2, "backoff": {"duration": "0.2s", "factor": 2}},
                    time_scale=1.0)
    assert run.phase == "Succeeded"
    assert time.monotonic() - started >= 0.6  # 0.2s, then 0.4s


def test_backoff_max_duration_stops_retrying(tmp_path: Path) -> None:
    run = flaky_run(tmp_path, 3, {"limit": 5, "backoff": {"duration": "10s",
                                                          "maxDuration": "1s"}})
    assert run.phase == "Failed"
    assert "max duration" in next(n for n in run.nodes.values() if n.type == "Retry").message


# -- a skipped branch ----------------------------------------------------------------------

FLIP = python("flip", "open(os.path.join(out, 'side'), 'w').write('heads')", outputs=["side"])


def test_a_false_when_skips_the_branch_and_its_dependents_still_run() -> None:
    dag = {"name": "main", "dag": {"tasks": [
        {"name": "coin", "template": "flip"},
        echo("heads", "it was heads", depends="coin",
             when="{{=tasks.coin.outputs.parameters.side == 'heads'}}"),
        echo("tails", "it was tails", depends="coin",
             when="{{tasks.coin.outputs.parameters.side}} == tails"),
        echo("after-tails", "a skipped dependency counts as done", depends="tails"),
        echo("only-if-tails", "never", depends="tails.Succeeded"),
    ]}}
    run = run_doc(workflow(dag, ECHO, FLIP))
    p = phases(run)
    assert (p["heads"], p["tails"], p["after-tails"], p["only-if-tails"]) == \
        ("Succeeded", "Skipped", "Succeeded", "Omitted")
    assert run.by_display("tails")[0].message == "when 'heads == tails' evaluated false"
    assert run.phase == "Succeeded"
    assert sorted(run.stdout) == ["", "a skipped dependency counts as done\n", "it was heads\n"]


def test_when_in_steps_sees_earlier_steps() -> None:
    steps = {"name": "main", "steps": [
        [{"name": "coin", "template": "flip"}],
        [echo("yes", "heads", when="{{steps.coin.outputs.parameters.side}} == heads"),
         echo("no", "tails", when="{{steps.coin.outputs.parameters.side}} != heads")],
    ]}
    run = run_doc(workflow(steps, ECHO, FLIP))
    assert (phases(run)["yes"], phases(run)["no"]) == ("Succeeded", "Skipped")


# -- exit handlers -------------------------------------------------------------------------

NOTIFY = python("notify", "print(os.environ['STATUS'], os.environ['FAILURES'])",
                inputs=["status", "failures"])
EXIT = {"template": "notify", "arguments": {"parameters": [
    {"name": "status", "value": "{{workflow.status}}"},
    {"name": "failures", "value": "{{workflow.failures}}"}]}}


def test_the_exit_handler_runs_after_a_failure_and_sees_it() -> None:
    steps = {"name": "main", "steps": [[{"name": "boom", "template": "fail"}]]}
    run = run_doc(workflow(steps, FAIL, NOTIFY, hooks={"exit": EXIT}))
    assert run.phase == "Failed"
    handler = run.by_display("test.onExit")[0]
    assert handler.phase == "Succeeded"
    assert handler.stdout.startswith("Failed [")
    assert '"displayName": "boom"' in handler.stdout


def test_on_exit_runs_after_success_and_its_failure_fails_the_workflow() -> None:
    steps = {"name": "main", "steps": [[echo("work", "ok")]]}
    run = run_doc(workflow(steps, ECHO, NOTIFY, hooks={"exit": EXIT}))
    assert run.phase == "Succeeded" and run.stdout[-1].startswith("Succeeded []")
    run = run_doc(workflow(steps, ECHO, FAIL, onExit="fail"))
    assert run.phase == "Failed"
    assert run.by_display("test.onExit")[0].phase == "Failed"


def test_step_exit_hooks_and_expression_hooks() -> None:
    steps = {"name": "main", "steps": [[{
        "name": "boom", "template": "fail", "continueOn": {"failed": True},
        "hooks": {"exit": {"template": "echo", "arguments": {"parameters": [
            {"name": "msg", "value": "step ended {{steps.boom.status}}"}]}},
                  "failed": {"template": "echo", "expression": "steps.boom.status == 'Failed'",
                             "arguments": {"parameters": [{"name": "msg", "value": "saw it fail"}]}},
                  "never": {"template": "echo", "expression": "steps.boom.status == 'Succeeded'",
                            "arguments": {"parameters": [{"name": "msg", "value": "no"}]}}}}]]}
    run = run_doc(workflow(steps, ECHO, FAIL))
    assert sorted(run.stdout) == ["saw it fail\n", "step ended Failed\n"]
    assert run.phase == "Succeeded"
