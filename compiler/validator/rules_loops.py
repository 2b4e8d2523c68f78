"""Loops on steps and tasks: withItems, withParam, withSequence."""

from __future__ import annotations

from typing import Any

from tiphys.compiler.validator.docctx import DocCtx
from tiphys.compiler.validator.findings import PathT
from tiphys.compiler.validator.model import has

LOOP_KEYS = ("withItems", "withParam", "withSequence")


def check_loops(ctx: DocCtx, node: dict[str, Any], path: PathT, what: str) -> None:
    loops = [k for k in LOOP_KEYS if has(node, k)]
    if len(loops) > 1:
        ctx.rep.add("ARG503", (*path, loops[1]), f"{what} sets {' and '.join(loops)}; only one "
                    "of withItems, withParam and withSequence can be used")
    seq = node.get("withSequence")
    if isinstance(seq, dict):
        has_count, has_end = has(seq, "count"), has(seq, "end")
        if has_count and has_end:
            ctx.rep.add("ARG504", (*path, "withSequence", "end"), f"{what}: withSequence sets "
                        "both count and end; keep one")
        elif not has_count and not has_end:
            ctx.rep.add("ARG504", (*path, "withSequence"), f"{what}: withSequence needs count "
                        "or end")
    items = node.get("withItems")
    if isinstance(items, list):
        for i, it in enumerate(items):
            if it is None:
                ctx.rep.add("ARG505", (*path, "withItems", i), f"{what}: withItems entry {i} is "
                            "null; use a string, number, boolean, list or map")


def is_loop(node: dict[str, Any]) -> bool:
    return any(has(node, k) for k in LOOP_KEYS)


def aggregates(node: dict[str, Any]) -> bool:
    """Argo aggregates outputs for withItems and withParam (not withSequence)."""
    return bool(node.get("withItems")) or bool(node.get("withParam"))
