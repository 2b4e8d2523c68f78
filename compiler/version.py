"""The tiphys version, read once from the installed distribution."""

from __future__ import annotations

VERSION = "0.1.0"
