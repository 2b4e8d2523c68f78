"""The local artifact repository: every output artifact is copied under the work directory,
and input artifacts are placed from there (or from an inline ``raw`` location).

Argo archives a directory artifact as a tarball by default; here a directory stays a
directory, which is what the consuming step sees after Argo unpacks it anyway. Locations in
remote storage (s3, gcs, git, http, ...) are not fetched: an optional input from one is left
out, a required one is an error that names the storage.
"""

from __future__ import annotations

import itertools
import shutil
import threading
from pathlib import Path
from typing import Any

#: Storage kinds an artifact location may name; all but ``raw`` need something remote.
REMOTE_KINDS = ("s3", "gcs", "git", "http", "artifactory", "oss", "azure", "hdfs")


class ArtifactError(Exception):
    """An artifact that cannot be provided or collected."""


class Repository:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._ids = itertools.count()
        self._lock = threading.Lock()

    def _slot(self, node_id: str, name: str) -> Path:
        with self._lock:
            n = next(self._ids)
        folder = self.root / f"{node_id}-{n}"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    def store(self, node_id: str, name: str, produced: Path) -> str:
        """Keep what a node produced at *produced*; return its key (a path)."""
        kept = self._slot(node_id, name)
        if produced.is_dir():
            shutil.copytree(produced, kept)
        else:
            shutil.copyfile(produced, kept)
        return str(kept)

    def from_location(self, node_id: str, artifact: dict[str, Any], fetch_http: bool) -> str | None:
        """An artifact given by location: ``raw`` data becomes a file, an ``http`` URL is
        downloaded (when *fetch_http*); any other location is None (not fetched)."""
        if "raw" in artifact:
            kept = self._slot(node_id, artifact["name"])
            kept.write_text(str(artifact["raw"].get("data", "")), encoding="utf-8")
            return str(kept)
        if "http" in artifact and fetch_http:
            import urllib.request

            url = str(artifact["http"].get("url", ""))
            kept = self._slot(node_id, artifact["name"])
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    kept.write_bytes(response.read())
            except (OSError, ValueError) as exc:
                raise ArtifactError(f"cannot fetch artifact {artifact['name']!r} from {url}: "
                                    f"{getattr(exc, 'reason', exc)}") from exc
            return str(kept)
        return None


def location_kind(artifact: dict[str, Any]) -> str | None:
    for kind in (*REMOTE_KINDS, "raw"):
        if kind in artifact:
            return kind
    return None


def place(source: str, target: Path) -> None:
    """Put a stored artifact at *target* (a file or a folder)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = Path(source)
    if src.is_dir():
        shutil.copytree(src, target, dirs_exist_ok=True)
    else:
        shutil.copyfile(src, target)
