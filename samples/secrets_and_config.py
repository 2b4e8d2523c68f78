"""Secrets and config: variables from Secret and ConfigMap keys, whole Secrets and ConfigMaps
as variables (env_from), and Secrets and ConfigMaps mounted as files.

A database backup: pg_dump reads its connection from a ConfigMap and its password from a
Secret, trusts the database's CA from a mounted Secret, and the archive is uploaded with
credentials taken from a whole Secret.
"""

from tiphys import (
    config_map_env,
    config_map_key,
    config_map_volume,
    container,
    mount,
    pipeline,
    secret,
    secret_env,
    secret_volume,
    task,
    volume_claim,
    workflow,
)

backup = container(
    "backup",
    "postgres:16-alpine",
    command=["sh", "-c"],
    args=['pg_dump --no-owner "$DATABASE" | gzip > /backup/sales.sql.gz && ls -l /backup'],
    env={
        "DATABASE": "sales",
        "PGHOST": config_map_key("db-settings", "host"),
        "PGUSER": config_map_key("db-settings", "user"),
        "PGPASSWORD": secret("db-credentials", "password"),
        "PGSSLMODE": "verify-full",
        "PGSSLROOTCERT": "/etc/db-ca/ca.crt",
    },
    volumes={
        "/backup": "backups",
        "/etc/db-ca/ca.crt": mount("db-ca", read_only=True, sub_path="ca.crt"),
    },
    memory="512Mi",
)

upload = container(
    "upload",
    "amazon/aws-cli:2.17.0",
    command=["aws"],
    args=["s3", "cp", "/backup/sales.sql.gz", "s3://example-backups/sales/"],
    env={"AWS_DEFAULT_REGION": config_map_key("db-settings", "region", optional=True)},
    # The Secret's keys ACCESS_KEY_ID and SECRET_ACCESS_KEY become AWS_ACCESS_KEY_ID, ...
    env_from=[secret_env("backup-uploader", prefix="AWS_")],
    volumes={"/backup": mount("backups", read_only=True)},
)


@task(
    env_from=[config_map_env("report-settings", prefix="REPORT_")],
    volumes={"/etc/report": mount("report-config", read_only=True)},
)
def announce(database: str) -> str:
    import os
    from pathlib import Path

    channel = os.environ.get("REPORT_CHANNEL", "#data-ops")
    footer = Path("/etc/report/footer.txt")
    note = footer.read_text().strip() if footer.exists() else "nightly backup"
    return f"{database} backed up ({note}); posted to {channel}"


nightly = workflow(
    "nightly-backup",
    pipeline(backup, upload, announce(database="sales")),
    volumes=[secret_volume("db-ca", "db-ca-bundle"),
             config_map_volume("report-config", "report-templates")],
    volume_claims=[volume_claim("backups", "20Gi")],
    service_account="db-backup",
)
