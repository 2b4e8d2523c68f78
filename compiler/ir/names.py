"""Argo names: making them valid, and allocating them without silent merges.

Template, step and task names must match ``^[a-zA-Z0-9][-a-zA-Z0-9]*$`` with at most 128
characters; ``metadata.name`` must be a DNS-1123 subdomain of at most 63 characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FIELD_NAME = re.compile(r"^[a-zA-Z0-9][-a-zA-Z0-9]*\Z")
PARAM_NAME = re.compile(r"^[-a-zA-Z0-9_]+\Z")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
MAX_FIELD = 128
MAX_METADATA = 63


def field_name(text: str) -> str:
    """A Python-ish name made valid for a template/step/task: ``_`` and other characters
    become ``-``; leading dashes are dropped."""
    out = re.sub(r"[^-a-zA-Z0-9]", "-", text).lstrip("-")
    return out


def metadata_name(text: str) -> str:
    """A workflow name made DNS-1123: lower case, ``_`` → ``-``."""
    return re.sub(r"[^-a-z0-9.]", "-", text.lower()).strip("-.")


def field_name_problem(name: str) -> str | None:
    if not name:
        return "is empty once made an Argo name (only ASCII letters, digits and '-' are kept)"
    if len(name) > MAX_FIELD:
        return f"is {len(name)} characters long; Argo allows at most {MAX_FIELD}"
    if not FIELD_NAME.match(name):
        return "must start with a letter or digit and contain only letters, digits and '-'"
    return None


def metadata_name_problem(name: str, limit: int = MAX_METADATA) -> str | None:
    if not name:
        return ("is empty once made a Kubernetes name (only ASCII letters, digits, '-' and '.' are "
                "kept)")
    if len(name) > limit:
        return f"is {len(name)} characters long; Kubernetes allows at most {limit} here"
    if not DNS_SUBDOMAIN.match(name):
        return ("must be a DNS-1123 name: lower-case letters, digits, '-' and '.', starting "
                "and ending with a letter or digit")
    return None


@dataclass(slots=True)
class NameTable:
    """Allocates unique names in one namespace (a template's steps, or the templates).

    A name chosen by the user (explicitly or by a variable) must be unique: a second claim is
    a collision and reported, never merged. A derived name (from a task's name) gets a
    numeric suffix instead: ``count-words``, ``count-words-2``.
    """

    taken: dict[str, str] = field(default_factory=dict)
    #: The suffix to try first for each derived base: names are never released, so the
    #: smallest free suffix only grows (probing from 2 each time was quadratic).
    _next: dict[str, int] = field(default_factory=dict)

    def claim(self, name: str, owner: str) -> str | None:
        """Claim *name* for *owner*; returns the previous owner on collision."""
        prev = self.taken.get(name)
        if prev is not None and prev != owner:
            return prev
        self.taken[name] = owner
        return None

    def derive(self, base: str, owner: str) -> str:
        if base not in self.taken:
            self.taken[base] = owner
            return base
        n = self._next.get(base, 2)
        while f"{base}-{n}" in self.taken:
            n += 1
        self._next[base] = n + 1
        self.taken[f"{base}-{n}"] = owner
        return f"{base}-{n}"
