"""Artifacts: files passed between tasks, read from storage, written with settings."""

from tiphys import (
    InputArtifact,
    OutputArtifact,
    artifact,
    dag,
    http_artifact,
    pipeline,
    s3_artifact,
    task,
    workflow,
)


@task
def make_dataset(rows: int, dataset: OutputArtifact = OutputArtifact()) -> None:
    with open(dataset, "w", encoding="utf-8") as f:
        for i in range(rows):
            f.write(f"{i},{i * i}\n")


@task(artifacts={"model": artifact(archive="none"),
                 "report": artifact(location=s3_artifact("ml-reports", "runs/latest.txt"))})
def train(data: InputArtifact, model: OutputArtifact = OutputArtifact(),
          report: OutputArtifact = OutputArtifact()) -> int:
    with open(data, encoding="utf-8") as f:
        rows = f.read().splitlines()
    total = sum(int(line.split(",")[1]) for line in rows)
    with open(model, "w", encoding="utf-8") as f:
        f.write(f"weights={total}")
    with open(report, "w", encoding="utf-8") as f:
        f.write(f"{len(rows)} rows")
    return len(rows)


@task
def evaluate(model: InputArtifact) -> str:
    with open(model, encoding="utf-8") as f:
        return f.read()


@task(artifacts={"labels": artifact(optional=True)})
def inspect(labels: InputArtifact) -> int:
    with open(labels, encoding="utf-8") as f:
        return len(f.read())


data = make_dataset(rows=5)
trained = train(data=data.outputs["dataset"])
score = evaluate(model=trained.outputs["model"])
remote = inspect(labels=http_artifact("https://example.com/labels.csv"))

ml = workflow("artifacts", dag(score, remote))

# Across templates: the inner pipeline imports the dataset and exports the model.
again = train(data=data.outputs["dataset"])
nested = workflow("artifacts-nested",
                  pipeline(data, pipeline(again), evaluate(model=again.outputs["model"])))
