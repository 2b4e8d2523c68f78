"""YAML emission: stable, readable, and safe for Kubernetes' YAML 1.1-ish decoder.

* Keys keep the order lowering inserted them in (no sorting).
* Multi-line strings (scripts) are literal blocks (``|``), byte-exact, with explicit
  indentation and chomping indicators where the text needs them (PyYAML's own emitter would
  quote a string with trailing spaces, tabs after a space or leading blank lines). Strings a
  block cannot hold exactly (``\\r``, other control characters, U+2028, U+FEFF) are quoted.
* Strings that YAML 1.1 readers would mistype (``y``, ``no``, ``on``, ``1e3``, ``0o17``, …)
  are quoted.
* No anchors or aliases.

The bytes are those of PyYAML's C dumper (libyaml) with the settings in ``pyyaml_dumper``.
``writer`` produces them itself for the plain data lowering makes (several times faster than
driving libyaml through PyYAML's representer and resolver, and without importing PyYAML);
a stream holding anything else goes to ``pyyaml_dumper``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tiphys.compiler.emit.writer import Unusual, write_documents

__all__ = ["dump_documents"]


def dump_documents(documents: Sequence[dict[str, Any]], header: str | None = None) -> str:
    """One YAML stream: each document starts with ``---``."""
    try:
        text = write_documents(documents)
    except (Unusual, RecursionError):
        from tiphys.compiler.emit.pyyaml_dumper import dump_with_pyyaml

        return dump_with_pyyaml(documents, header)
    return (header or "") + text
