"""Loops: fan out over a literal list, a range and another task's list output; fan back in."""

from tiphys import dag, task, workflow


@task
def list_files(prefix: str) -> list[str]:
    return [f"{prefix}/part-{i}.csv" for i in range(3)]


@task
def rows_in(path: str) -> int:
    return 100 + len(path)


@task
def scale(factor: int) -> int:
    return factor * 2


@task
def total(counts: list[int]) -> int:
    print(f"{len(counts)} parts, {sum(counts)} rows")
    return sum(counts)


files = list_files(prefix="s3://bucket/2026-11-26")
rows = rows_in.map(path=files)                     # withParam over a task's output
scaled = scale.map(factor=[1, 2, 3])               # withItems over a literal list
warmup = scale.map(factor=range(1, 4))             # withSequence

fan_in = workflow("loops", dag(total(counts=rows).named("total-rows"),
                               total(counts=scaled).named("total-scaled"),
                               total(counts=warmup).named("total-warmup")))
