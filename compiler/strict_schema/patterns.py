"""Schema ``pattern`` keywords with ECMA-262's (and Go's) meaning, shared by the strict schema
and the front end's checks of option values."""

from __future__ import annotations

import re
from functools import cache


@cache
def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """A schema ``pattern`` compiled with ECMA-262's (and Go's) meaning of ``$``: the end of
    the string. Python's ``$`` also matches before a final newline, so ``"name\\n"`` would
    pass ``^[-a-zA-Z0-9_]+$`` here and be rejected by Argo; ``$`` becomes ``\\Z``."""
    out = []
    i = 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "^":  # a negated class: its own "]" may follow
                out.append("[^")
                i += 2
                if pattern[i:i + 1] == "]":
                    out.append("]")
                    i += 1
                continue
            if pattern[i + 1:i + 2] == "]":
                out.append("[]")
                i += 2
                continue
        elif ch == "$":
            ch = "\\Z"
        out.append(ch)
        i += 1
    return re.compile("".join(out))

