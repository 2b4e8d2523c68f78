"""Artifact locations: at most one per artifact, git needs a repo, HDFS is complete."""

from __future__ import annotations

from typing import Any

from tiphys.compiler.validator.docctx import DocCtx
from tiphys.compiler.validator.findings import PathT
from tiphys.compiler.validator.model import as_dict, as_list, as_str, has

LOCATIONS = ("s3", "git", "http", "artifactory", "hdfs", "raw", "oss", "gcs", "azure", "plugin")


def check_artifact_location(ctx: DocCtx, art: dict[str, Any], path: PathT, what: str) -> None:
    locs = [k for k in art if k in LOCATIONS and art[k] is not None]
    if len(locs) > 1:
        ctx.rep.add("ARG220", (*path, locs[1]), f"{what} sets {len(locs)} artifact locations "
                    f"({', '.join(locs)}); keep at most one")
    if has(art, "git") and not as_str(as_dict(art.get("git")).get("repo")):
        ctx.rep.add("ARG221", (*path, "git"), f"{what}: git location needs repo; set git.repo")
    if has(art, "hdfs"):
        h = as_dict(art.get("hdfs"))
        if not as_list(h.get("addresses")):
            ctx.rep.add("ARG221", (*path, "hdfs"), f"{what}: hdfs location needs addresses; "
                        "set hdfs.addresses")
        p = as_str(h.get("path"))
        if p and not p.startswith("/") and "{{" not in p:
            ctx.rep.add("ARG221", (*path, "hdfs", "path"), f"{what}: hdfs.path '{p}' must be "
                        "absolute")
