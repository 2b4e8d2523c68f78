"""Artifacts: files passed between tasks, or read from and written to storage.

A Python task declares them with annotations::

    @task(artifacts={"model": artifact(archive="none")})
    def train(data: InputArtifact, model: OutputArtifact) -> float:
        rows = open(data).read()            # data is the path of the input file
        with open(model, "w") as f:         # model is the path to write the output to
            f.write(...)

and a call passes another task's artifact (``prep.outputs["dataset"]``) or a location
(``s3_artifact(...)``, ``gcs_artifact``, ``http_artifact``, ``git_artifact``,
``raw_artifact``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class InputArtifact(str):
    """Annotation: the parameter receives the path of an input artifact (a file or folder)."""


class OutputArtifact(str):
    """Annotation: the parameter receives the path to write an output artifact to."""


@dataclass(frozen=True)
class ArtifactLocation:
    #: "s3", "gcs", "http", "git" or "raw".
    kind: str
    fields: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ArtifactSpec:
    archive: str | None = None
    location: ArtifactLocation | None = None
    optional: bool = False
    compression_level: int | None = None


def artifact(*, archive: str | None = None, location: Any = None,
             optional: bool = False, compression_level: int | None = None) -> ArtifactSpec:
    """Settings of one artifact, in ``@task(artifacts={"name": artifact(...)})``: *archive*
    "none", "tar" or "zip"; *location* where an output goes instead of the default artifact
    repository; *optional* for an input or output that may be missing; *compression_level*
    the gzip level (0, none, to 9) of a tar archive."""
    return ArtifactSpec(archive, location, optional, compression_level)


def s3_artifact(bucket: str, key: str, *, endpoint: str | None = None,
                region: str | None = None, insecure: bool | None = None,
                access_key_secret: tuple[str, str] | None = None,
                secret_key_secret: tuple[str, str] | None = None) -> Any:
    """An object in S3 (or an S3-compatible store); secrets are (secret name, key)."""
    return ArtifactLocation("s3", {"bucket": bucket, "key": key, "endpoint": endpoint,
                                   "region": region, "insecure": insecure,
                                   "access_key_secret": access_key_secret,
                                   "secret_key_secret": secret_key_secret})


def gcs_artifact(bucket: str, key: str, *,
                 service_account_key_secret: tuple[str, str] | None = None) -> Any:
    """An object in Google Cloud Storage."""
    return ArtifactLocation("gcs", {"bucket": bucket, "key": key,
                                    "service_account_key_secret": service_account_key_secret})


def http_artifact(url: str, *, headers: Mapping[str, str] | None = None) -> Any:
    """A file downloaded over HTTP(S)."""
    return ArtifactLocation("http", {"url": url, "headers": headers})


def git_artifact(repo: str, *, revision: str | None = None, depth: int | None = None,
                 branch: str | None = None, single_branch: bool | None = None,
                 username_secret: tuple[str, str] | None = None,
                 password_secret: tuple[str, str] | None = None,
                 ssh_private_key_secret: tuple[str, str] | None = None,
                 insecure_ignore_host_key: bool | None = None) -> Any:
    """A git checkout."""
    return ArtifactLocation("git", {"repo": repo, "revision": revision, "depth": depth,
                                    "branch": branch, "single_branch": single_branch})


def raw_artifact(data: str) -> Any:
    """Literal content, written to the input's path."""
    return ArtifactLocation("raw", {"data": data})
