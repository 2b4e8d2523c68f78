"""Values going into and out of a node: a step's arguments, a template's inputs (parameters
and artifacts, with their defaults), and a steps or DAG template's outputs.

Errors here are :class:`Problem` (the node is Error) or :class:`NotLocal` (the node needs
something only a cluster has, and is Skipped with the reason).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tiphys.compiler.run.artifacts import ArtifactError, location_kind
from tiphys.compiler.run.expressions import ExpressionError, evaluate
from tiphys.compiler.run.model import NOT_LOCAL, Node
from tiphys.compiler.run.substitution import Unresolved, item_text, substitute, tree

if TYPE_CHECKING:
    from tiphys.compiler.run.engine import Call, Engine


class Problem(Exception):
    """Something that makes a node Error (as Argo reports a bad reference or input)."""


class NotLocal(Problem):
    """Something only a cluster has (an input in remote storage): the node is Skipped."""


def text_of(value: Any) -> str:
    return item_text(value) if not isinstance(value, str) else value


def arguments(engine: Engine, ref: dict[str, Any], scope: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """A step's argument parameters and artifacts, substituted in *scope*."""
    args = ref.get("arguments", {})
    # Global outputs published since the caller's scope was taken are visible too.
    scope = {**scope, **{k: v for k, v in engine.snapshot().items()
                         if k.startswith("workflow.outputs.")}}
    params: dict[str, str] = {}
    try:
        for p in args.get("parameters", []):
            if "value" in p:
                params[p["name"]] = substitute(text_of(p["value"]), scope)
            elif "default" in p.get("valueFrom", {}):
                params[p["name"]] = text_of(p["valueFrom"]["default"])
            elif "valueFrom" in p:
                raise Problem(f"argument {p['name']!r} takes its value from the cluster "
                              f"({', '.join(p['valueFrom'])}); pass it another way")
        arts: dict[str, str] = {}
        for a in args.get("artifacts", []):
            if "from" in a:
                key = substitute(a["from"], scope)
                if key.startswith("{{"):
                    raise Problem(f"artifact {a['name']!r}: {a['from']} has no value here")
                arts[a["name"]] = key
            elif "fromExpression" in a:
                arts[a["name"]] = text_of(evaluate(a["fromExpression"], tree(scope)))
            else:
                stored = engine.repo.from_location(ref.get("name", "arg"), a,
                                                 not engine.options.no_http)
                if stored is not None:
                    arts[a["name"]] = stored
                else:
                    arts[a["name"]] = f"remote:{location_kind(a) or 'unknown'}"
    except Unresolved as exc:
        owner = skipped_owner(engine, exc, scope)
        if owner:
            raise NotLocal(f"not run: it needs the outputs of {owner}, which was not run "
                           "locally") from exc
        raise Problem(f"failed to resolve {exc}") from exc
    except (ExpressionError, ArtifactError) as exc:
        raise Problem(f"failed to resolve {exc}") from exc
    return params, arts


def inputs(engine: Engine, t: dict[str, Any], call: Call, node: Node) -> dict[str, str]:
    """The template's scope: the workflow's values and its inputs."""
    scope = engine.snapshot()
    listed = []
    for p in t.get("inputs", {}).get("parameters", []):
        pname = p["name"]
        if pname in call.parameters:
            value = call.parameters[pname]
        elif "value" in p:
            value = text_of(p["value"])
        elif "default" in p:
            value = text_of(p["default"])
        elif "default" in p.get("valueFrom", {}):
            value = text_of(p["valueFrom"]["default"])
        elif p.get("valueFrom"):
            raise NotLocal(f"not run: input parameter {pname!r} comes from the cluster "
                           f"({', '.join(p['valueFrom'])})")
        else:
            raise Problem(f"input parameter {pname!r} was not supplied")
        if "enum" in p and value not in [text_of(e) for e in p["enum"]]:
            raise Problem(f"input parameter {pname!r}: {value!r} is not one of {p['enum']}")
        node.inputs[pname] = value
        scope[f"inputs.parameters.{pname}"] = value
        listed.append({"name": pname, "value": value})
    scope["inputs.parameters"] = json.dumps(listed)
    for a in t.get("inputs", {}).get("artifacts", []):
        aname = a["name"]
        try:
            source = call.artifacts.get(aname) or \
                engine.repo.from_location(node.id, a, not engine.options.no_http)
        except ArtifactError as exc:
            raise Problem(str(exc)) from exc
        kind = location_kind_of(source) or (location_kind(a) if source is None else None)
        if kind and kind != "raw":
            raise NotLocal(f"not run: input artifact {aname!r} is in {kind} storage, which "
                           "tiphys run does not reach (a cluster-only input)"
                           + (" (--no-http)" if kind == "http" else ""))
        if source is None:
            if a.get("optional"):
                continue
            raise Problem(f"input artifact {aname!r} was not supplied")
        scope[f"inputs.artifacts.{aname}"] = source
        scope[f"inputs.artifacts.{aname}.path"] = str(a.get("path", ""))
    return scope

def composite_outputs(t: dict[str, Any], scope: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        for p in t.get("outputs", {}).get("parameters", []):
            vf = p.get("valueFrom", {})
            if "parameter" in vf:
                out[f"parameters.{p['name']}"] = substitute(vf["parameter"], scope)
            elif "expression" in vf:
                out[f"parameters.{p['name']}"] = text_of(evaluate(vf["expression"], tree(scope)))
            elif "default" in vf:
                out[f"parameters.{p['name']}"] = text_of(vf["default"])
            elif "value" in p:
                out[f"parameters.{p['name']}"] = substitute(text_of(p["value"]), scope)
        for a in t.get("outputs", {}).get("artifacts", []):
            if "from" in a:
                key = substitute(a["from"], scope)
                if not key.startswith("{{"):
                    out[f"artifacts.{a['name']}"] = key
                elif not a.get("optional"):
                    raise Problem(f"output artifact {a['name']!r}: {a['from']} has no value")
            elif "fromExpression" in a:
                out[f"artifacts.{a['name']}"] = text_of(evaluate(a["fromExpression"], tree(scope)))
    except (Unresolved, ExpressionError) as exc:
        raise Problem(f"outputs: {exc}") from exc
    return out


def location_kind_of(value: str | None) -> str | None:
    if value and value.startswith("remote:"):
        return value.removeprefix("remote:")
    return None


def skipped_owner(engine: Engine, exc: Unresolved, scope: dict[str, str]) -> str | None:
    """The step whose outputs *exc* misses, when it was Skipped for lack of a cluster, a
    container runtime or the network (its dependents are then not run either, and say why)."""
    parts = exc.key.split(".")
    if len(parts) < 2 or parts[0] not in ("steps", "tasks"):
        return None
    node = engine.run.nodes.get(scope.get(f"{parts[0]}.{parts[1]}.id", ""))
    if node is None:
        return None
    family = [node, *(engine.run.nodes[c] for c in node.children if c in engine.run.nodes)]
    if any(n.phase == "Skipped" and n.message.startswith(NOT_LOCAL) for n in family):
        return parts[1]
    return None
