"""A workflow as a picture: boxes, clusters and edges, built from the emitted document.

Steps groups follow one another (every step of a group to every step of the next); DAG
tasks are joined by their ``depends`` (which carries both data and ``.after`` edges), the
edge naming the result it waits for (``Failed``...). A ``when`` labels the edges into its
step, or the step itself when nothing leads to it. Loops say what they loop over; a step
that calls a steps or DAG template is a cluster drawn with its inside; exit handlers and
hooks hang off their owner by dashed edges. The renderers (:mod:`mermaid`, :mod:`dot`)
only lay this out as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tiphys.compiler.run.depends import depends_text


@dataclass
class Box:
    id: str
    label: str
    #: task (script/container), suspend, http, resource, ref (templateRef), hook, other.
    shape: str = "task"


@dataclass
class Cluster:
    id: str
    label: str
    items: list[Box | Cluster] = field(default_factory=list)
    #: Where edges into / out of the cluster land in a renderer without cluster edges.
    entries: list[str] = field(default_factory=list)
    exits: list[str] = field(default_factory=list)


@dataclass
class Edge:
    src: str
    dst: str
    label: str = ""
    dashed: bool = False


@dataclass
class Graph:
    clusters: list[Cluster] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    #: Boxes outside every cluster: the workflows' exit handlers and hooks.
    boxes: list[Box] = field(default_factory=list)

    def find(self, item_id: str) -> Box | Cluster | None:
        def walk(items: list[Box | Cluster]) -> Box | Cluster | None:
            for it in items:
                if it.id == item_id:
                    return it
                if isinstance(it, Cluster):
                    found = walk(it.items)
                    if found is not None:
                        return found
            return None

        return walk([*self.clusters, *self.boxes])


_SHAPES = {"script": "task", "container": "task", "containerSet": "task", "suspend": "suspend",
           "http": "http", "resource": "resource", "data": "resource", "plugin": "other"}


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def condition_text(when: str) -> str:
    """A ``when`` as a short label: ``{{=tasks.coin.outputs.parameters['return'] ==
    'heads'}}`` reads ``coin.output == 'heads'``."""
    text = when.strip()
    text = re.sub(r"^\{\{=(.*)\}\}$", r"\1", text, flags=re.S).strip()
    text = re.sub(r"\{\{\s*(.*?)\s*\}\}", r"\1", text)
    text = re.sub(r"\b(?:tasks|steps)\.([\w-]+)\.outputs\.parameters(?:\['return'\]|\.return)",
                  r"\1.output", text)
    text = re.sub(r"\b(?:tasks|steps)\.([\w-]+)\.outputs\.parameters(?:\['([\w-]+)'\]|\.([\w-]+))",
                  lambda m: f"{m.group(1)}.{m.group(2) or m.group(3)}", text)
    text = re.sub(r"\b(?:tasks|steps)\.([\w-]+)\.outputs\.result", r"\1.result", text)
    text = re.sub(r"\binputs\.parameters(?:\['([\w-]+)'\]|\.([\w-]+))",
                  lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"\bworkflow\.parameters\.([\w-]+)", r"\1", text)
    text = re.sub(r"\bas(?:Int|Float)\(([^()]*)\)", r"\1", text)
    return text


def loop_text(step: dict[str, Any]) -> str:
    if "withItems" in step:
        items = step["withItems"]
        shown = ", ".join(str(i) for i in items[:3]) + (", …" if len(items) > 3 else "")
        return f"for each of [{shown}]"
    if "withParam" in step:
        return f"for each in {condition_text(str(step['withParam']))}"
    if "withSequence" in step:
        seq = step["withSequence"]
        if "count" in seq:
            return f"for i in 0..{int(str(seq['count'])) - 1}" if str(seq["count"]).isdigit() \
                else f"for i < {seq['count']}"
        return f"for i in {seq.get('start', 0)}..{seq.get('end', 0)}"
    return ""


class _Builder:
    def __init__(self, templates: dict[str, dict[str, Any]]) -> None:
        self.templates = templates
        self.graph = Graph()

    def step_item(self, step: dict[str, Any], prefix: str, stack: tuple[str, ...],
                  container: Cluster) -> str:
        item_id = f"{prefix}__{slug(step['name'])}"
        label = step["name"]
        loop = loop_text(step)
        if "templateRef" in step:
            ref = step["templateRef"]
            container.items.append(Box(item_id, _join(label, f"ref {ref.get('name')}/{ref.get('template')}", loop), "ref"))
        else:
            name = step.get("template", "")
            t = step.get("inline") or self.templates.get(name, {})
            if ("steps" in t or "dag" in t) and name not in stack:
                inner = Cluster(item_id, _join(label, name if name != label else "", loop))
                container.items.append(inner)
                inner.entries, inner.exits = self.composite(t, item_id, (*stack, name), inner)
            else:
                kind = next((k for k in _SHAPES if k in t), "other")
                shown = name if name and name != label else ""
                if name in stack:
                    shown = f"↻ {name}"
                retry = t.get("retryStrategy")
                retries = f"retries: {retry.get('limit', '∞')}" if isinstance(retry, dict) else ""
                container.items.append(Box(item_id, _join(label, shown, loop, retries),
                                           _SHAPES.get(kind, "other")))
        self.hooks(step.get("hooks") or {}, step.get("onExit"), item_id, container.items)
        return item_id

    def hooks(self, hooks: dict[str, Any], on_exit: str | None, owner: str,
              items: list[Box | Cluster] | list[Box]) -> None:
        if on_exit and "exit" not in hooks:
            hooks = {**hooks, "exit": {"template": on_exit}}
        for name, hook in hooks.items():
            target = hook.get("template") or "/".join(
                str(v) for v in (hook.get("templateRef") or {}).values() if isinstance(v, str))
            hook_id = f"{owner}__hook_{slug(name)}"
            label = "on exit" if name == "exit" else f"hook {name}"
            items.append(Box(hook_id, _join(label, target), "hook"))
            when = "" if name == "exit" else condition_text(str(hook.get("expression", "")))
            self.graph.edges.append(Edge(owner, hook_id, when or label, dashed=True))

    def composite(self, t: dict[str, Any], prefix: str, stack: tuple[str, ...],
                  container: Cluster) -> tuple[list[str], list[str]]:
        if "steps" in t:
            return self.steps(t["steps"], prefix, stack, container)
        return self.dag(t["dag"].get("tasks", []), prefix, stack, container)

    def _conditional(self, item_id: str, when: str, has_inputs: bool) -> str:
        label = f"when {condition_text(when)}" if when else ""
        if label and not has_inputs:
            found = self.graph.find(item_id)
            if found is not None:
                found.label = _join(found.label, label)
            return ""
        return label

    def steps(self, groups: list[list[dict[str, Any]]], prefix: str, stack: tuple[str, ...],
              container: Cluster) -> tuple[list[str], list[str]]:
        previous: list[str] = []
        first: list[str] = []
        for group in groups:
            current = []
            for step in group:
                item_id = self.step_item(step, prefix, stack, container)
                label = self._conditional(item_id, str(step.get("when") or ""), bool(previous))
                for p in previous:
                    self.graph.edges.append(Edge(p, item_id, label))
                current.append(item_id)
            first = first or current
            previous = current
        return first, previous

    def dag(self, tasks: list[dict[str, Any]], prefix: str, stack: tuple[str, ...],
            container: Cluster) -> tuple[list[str], list[str]]:
        ids = {t["name"]: self.step_item(t, prefix, stack, container) for t in tasks}
        needed: set[str] = set()
        entries = []
        for t in tasks:
            text = depends_text(t)
            refs = re.findall(r"(?<![\w.-])([A-Za-z0-9][-A-Za-z0-9_]*)(?:\.(\w+))?", text)
            deps: dict[str, list[str]] = {}
            for name, result in refs:
                if name in ids:
                    # A bare name waits for Succeeded (or Skipped); say so when it is
                    # combined with a result of the same task.
                    deps.setdefault(name, [])
                    label = result or "Succeeded"
                    if label not in deps[name]:
                        deps[name].append(label)
            needed |= set(deps)
            when = self._conditional(ids[t["name"]], str(t.get("when") or ""), bool(deps))
            negated = "!" in text
            for name, results in deps.items():
                shown = [] if results == ["Succeeded"] and not negated else results
                parts = [("not " if negated else "") + " or ".join(shown)] if shown else []
                if "||" in text and len(deps) > 1:
                    parts.insert(0, "one of")
                if when:
                    parts.append(when)
                self.graph.edges.append(Edge(ids[name], ids[t["name"]], ", ".join(parts)))
            if not deps:
                entries.append(ids[t["name"]])
        exits = [ids[t["name"]] for t in tasks if t["name"] not in needed]
        return entries, exits


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def build(documents: list[dict[str, Any]]) -> Graph:
    """One graph for the documents: a cluster per workflow."""
    graph = Graph()
    for doc in documents:
        spec = doc.get("spec", {})
        if doc.get("kind") == "CronWorkflow":
            spec = spec.get("workflowSpec", {})
        meta = doc.get("metadata", {})
        name = str(meta.get("name") or str(meta.get("generateName", "workflow")).rstrip("-"))
        templates = {t["name"]: t for t in spec.get("templates", [])}
        builder = _Builder(templates)
        builder.graph = graph
        wf_id = f"wf_{slug(name)}"
        cluster = Cluster(wf_id, name)
        graph.clusters.append(cluster)
        entry = templates.get(spec.get("entrypoint", ""), {})
        if "steps" in entry or "dag" in entry:
            cluster.entries, cluster.exits = builder.composite(entry, wf_id, (entry["name"],), cluster)
        else:
            item = builder.step_item({"name": spec.get("entrypoint", name),
                                      "template": spec.get("entrypoint", "")}, wf_id, (), cluster)
            cluster.entries = cluster.exits = [item]
        hooks = dict(spec.get("hooks") or {})
        builder.hooks(hooks, spec.get("onExit"), wf_id, graph.boxes)
    return graph
