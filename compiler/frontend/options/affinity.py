"""The affinity helpers: ``node_affinity(...)``, ``pod_affinity(...)`` and
``pod_anti_affinity(...)``, read into Kubernetes ``Affinity`` fragments and checked as the
strict schema checks them, at the argument each problem comes from."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from tiphys.compiler.frontend.options.helper_values import error, read_bool
from tiphys.compiler.frontend.options.k8s_fragments import fragment_problems, locate, to_json
from tiphys.compiler.frontend.options.read import OptionReader

Args = dict[str, ast.expr]


def node_affinity(r: OptionReader, a: Args, call: ast.Call) -> dict[str, Any] | None:
    weight = _weight(r, a)
    node: dict[str, Any] = {}
    if "required" in a:
        terms = _selector(r, a["required"], "required")
        if terms:
            node["requiredDuringSchedulingIgnoredDuringExecution"] = {
                "nodeSelectorTerms": [{"matchExpressions": terms}],
            }
    if "preferred" in a:
        terms = _selector(r, a["preferred"], "preferred")
        if terms and weight is not None:
            node["preferredDuringSchedulingIgnoredDuringExecution"] = [
                {"weight": weight, "preference": {"matchExpressions": terms}},
            ]
    if "required" not in a and "preferred" not in a:
        error(r, "TPH171", "node_affinity() needs required={label: [values]} and/or "
              "preferred={label: [values]}", call)
    if not node:
        return None
    value = {"nodeAffinity": node}
    arg_of = {"requiredDuringSchedulingIgnoredDuringExecution": "required",
              "preferredDuringSchedulingIgnoredDuringExecution": "preferred"}
    return _checked_affinity(r, a, call, value,
                             lambda path: arg_of.get(str(path[1])) if len(path) > 1 else None)


def _selector(r: OptionReader, node: ast.expr, what: str) -> list[dict[str, Any]]:
    value = r.lit(node, what, "a dict of node labels to values")
    if value is None:
        return []
    bad: object | None = None
    if not (isinstance(value, dict) and value):
        bad = node
    else:
        for k, v in value.items():
            if not (isinstance(k, str) and (isinstance(v, str) or (
                    isinstance(v, (list, tuple)) and v and all(isinstance(x, str) for x in v)))):
                bad = locate(node, (k,)) if isinstance(k, str) else node
                break
    if bad is not None:
        error(r, "TPH171", f"'{what}' must be a non-empty dict of node labels to a value or a "
              "non-empty list of values, e.g. {\"kubernetes.io/arch\": [\"amd64\", \"arm64\"]}",
              bad)
        return []
    return [{"key": k, "operator": "In", "values": [v] if isinstance(v, str) else list(v)}
            for k, v in value.items()]


def _weight(r: OptionReader, a: Args) -> int | None:
    if "weight" not in a:
        return 100
    value = r.lit(a["weight"], "weight", "an integer literal")
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 100:
        return value
    if value is not None:
        error(r, "TPH171", f"an affinity weight is an integer from 1 to 100; got {value!r}",
              a["weight"])
    return None


def pod_affinity(key: str) -> Callable[[OptionReader, Args, ast.Call], Any]:
    def build(r: OptionReader, a: Args, call: ast.Call) -> dict[str, Any] | None:
        labels = r.lit(a["labels"], "labels", "a dict of pod labels")
        if labels is not None and not (isinstance(labels, dict) and labels and all(
                isinstance(k, str) and isinstance(v, str) for k, v in labels.items())):
            error(r, "TPH171", "'labels' must be a non-empty dict of pod label names to values, "
                  "e.g. {\"app\": \"cache\"}", a["labels"])
            labels = None
        topology = "kubernetes.io/hostname"
        if "topology_key" in a:
            topology = r.string(a["topology_key"], "topology_key") or ""
        required = read_bool(r, a.get("required"), "required")
        weight = _weight(r, a)
        if not labels or not topology or weight is None:
            return None
        term = {"labelSelector": {"matchLabels": dict(labels)}, "topologyKey": topology}
        side: dict[str, Any] = (
            {"requiredDuringSchedulingIgnoredDuringExecution": [term]} if required else
            {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": weight, "podAffinityTerm": term}]}
        )
        arg_of = {"labelSelector": "labels", "topologyKey": "topology_key", "weight": "weight"}
        return _checked_affinity(
            r, a, call, {key: side},
            lambda path: next((arg_of[p] for p in path if isinstance(p, str) and p in arg_of),
                              None))
    return build


def _checked_affinity(r: OptionReader, a: Args, call: ast.Call, value: dict[str, Any],
                      arg_for: Callable[[tuple[str | int, ...]], str | None]
                      ) -> dict[str, Any] | None:
    """The helper's output against the strict schema's ``Affinity``, errors at the argument
    that produced the offending part."""
    problems = fragment_problems("affinity", value)
    for path, message in problems:
        arg = arg_for(path)
        where: object = a.get(arg, call) if arg else call
        error(r, "TPH170", f"affinity: {message}", where)
    return None if problems else to_json(value)
