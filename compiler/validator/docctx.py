"""Per-document state shared by the rule modules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler.validator.findings import PathT, Reporter
from tiphys.compiler.validator.model import Batch
from tiphys.compiler.validator.scope import TagChecker


@dataclass(slots=True)
class DocCtx:
    kind: str
    doc: dict[str, Any]
    spec: dict[str, Any]
    #: path of the WorkflowSpec inside the document: ("spec",) or ("spec", "workflowSpec")
    sp: PathT
    rep: Reporter
    batch: Batch
    templates: dict[str, dict[str, Any]]
    tags: TagChecker
    #: declared volume names (spec.volumes, spec.volumeClaimTemplates)
    volumes: set[str] = field(default_factory=set)

    @property
    def is_template_kind(self) -> bool:
        """WorkflowTemplate or ClusterWorkflowTemplate: validated in Argo's template mode."""
        return self.kind in ("WorkflowTemplate", "ClusterWorkflowTemplate")
