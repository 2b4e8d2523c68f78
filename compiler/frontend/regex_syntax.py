"""Whether a Python regex literal means the same to Argo: ``matches`` conditions are evaluated
by expr-lang with Go's RE2, which refuses some of Python's syntax (and Argo reads ``{{``)."""

from __future__ import annotations

import re

#: Python regex syntax that Go's RE2 refuses (Argo evaluates ``matches`` with RE2).
_NOT_RE2 = (
    (re.compile(r"\(\?<?[=!]"), "look-around ('(?=', '(?!', '(?<=', '(?<!')"),
    (re.compile(r"\(\?P=|\\[1-9]"), "a back-reference"),
    (re.compile(r"\(\?>"), "an atomic group"),
    (re.compile(r"[*+?}]\+"), "a possessive quantifier"),
    (re.compile(r"\\Z"), "'\\Z' (RE2 writes the end of text as '\\z' or '$')"),
)


def regex_problem(pattern: str) -> str | None:
    """Why *pattern* cannot be used by Argo's ``matches``, or None."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"is not a valid regular expression: {exc}"
    for found, what in _NOT_RE2:
        if found.search(pattern):
            return f"uses {what}, which Go's RE2 (Argo's regex engine) does not support"
    if "{{" in pattern or "}}" in pattern:
        return "contains '{{' or '}}', which Argo reads as template tags"
    return None
