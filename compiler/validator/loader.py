"""YAML loading that keeps positions, in time and memory linear in the input.

libyaml (PyYAML's ``CSafeLoader``) parses; this module builds plain Python values straight from
the event stream, without PyYAML's node tree, and records compactly where each mapping key and
each sequence item starts (one 64-bit integer per entry), so a JSON path maps back to a line
and column. On the way it reports duplicate keys (Argo's strict decoding rejects them) and
integers no decoder can hold, expands ``<<`` merge keys and aliases (counting the nodes an alias
expands to, so "billion laughs" documents stop early), and keeps timestamps as strings, as they
are when Kubernetes turns YAML into JSON.

The garbage collector is paused while a document is built: the values hold no reference cycles
(aliases share subtrees but never point back), and collections triggered by the millions of new
objects of a large document would otherwise make loading quadratic.
"""

from __future__ import annotations

import gc
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
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

#: Most nodes one document may expand to (aliases included): stops "billion laughs" documents.
#: Large files get half their length in characters, if that is more.
MAX_NODES = 2_000_000
#: Positions pack (line, column), both 1-based, into one integer.
_SHIFT = 32


def _pack(mark: Any) -> int:
    packed: int = ((mark.line + 1) << _SHIFT) | (mark.column + 1)
    return packed


@dataclass(slots=True)
class LoadedDoc:
    """One YAML document: its value, where its entries are, and problems found loading it."""

    value: Any
    #: (line, col) where the document's root starts
    start: tuple[int, int] = (0, 0)
    #: id(container) -> (container, packed position of each key / item, in order)
    positions: dict[int, tuple[Any, array[int]]] = field(default_factory=dict)
    #: (path, key, line, col) of each repeated key (the second occurrence)
    duplicates: list[tuple[PathT, str, int, int]] = field(default_factory=list)
    #: (message, line, col) of each value that cannot be represented (a huge integer)
    problems: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass(slots=True)
class LoadError:
    message: str
    line: int
    col: int


class _TooLarge(Exception):
    pass


# A mapping or sequence being built is a plain list (cheaper than an object per container;
# a large file has hundreds of thousands): these are its slots.
F_MAP, F_ANCHOR, F_COUNT, F_START, F_KEYS, F_VALUES, F_POS, F_WANT, F_MERGE, F_MERGES = range(10)


def _frame(is_map: bool, anchor: str | None, count: int, start: int) -> list[Any]:
    """[is a mapping, anchor, nodes counted before it, its packed start, keys, values (or
    items), packed positions of the keys (or items), a value is due, the pending key is
    '<<', the '<<' sources]."""
    return [is_map, anchor, count, start, [], [], array("q"), False, False, None]


class _Builder:
    """Builds one document from events."""

    def __init__(self, loader: Any, budget: int) -> None:
        self.loader = loader
        self.budget = budget
        self.count = 0
        self.doc = LoadedDoc(None)
        self.stack: list[list[Any]] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.tags: dict[str, str] = {}  # plain scalar text -> resolved tag (a cache)
        self.strings: dict[str, str] = {}  # one object per distinct short string

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

    def add(self, value: Any, pos: int, merge: bool = False) -> None:
        """Put a finished value into the enclosing mapping or sequence (or the document)."""
        if not self.stack:
            self.doc.value = value
            self.doc.start = (pos >> _SHIFT, pos & 0xFFFFFFFF)
            return
        top = self.stack[-1]
        if not top[F_MAP]:
            top[F_VALUES].append(value)
            top[F_POS].append(pos)
        elif not top[F_WANT]:  # a key
            if merge:
                top[F_MERGE] = True
            else:
                if not isinstance(value, str):
                    value = str(value).lower() if isinstance(value, bool) else str(value)
                top[F_KEYS].append(value)
                top[F_POS].append(pos)
            top[F_WANT] = True
        else:
            if top[F_MERGE]:
                if top[F_MERGES] is None:
                    top[F_MERGES] = []
                top[F_MERGES].extend(value if isinstance(value, list) else [value])
                top[F_MERGE] = False
            else:
                top[F_VALUES].append(value)
            top[F_WANT] = False

    def end_mapping(self, frame: list[Any]) -> dict[str, Any]:
        keys: list[str] = frame[F_KEYS]
        if frame[F_MERGES] is None:
            out = dict(zip(keys, frame[F_VALUES], strict=True))
            if len(out) == len(keys):  # the usual case: no '<<', no duplicate
                self.doc.positions[id(out)] = (out, frame[F_POS])
                return out
        entries = self._merged(frame) if frame[F_MERGES] else []
        entries += zip(keys, frame[F_VALUES], frame[F_POS], strict=True)
        out = {}
        pos: array[int] = array("q")
        dups = []
        for key, value, p in entries:
            if key in out:
                dups.append((key, p))
            else:
                pos.append(p)
            out[key] = value
        if dups:
            path = self.path()
            for key, p in dups:
                self.doc.duplicates.append(((*path, key), key, p >> _SHIFT, p & 0xFFFFFFFF))
        self.doc.positions[id(out)] = (out, pos)
        return out

    def _merged(self, frame: list[Any]) -> list[Any]:
        """Entries of ``<<`` sources not set explicitly; the first source wins."""
        own = set(frame[F_KEYS])
        seen: set[str] = set()
        out: list[Any] = []
        for src in frame[F_MERGES]:
            if not isinstance(src, dict):
                continue
            src_pos = self.doc.positions.get(id(src))
            for i, (k, v) in enumerate(src.items()):
                if k not in own and k not in seen:
                    seen.add(k)
                    out.append((k, v, src_pos[1][i] if src_pos else 0))
        return out

    def path(self) -> PathT:
        """Path of the mapping being finished (the frames below it hold the way down)."""
        out: list[str | int] = []
        for f in self.stack[:-1]:
            if not f[F_MAP]:
                out.append(len(f[F_VALUES]))
            elif f[F_WANT] and not f[F_MERGE]:
                out.append(f[F_KEYS][-1])
        return tuple(out)

    def build(self) -> LoadedDoc:
        """Consume the events of one document (its start event already taken).

        The loop is the hot path of a large file: plain strings (most scalars) are handled
        inline; everything else goes through :meth:`scalar` and :meth:`add`.
        """
        get_event = self.loader.get_event
        stack = self.stack
        tags_get = self.tags.get
        strings_setdefault = self.strings.setdefault
        positions = self.doc.positions
        budget = self.budget
        count = self.count
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        while True:
            ev = get_event()
            t = type(ev)
            if t is scalar_event:
                count += 1
                text = ev.value
                tag = ev.tag
                if tag is None and ev.implicit[0]:
                    tag = tags_get(text) or self.resolve(text, ev.implicit)
                if (tag == _STR or tag is None or tag == "!") and ev.anchor is None and stack:
                    value = strings_setdefault(text, text) if len(text) <= 64 else text
                    top = stack[-1]
                    if top[F_WANT]:
                        if not top[F_MERGE]:  # a mapping value: only keys need positions
                            top[F_VALUES].append(value)
                            top[F_WANT] = False
                            continue
                    else:
                        m = ev.start_mark
                        top[F_POS].append(((m.line + 1) << _SHIFT) | (m.column + 1))
                        if top[F_MAP]:
                            top[F_KEYS].append(value)
                            top[F_WANT] = True
                        else:
                            top[F_VALUES].append(value)
                        continue
                self.count = count
                value, merge = self.scalar(ev, tag)
                if ev.anchor is not None:
                    self.anchors[ev.anchor] = (value, 1)
                self.add(value, _pack(ev.start_mark), merge)
            elif t is map_start or t is seq_start:
                count += 1
                if count > budget:
                    raise _TooLarge
                stack.append(_frame(t is map_start, ev.anchor, count, _pack(ev.start_mark)))
            elif t in ends:
                frame = stack[-1]
                if frame[F_MAP]:
                    value = self.end_mapping(frame)
                else:
                    value = frame[F_VALUES]
                    positions[id(value)] = (value, frame[F_POS])
                stack.pop()
                if frame[F_ANCHOR] is not None:
                    self.anchors[frame[F_ANCHOR]] = (value, count - frame[F_COUNT] + 1)
                self.add(value, frame[F_START])
            elif t is alias_event:
                known = self.anchors.get(ev.anchor)
                if known is None:
                    if any(f[F_ANCHOR] == ev.anchor for f in stack):
                        raise RecursionError  # an alias inside its own anchor
                    raise yaml.composer.ComposerError(None, None, "found undefined alias "
                                                      f"{ev.anchor!r}", ev.start_mark)
                value, size = known
                count += size
                if count > budget:
                    raise _TooLarge
                self.add(value, _pack(ev.start_mark))
            elif t is yaml.DocumentEndEvent:
                self.count = count
                return self.doc

    def resolve(self, text: str, implicit: tuple[bool, bool]) -> str:
        """The tag of a plain scalar (cached: the same texts recur)."""
        tag: str = self.loader.resolve(yaml.ScalarNode, text, implicit)
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
    return docs, None


def _key_index(container: dict[str, Any], key: str) -> int | None:
    """Index of *key* in the mapping's order; failing that, of a key equal to it ignoring
    case (``--no-strict`` decodes such keys under their canonical spelling)."""
    folded = None
    low = key.lower()
    for i, k in enumerate(container):
        if k == key:
            return i
        if folded is None and k.lower() == low:
            folded = i
    return folded


def locate(doc: LoadedDoc, path: PathT) -> tuple[int, int]:
    """1-based (line, col) of the deepest element of *path* that exists: the key of a mapping
    entry, the item of a sequence. (0, 0) when the document is empty."""
    line, col = doc.start
    cur: Any = doc.value
    for part in path:
        entry = doc.positions.get(id(cur))
        if entry is None:
            break
        if isinstance(cur, dict) and isinstance(part, str):
            i = _key_index(cur, part)
            if i is None:
                break
            key = list(cur)[i]
            cur = cur[key]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            i = part
            cur = cur[part]
        else:
            break
        packed = entry[1][i]
        if packed:
            line, col = packed >> _SHIFT, packed & 0xFFFFFFFF
    return line, col
