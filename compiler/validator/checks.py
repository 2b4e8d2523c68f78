"""Entry point of the semantic checks over a batch of parsed documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tiphys.compiler.validator.findings import Finding, Reporter
from tiphys.compiler.validator.model import ARGO_KINDS, Batch
from tiphys.compiler.validator.rules_spec import check_document


def check_documents(docs: Sequence[Any], *, external: Sequence[Any] = ()) -> list[Finding]:
    """Semantic Argo checks on plain dicts (already parsed). `external` are extra documents
    (other WorkflowTemplates / ClusterWorkflowTemplates) that templateRefs may resolve against."""
    batch = Batch.build([*docs, *external])
    out: list[Finding] = []
    for i, doc in enumerate(docs):
        if not isinstance(doc, dict) or doc.get("kind") not in ARGO_KINDS:
            continue
        rep = Reporter(i)
        check_document(doc, batch, rep)
        out.extend(rep.items)
    return out
