"""IR for artifacts: where an input comes from, where an output goes, how it is archived."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler.ir.loc import Loc

#: Where a Python task's artifacts live in its container; the wrapper passes these paths.
ARTIFACT_DIR = "/tmp/tiphys/artifacts"


@dataclass(frozen=True, slots=True)
class Location:
    """A storage location in Argo's shape: ``("s3", {"bucket": ..., "key": ...})``."""

    kind: str
    #: Argo field name → value, sorted by name.
    fields: tuple[tuple[str, Any], ...]

    def to_argo(self) -> dict[str, Any]:
        return {self.kind: dict(self.fields)}


@dataclass(frozen=True, slots=True)
class ArtifactOutput:
    name: str
    path: str
    #: "none", "tar" or "zip"; "tar:N" for a tar archive with gzip compression level N.
    archive: str | None = None
    location: Location | None = None
    optional: bool = False


@dataclass(frozen=True, slots=True)
class ArtifactSource:
    """An argument that reads an input artifact straight from storage."""

    location: Location
    loc: Loc = field(compare=False)
