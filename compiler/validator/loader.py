"""YAML loading that keeps node positions.

Documents are composed with libyaml (``CSafeLoader``) and converted to plain Python values by
hand, so that duplicate keys are reported (Argo's strict decoding rejects them) and the node tree
stays available to map a JSON path back to a line and column. Timestamps stay strings, as they do
when Kubernetes turns YAML into JSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from tiphys.compiler.validator.findings import PathT

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"

_constructor = yaml.constructor.SafeConstructor()


@dataclass(slots=True)
class LoadedDoc:
    """One YAML document: its value, its node tree and problems found while loading."""

    value: Any
    node: yaml.Node | None
    #: (path, key, line, col) of each repeated key (the second occurrence)
    duplicates: list[tuple[PathT, str, int, int]] = field(default_factory=list)
    #: (message, line, col) of each value that cannot be represented (a huge integer)
    problems: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass(slots=True)
class LoadError:
    message: str
    line: int
    col: int


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag == _STR:
        return node.value
    if tag == _INT:
        return _constructor.construct_yaml_int(node)
    if tag == _BOOL:
        return _constructor.construct_yaml_bool(node)
    if tag == _NULL:
        return None
    if tag == _FLOAT:
        return _constructor.construct_yaml_float(node)
    return node.value  # timestamps, binary, custom tags: keep the text


#: Most nodes one document may expand to (aliases included): stops "billion laughs" documents.
#: Large files get half their length in characters, if that is more.
MAX_NODES = 2_000_000


class _TooLarge(Exception):
    pass


class _Ctx:
    """What one document's conversion collects besides the value."""

    __slots__ = ("budget", "dups", "problems")

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.dups: list[tuple[PathT, str, int, int]] = []
        self.problems: list[tuple[str, int, int]] = []


def _safe_scalar(node: yaml.ScalarNode, ctx: _Ctx) -> Any:
    try:
        return _scalar(node)
    except ValueError:
        # Python refuses to convert integers of more than 4300 digits (and Go's decoder
        # any integer beyond 64 bits): report it at the value instead of failing.
        m = node.start_mark
        digits = len(node.value)
        ctx.problems.append((f"integer of {digits} characters is out of range (Argo decodes "
                             "integers of at most 64 bits); quote it if it is text",
                             m.line + 1, m.column + 1))
        return None


def _convert(node: yaml.Node, path: PathT, ctx: _Ctx) -> Any:
    ctx.budget -= 1
    if ctx.budget < 0:
        raise _TooLarge
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR:
            return node.value
        return _safe_scalar(node, ctx)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), ctx) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for knode, vnode in _pairs(node):
            key = (_safe_scalar(knode, ctx) if isinstance(knode, yaml.ScalarNode)
                   else str(knode.value))
            if not isinstance(key, str):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            if key in out:
                m = knode.start_mark
                ctx.dups.append(((*path, key), key, m.line + 1, m.column + 1))
            out[key] = _convert(vnode, (*path, key), ctx)
        return out
    return None  # pragma: no cover


def _pairs(node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    """Key/value node pairs, with ``<<`` merge keys expanded (explicit keys win)."""
    merged: list[tuple[yaml.Node, yaml.Node]] = []
    own: list[tuple[yaml.Node, yaml.Node]] = []
    for knode, vnode in node.value:
        if knode.tag == _MERGE:
            sources = vnode.value if isinstance(vnode, yaml.SequenceNode) else [vnode]
            for src in sources:
                if isinstance(src, yaml.MappingNode):
                    merged.extend(_pairs(src))
        else:
            own.append((knode, vnode))
    if not merged:
        yield from own
        return
    own_keys = {k.value for k, _ in own if isinstance(k, yaml.ScalarNode)}
    seen: set[Any] = set()
    for knode, vnode in merged:
        if knode.value not in own_keys and knode.value not in seen:
            seen.add(knode.value)
            yield knode, vnode
    yield from own


def load_text(text: str) -> tuple[list[LoadedDoc], LoadError | None]:
    """All documents of *text*; on a syntax error, those before it and the error."""
    docs: list[LoadedDoc] = []
    # Without aliases a node takes at least two characters, so this bounds only expansion.
    budget = max(MAX_NODES, len(text) // 2 + 1)
    loader = _Loader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            ctx = _Ctx(budget)
            start = node.start_mark
            try:
                value = _convert(node, (), ctx)
            except (_TooLarge, RecursionError):
                return docs, LoadError("document too large or recursive (aliases expand to "
                                       f"more than {budget} nodes)",
                                       start.line + 1, start.column + 1)
            docs.append(LoadedDoc(value, node, ctx.dups, ctx.problems))
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        msg = " ".join(x for x in (e.context, e.problem) if x)
        return docs, LoadError(msg or str(e), line, col)
    except yaml.YAMLError as e:
        return docs, LoadError(str(e), 0, 0)
    finally:
        loader.dispose()
    return docs, None


def _find_key(node: yaml.MappingNode, key: str) -> tuple[Any, yaml.Node] | None:
    """(mark of the key, value node) of *key*; failing that, of a key equal to it ignoring
    case (``--no-strict`` renames such keys to their canonical spelling)."""
    folded: tuple[Any, yaml.Node] | None = None
    low = key.lower()
    for knode, vnode in _pairs(node):
        if isinstance(knode, yaml.ScalarNode):
            if knode.value == key:
                return knode.start_mark, vnode
            if folded is None and str(knode.value).lower() == low:
                folded = knode.start_mark, vnode
    return folded


def locate(node: yaml.Node | None, path: PathT) -> tuple[int, int]:
    """1-based (line, col) of the deepest node of *path* that exists: the key of a mapping
    entry, the item of a sequence. (0, 0) when the document has no node."""
    if node is None:
        return 0, 0
    mark = node.start_mark
    cur: yaml.Node = node
    for part in path:
        if isinstance(cur, yaml.MappingNode) and isinstance(part, str):
            found = _find_key(cur, part)
            if found is None:
                break
            mark, cur = found
        elif isinstance(cur, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(cur.value):
                cur = cur.value[part]
                mark = cur.start_mark
            else:
                break
        else:
            break
    return mark.line + 1, mark.column + 1
