"""A nightly report as a CronWorkflow, publishing a workflow output."""

from tiphys import mutex, pipeline, task, workflow, workflow_name


@task
def collect(run: str) -> dict[str, int]:
    print(f"collecting for {run}")
    return {"orders": 120, "refunds": 3}


@task
def score(stats: dict[str, int]) -> float:
    return round(1 - stats["refunds"] / stats["orders"], 3)


stats = collect(run=workflow_name)
quality = score(stats=stats)

nightly = workflow(
    "nightly-report",
    pipeline(stats, quality),
    schedules=["0 2 * * *", "30 14 * * 1-5"],
    timezone="Europe/Rome",
    concurrency_policy="Forbid",
    starting_deadline=300,
    successful_history=3,
    failed_history=5,
    outputs={"quality": quality.output},
    priority=5,
    archive_logs=True,
    run_metadata={"labels": {"team": "analytics"}},
    artifact_repository={"config_map": "artifact-repositories", "key": "default"},
    ttl={"after_completion": 86400},
    pod_gc="OnPodSuccess",
    synchronization=mutex("nightly-report"),
)
