"""ETL: extract rows, transform them, load a summary; data flows from task to task."""

from tiphys import param, pipeline, task, workflow


@task
def extract(rows: int) -> list[dict[str, int]]:
    # Stand-in for a database query: deterministic rows.
    return [{"id": i, "amount": (i * 37) % 100} for i in range(rows)]


@task
def transform(records: list[dict[str, int]], threshold: int = 50) -> dict[str, int]:
    big = [r for r in records if r["amount"] >= threshold]
    return {"count": len(big), "total": sum(r["amount"] for r in big)}


@task
def load(summary: dict[str, int], table: str) -> str:
    line = f"{table}: {summary['count']} rows, total {summary['total']}"
    print(line)
    return line


raw = extract(rows=param("rows", default=20))
clean = transform(records=raw, threshold=param("threshold", default=50))
loaded = load(summary=clean, table="daily_totals")

etl = workflow(
    "etl",
    pipeline(raw, clean, loaded),
    labels={"team": "data"},
    ttl={"after_success": 3600, "after_failure": 86400},
    pod_gc="OnWorkflowSuccess",
)
