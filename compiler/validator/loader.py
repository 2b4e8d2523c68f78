"""YAML loading that keeps positions, in time and memory linear in the input.

libyaml (PyYAML's ``CSafeLoader``) parses; this module builds plain Python values straight from
the event stream, without PyYAML's node tree, and records compactly where each mapping key and
each sequence item starts (two 32-bit entries of one array per document), so a JSON path maps
back to a line and column. On the way it reports duplicate keys (Argo's strict decoding rejects them) and
integers no decoder can hold, expands ``<<`` merge keys and aliases (counting the nodes an alias
expands to, so "billion laughs" documents stop early), and keeps timestamps as strings, as they
are when Kubernetes turns YAML into JSON.

The garbage collector is paused while a document is built: the values hold no reference cycles
(aliases share subtrees but never point back), and collections triggered by the millions of new
objects of a large document would otherwise make loading quadratic.

Where the time goes on the 50 MB benchmark file (README, "Performance"): about half of loading
is PyYAML turning each of libyaml's four million events into a Python object (libyaml itself
parses the file in under a second); the rest is this module's loop, kept to a few attribute
reads per scalar.
"""

from __future__ import annotations

import gc
import sys
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import yaml

from tiphys.compiler.validator.loaded import NO_POS, LoadedDoc, LoadError, locate

__all__ = ["MAX_NODES", "LoadError", "LoadedDoc", "gc_paused", "load_text", "locate"]

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

#: Most nodes one document may expand to (aliases included): stops "billion laughs" documents.
#: Large files get half their length in characters, if that is more.
MAX_NODES = 2_000_000
class _TooLarge(Exception):
    pass


_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_MAP_START, _SEQ_START = yaml.MappingStartEvent, yaml.SequenceStartEvent
_MAP_END, _SEQ_END = yaml.MappingEndEvent, yaml.SequenceEndEvent
#: First characters ("" for the empty text) of the plain scalars PyYAML's resolver may read as
#: something other than a string (its implicit resolvers are keyed by first character): any
#: other plain scalar is a string without calling the resolver. That holds for most of a large
#: file's scalars (names, images, commands), each of which would otherwise cost a call.
#:
#: The loops below take a scalar as a plain string at once when it has no anchor and either
#: ``implicit[1]`` (quoted, no tag: libyaml sets it only then) or ``implicit[0]`` (plain with no
#: tag, or the non-specific tag "!", which is a string anyway) with a first character outside
#: this set. Anything else (explicit tags, anchors, numbers, booleans, nulls, '<<') takes
#: :meth:`_Builder.node`.
_RESOLVABLE = frozenset(_Loader.yaml_implicit_resolvers)
if None in _Loader.yaml_implicit_resolvers:  # pragma: no cover - a resolver for any text
    _RESOLVABLE = frozenset({"", *map(chr, range(0x110000))})
#: Keys of at most 64 characters, and plain string values of at most this many, are kept as one
#: object per distinct text (keys repeat all the time; longer values mostly do not, and a
#: dictionary of a million unique texts cost more time than it saved memory)
_SHARED_VALUE = 16
#: Deepest nesting libyaml accepts (it refuses 1,000 levels); each level is two Python calls.
_MAX_DEPTH = 1000


class _Builder:
    """Builds one document from events, by recursive descent: one call per mapping or
    sequence, whose loop handles plain string scalars (most of a large file) inline."""

    __slots__ = ("anchors", "budget", "count", "doc", "get_event", "loader", "open", "path",
                 "strings", "tags")

    def __init__(self, loader: Any, budget: int) -> None:
        self.get_event = loader.get_event
        self.loader = loader
        self.budget = budget
        #: nodes so far, aliases counted as the nodes they expand to (synchronised with the
        #: loops' local counters at each call)
        self.count = 0
        self.doc = LoadedDoc(None)
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open: list[str] = []  # anchors of the containers being built
        #: the way down to the container being built (keys and indexes), for duplicate keys
        self.path: list[str | int] = []
        self.tags: dict[str, str] = {}  # plain scalar text -> resolved tag (a cache)
        self.strings: dict[str, str] = {}  # one object per distinct short string

    def build(self) -> LoadedDoc:
        """Consume the events of one document (its start event already taken)."""
        ev = self.get_event()
        self.doc.start = (ev.start_mark.line + 1, ev.start_mark.column + 1)
        self.doc.value = self.node(ev)[0]
        while type(self.get_event()) is not yaml.DocumentEndEvent:
            pass
        return self.doc

    def node(self, ev: Any) -> tuple[Any, bool]:
        """(value, is a merge key) of the node that *ev* starts, of any kind."""
        t = type(ev)
        if t is _SCALAR:
            self.count += 1
            tag = ev.tag
            if tag is None and ev.implicit[0]:
                tag = self.resolve(ev.value)
            value, merge = self.scalar(ev, tag)
            if ev.anchor is not None:
                self.anchors[ev.anchor] = (value, 1)
            return value, merge
        if t is _MAP_START or t is _SEQ_START:
            return self.container(ev), False
        if t is _ALIAS:
            known = self.anchors.get(ev.anchor)
            if known is None:
                if ev.anchor in self.open:
                    raise RecursionError  # an alias inside its own anchor
                raise yaml.composer.ComposerError(None, None, "found undefined alias "
                                                  f"{ev.anchor!r}", ev.start_mark)
            self.count += known[1]
            if self.count > self.budget:
                raise _TooLarge
            return known[0], False
        raise yaml.YAMLError(f"unexpected {t.__name__}")  # pragma: no cover - libyaml's order

    def container(self, ev: Any) -> Any:
        """The mapping or sequence that *ev* starts."""
        self.count += 1
        if self.count > self.budget:
            raise _TooLarge
        first = self.count
        anchor = ev.anchor
        if anchor is None:
            return self.mapping() if type(ev) is _MAP_START else self.sequence()
        self.open.append(anchor)
        value = self.mapping() if type(ev) is _MAP_START else self.sequence()
        self.open.pop()
        self.anchors[anchor] = (value, self.count - first + 1)
        return value

    def mapping(self) -> dict[str, Any]:
        """The entries up to the mapping's end event; positions of its keys."""
        get_event, strings, path = self.get_event, self.strings, self.path
        keys: list[str] = []
        values: list[Any] = []
        pos: array[int] = array("I")
        merges: list[Any] | None = None
        count = self.count
        while True:
            ev = get_event()
            t = type(ev)
            if t is _SCALAR and ev.anchor is None and (
                    ev.implicit[1] or (ev.implicit[0] and ev.value[:1] not in _RESOLVABLE)):
                count += 1
                key = ev.value
                if len(key) <= 64:
                    key = strings.setdefault(key, key)
                merge = False
            elif t is _MAP_END:
                break
            else:
                self.count = count
                key, merge = self.node(ev)
                count = self.count
                if not merge and not isinstance(key, str):
                    key = str(key).lower() if isinstance(key, bool) else str(key)
            if not merge:
                m = ev.start_mark
                keys.append(key)
                pos.append(m.line)
                pos.append(m.column)
            ev = get_event()
            t = type(ev)
            if t is _SCALAR and ev.anchor is None and (
                    ev.implicit[1] or (ev.implicit[0] and ev.value[:1] not in _RESOLVABLE)):
                count += 1
                value = ev.value
                if len(value) <= _SHARED_VALUE:
                    value = strings.setdefault(value, value)
            elif t is _MAP_START or t is _SEQ_START:
                self.count = count
                if merge:
                    value = self.container(ev)
                else:
                    path.append(key)
                    value = self.container(ev)
                    path.pop()
                count = self.count
            else:
                self.count = count
                value = self.node(ev)[0]
                count = self.count
            if merge:
                if merges is None:
                    merges = []
                merges.extend(value if isinstance(value, list) else [value])
            else:
                values.append(value)
        self.count = count
        if merges is None:
            out = dict(zip(keys, values, strict=True))
            if len(out) == len(keys):  # the usual case: no '<<', no duplicate
                self.doc.positions[id(out)] = len(self.doc.marks)
                self.doc.marks.extend(pos)
                return out
        return self.merged_mapping(keys, values, pos, merges)

    def sequence(self) -> list[Any]:
        """The items up to the sequence's end event; positions of its items."""
        get_event, strings, path = self.get_event, self.strings, self.path
        items: list[Any] = []
        pos: array[int] = array("I")
        count = self.count
        while True:
            ev = get_event()
            t = type(ev)
            if t is _SCALAR and ev.anchor is None and (
                    ev.implicit[1] or (ev.implicit[0] and ev.value[:1] not in _RESOLVABLE)):
                count += 1
                value = ev.value
                if len(value) <= _SHARED_VALUE:
                    value = strings.setdefault(value, value)
            elif t is _SEQ_END:
                break
            elif t is _MAP_START or t is _SEQ_START:
                self.count = count
                path.append(len(items))
                value = self.container(ev)
                path.pop()
                count = self.count
            else:
                self.count = count
                value = self.node(ev)[0]
                count = self.count
            m = ev.start_mark
            pos.append(m.line)
            pos.append(m.column)
            items.append(value)
        self.count = count
        self.doc.positions[id(items)] = len(self.doc.marks)
        self.doc.marks.extend(pos)
        return items

    def scalar(self, ev: Any, tag: str | None) -> tuple[Any, bool]:
        """(value, is a merge key) of a scalar event whose plain tag is resolved."""
        text: str = ev.value
        if tag is None or tag == "!":
            tag = _STR
        if tag == _STR:
            if len(text) <= 64:
                return self.strings.setdefault(text, text), False
            return text, False
        if tag == _NULL:
            return None, False
        if tag == _BOOL:
            return text.lower() in ("yes", "true", "on"), False
        if tag == _MERGE:
            return text, True
        if tag in (_INT, _FLOAT):
            node = yaml.ScalarNode(tag, text)
            try:
                if tag == _INT:
                    return _constructor.construct_yaml_int(node), False
                return _constructor.construct_yaml_float(node), False
            except ValueError:
                # Python refuses integers of more than 4300 digits (and Go's decoder any beyond
                # 64 bits): report it at the value instead of failing.
                m = ev.start_mark
                self.doc.problems.append((
                    f"integer of {len(text)} characters is out of range (Argo decodes integers "
                    "of at most 64 bits); quote it if it is text", m.line + 1, m.column + 1))
                return None, False
        return text, False  # timestamps, binary, custom tags: keep the text

    def merged_mapping(self, keys: list[str], values: list[Any], pos: array[int],
                       merges: list[Any] | None) -> dict[str, Any]:
        """A mapping with ``<<`` sources or repeated keys: the later of two equal keys wins,
        keeping the first one's place; each repeat is reported."""
        entries = self._merged(keys, merges) if merges else []
        entries += zip(keys, values, zip(pos[::2], pos[1::2], strict=True), strict=True)
        out = {}
        kept: array[int] = array("I")
        dups = []
        for key, value, p in entries:
            if key in out:
                dups.append((key, p))
            else:
                kept.extend(p)
            out[key] = value
        if dups:
            path = tuple(self.path)
            for key, (line, col) in dups:
                self.doc.duplicates.append(((*path, key), key, line + 1, col + 1))
        self.doc.positions[id(out)] = len(self.doc.marks)
        self.doc.marks.extend(kept)
        return out

    def _merged(self, keys: list[str], merges: list[Any]) -> list[Any]:
        """Entries of ``<<`` sources not set explicitly; the first source wins."""
        own = set(keys)
        seen: set[str] = set()
        out: list[Any] = []
        for src in merges:
            if not isinstance(src, dict):
                continue
            at = self.doc.positions.get(id(src))
            marks = self.doc.marks
            for i, (k, v) in enumerate(src.items()):
                if k not in own and k not in seen:
                    seen.add(k)
                    out.append((k, v, (marks[at + 2 * i], marks[at + 2 * i + 1])
                                if at is not None else (NO_POS, 0)))
        return out

    def resolve(self, text: str) -> str:
        """The tag of a plain scalar (cached: the same texts recur)."""
        if text[:1] not in _RESOLVABLE:
            return _STR
        tag = self.tags.get(text)
        if tag is None:
            tag = self.loader.resolve(yaml.ScalarNode, text, (True, False))
            if len(self.tags) < 65536:
                self.tags[text] = tag
        return tag


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (see the module docstring)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load_text(text: str) -> tuple[list[LoadedDoc], LoadError | None]:
    """All documents of *text*; on a syntax error, those before it and the error."""
    docs: list[LoadedDoc] = []
    # Without aliases a node takes at least two characters, so this bounds only expansion.
    budget = max(MAX_NODES, len(text) // 2 + 1)
    loader = _Loader(text)
    depth = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 3 * _MAX_DEPTH)  # see _Builder: calls nest with the YAML
    try:
        with gc_paused():
            while True:
                ev = loader.get_event()
                if type(ev) is yaml.StreamEndEvent:
                    break
                if type(ev) is not yaml.DocumentStartEvent:
                    continue
                builder = _Builder(loader, budget)
                start: Any = ev.start_mark
                try:
                    docs.append(builder.build())
                except (_TooLarge, RecursionError):
                    return docs, LoadError("document too large or recursive (aliases expand "
                                           f"to more than {budget} nodes)",
                                           start.line + 1, start.column + 1)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        msg = " ".join(x for x in (e.context, e.problem) if x)
        return docs, LoadError(msg or str(e), line, col)
    except yaml.YAMLError as e:
        return docs, LoadError(str(e), 0, 0)
    finally:
        loader.dispose()
        sys.setrecursionlimit(depth)
    return docs, None
