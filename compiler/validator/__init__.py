"""Offline Argo Workflows validator: Argo's own semantic rules, and optionally Argo's JSON
schema and the full CRDs.

The compiler calls :func:`check_documents` on plain dicts; ``tiphys validate`` loads YAML with
positions and reports ``path:line:col`` (see :mod:`tiphys.compiler.commands.validate`).
"""

from __future__ import annotations

from tiphys.compiler.validator.checks import check_documents
from tiphys.compiler.validator.codes import CODES, Code
from tiphys.compiler.validator.findings import Finding

__all__ = ["CODES", "Code", "Finding", "check_documents"]
