"""The graph as Mermaid flowchart text (the default: GitHub and most editors render it) or
as Graphviz ``dot``. Output is deterministic: the order of the document."""

from __future__ import annotations

from tiphys.compiler.graph.model import Box, Cluster, Graph

_MERMAID_SHAPES = {"task": ('["', '"]'), "suspend": ('{{"', '"}}'), "http": ('[/"', '"/]'),
                   "resource": ('[("', '")]'), "ref": ('[["', '"]]'), "hook": ('(["', '"])'),
                   "other": ('["', '"]')}
_DOT_SHAPES = {"task": "box", "suspend": "hexagon", "http": "parallelogram",
               "resource": "cylinder", "ref": "box3d", "hook": "oval", "other": "box"}


def _mermaid_text(text: str) -> str:
    return (text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;")
            .replace(">", "#gt;").replace("\n", "<br/>"))


def mermaid(graph: Graph) -> str:
    lines = ["flowchart TD"]

    def item(it: Box | Cluster, depth: int) -> None:
        pad = "  " * depth
        if isinstance(it, Cluster):
            lines.append(f'{pad}subgraph {it.id}["{_mermaid_text(it.label)}"]')
            for child in it.items:
                item(child, depth + 1)
            lines.append(f"{pad}end")
        else:
            left, right = _MERMAID_SHAPES[it.shape]
            lines.append(f"{pad}{it.id}{left}{_mermaid_text(it.label)}{right}")

    for cluster in graph.clusters:
        item(cluster, 1)
    for box in graph.boxes:
        item(box, 1)
    for e in graph.edges:
        arrow = "-.->" if e.dashed else "-->"
        label = f'|"{_mermaid_text(e.label)}"|' if e.label else ""
        lines.append(f"  {e.src} {arrow}{label} {e.dst}")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot(graph: Graph) -> str:
    lines = ["digraph tiphys {", "  compound=true;", "  rankdir=TB;",
             '  node [shape=box, fontname="Helvetica"];', '  edge [fontname="Helvetica"];']
    clusters: dict[str, Cluster] = {}

    def item(it: Box | Cluster, depth: int) -> None:
        pad = "  " * depth
        if isinstance(it, Cluster):
            clusters[it.id] = it
            lines.append(f"{pad}subgraph cluster_{it.id} {{")
            lines.append(f"{pad}  label={_dot_text(it.label)};")
            if not it.items:  # an empty cluster still needs a node to draw
                lines.append(f'{pad}  {it.id}__empty [label="", shape=point];')
                it.entries = it.exits = [f"{it.id}__empty"]
            for child in it.items:
                item(child, depth + 1)
            lines.append(f"{pad}}}")
        else:
            lines.append(f"{pad}{it.id} [label={_dot_text(it.label)}, "
                         f"shape={_DOT_SHAPES[it.shape]}];")

    for cluster in graph.clusters:
        item(cluster, 1)
    for box in graph.boxes:
        item(box, 1)

    def end(item_id: str, outgoing: bool) -> tuple[str, str]:
        """A node standing for *item_id*, and the attribute clipping the edge at its
        cluster (Graphviz draws edges between nodes only)."""
        seen = item_id
        while seen in clusters:
            c = clusters[seen]
            seen = (c.exits if outgoing else c.entries or c.exits)[0]
        if item_id in clusters:
            return seen, f"{'ltail' if outgoing else 'lhead'}=cluster_{item_id}"
        return seen, ""

    for e in graph.edges:
        src, tail = end(e.src, True)
        dst, head = end(e.dst, False)
        attrs = [a for a in (tail, head) if a]
        if e.label:
            attrs.append(f"label={_dot_text(e.label)}")
        if e.dashed:
            attrs.append("style=dashed")
        lines.append(f"  {src} -> {dst}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    lines.append("}")
    return "\n".join(lines) + "\n"
