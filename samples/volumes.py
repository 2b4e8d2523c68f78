"""Volumes: an existing PersistentVolumeClaim (read-only), a claim created for each run
(volumeClaimTemplates), scratch space (emptyDir), and a ConfigMap and a Secret mounted as
files, with read_only and sub_path.

A monthly sales report: stage the month's files from the shared datasets onto the run's own
volume, summarise them, and render and publish the report.
"""

from tiphys import (
    config_map_volume,
    container,
    empty_dir,
    mount,
    param,
    pipeline,
    pvc,
    secret_volume,
    task,
    volume_claim,
    workflow,
)

stage = container(
    "stage",
    "alpine:3.20",
    command=["sh", "-c"],
    args=['mkdir -p /results/input && cp /data/sales/"$month"/*.csv /results/input/'],
    inputs=["month"],
    volumes={"/data": mount("datasets", read_only=True), "/results": "results"},
)


@task(volumes={"/results": mount("results", read_only=True)})
def summarise(folder: str = "/results/input") -> dict[str, int]:
    from pathlib import Path

    files = sorted(Path(folder).glob("*.csv")) if Path(folder).is_dir() else []
    rows = sum(len(f.read_text().splitlines()) - 1 for f in files)
    return {"files": len(files), "rows": rows}


publish = container(
    "publish",
    "ghcr.io/example/report-renderer:1.4",
    args=["--template", "/etc/report/template.md", "--summary", "$(summary)",
          "--out", "/out/report.html", "--tls-dir", "/etc/tls", "--work-dir", "/scratch"],
    inputs=["summary"],
    volumes={
        "/out": mount("results", sub_path="published"),
        "/etc/report/template.md": mount("report-config", read_only=True,
                                         sub_path="template.md"),
        "/etc/tls": mount("publisher-tls", read_only=True),
        "/scratch": "scratch",
    },
)

staged = stage(month=param("month", default="2024-05"))
summary = summarise().after(staged)
report = workflow(
    "monthly-sales-report",
    pipeline(staged, summary, publish(summary=summary)),
    volumes=[
        pvc("datasets", claim="shared-datasets", read_only=True),
        empty_dir("scratch"),
        config_map_volume("report-config", "sales-report"),
        secret_volume("publisher-tls", "report-publisher-tls"),
    ],
    volume_claims=[volume_claim("results", "10Gi", storage_class="standard")],
)
