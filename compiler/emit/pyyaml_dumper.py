"""YAML emission through PyYAML: the reference for ``writer``, and the path for the unusual.

``writer`` writes the plain data lowering produces itself; ``dump_documents`` sends anything
else here. Both give the same bytes (tests/test_emit_fast.py). Here:

* Keys keep the order lowering inserted them in (no sorting).
* Multi-line strings (scripts) are literal blocks (``|``), byte-exact. PyYAML's emitter
  silently falls back to a quoted scalar when a string has trailing spaces, tabs after a
  space, or leading blank lines (https://github.com/yaml/pyyaml/issues/121); we render those
  blocks ourselves: the string is dumped as a unique placeholder, then replaced with a block
  scalar carrying explicit indentation and chomping indicators. Strings a block cannot hold
  exactly (``\\r``, other control characters, U+2028, U+FEFF) stay double-quoted.
* Strings that YAML 1.1 readers would mistype (``y``, ``no``, ``on``, ``1e3``, ``0o17``, …)
  are quoted, through extra implicit resolvers on the dumper.
* No anchors or aliases. The C dumper (libyaml) when available.
"""

from __future__ import annotations

import gc
import io
import re
from collections.abc import Sequence
from typing import Any

import yaml

from tiphys.compiler.emit.writer import NOT_IN_BLOCK, literal_block

_Base: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALAR_NODE = yaml.ScalarNode


class _Dumper(_Base):  # type: ignore[misc]
    #: Multi-line strings set aside as placeholders, restored as literal blocks afterwards.
    blocks: dict[str, str]
    #: (scalar value, implicit) → the resolved tag, for this dump.
    _resolved: dict[Any, Any]

    def ignore_aliases(self, data: Any) -> bool:
        return True

    # No path resolvers: the emitter's per-node calls to these need do nothing.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # The C emitter asks twice per scalar which tag the plain form would read as; the
        # answer depends on the value alone (no path resolvers), and keys and small values
        # repeat throughout a document: remembered per dump.
        # The C emitter passes ``implicit`` as a tuple: the key as it is, no copy.
        if kind is not _SCALAR_NODE or type(implicit) is not tuple:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            tag = self._resolved[key] = super().resolve(kind, value, implicit)
        return tag

    def represent_data(self, data: Any) -> yaml.Node:
        # A direct dispatch for the plain JSON types lowering produces: PyYAML's generic
        # path (alias bookkeeping, MRO walk) was a third of the emit time on large files.
        t = type(data)
        if t is str:
            if "\n" in data and not NOT_IN_BLOCK.search(data):
                key = _PLACEHOLDER.format(len(self.blocks))
                self.blocks[key] = data
                return yaml.ScalarNode(_STR, key)
            return yaml.ScalarNode(_STR, data)
        if t is dict:
            return yaml.MappingNode(_MAP, [
                (yaml.ScalarNode(_STR, k), self.represent_data(v)) for k, v in data.items()
            ], flow_style=None if data else True)
        if t is list:
            return yaml.SequenceNode(_SEQ, [self.represent_data(v) for v in data],
                                     flow_style=None if data else True)
        return super().represent_data(data)  # type: ignore[no-any-return]


# YAML 1.1 booleans that PyYAML's resolver does not know (it has yes/no/on/off/true/false),
# plus YAML 1.2 numbers (1e3, 0o17, .5e1) that go-yaml and other readers type as numbers.
_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:y|Y|n|N)$"), list("yYnN")
)
_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)
_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?0o[0-7_]+$"), list("-+0")
)


_PLACEHOLDER = "TIPHYS_BLOCK_{:08d}_X"


_SEQ_PREFIX = re.compile(r"^( *)((?:- )*)")


def _restore(stream: str, blocks: dict[str, str]) -> str:
    if not blocks:
        return stream
    out_lines = []
    for line in stream.split("\n"):
        idx = line.find("TIPHYS_BLOCK_")
        if idx < 0:
            out_lines.append(line)
            continue
        key = line[idx: idx + len(_PLACEHOLDER.format(0))]
        text = blocks[key]
        m = _SEQ_PREFIX.match(line)
        assert m is not None
        lead = len(m.group(1)) + len(m.group(2))
        # The block's content is indented 2 past the key (or past the dash of a bare item);
        # with an explicit indicator "2" it must be exactly that much past the parent.
        prefix = line[:idx]
        indent = lead + 2 if prefix.rstrip().endswith(":") else lead
        out_lines.append(prefix + literal_block(text, indent))
    return "\n".join(out_lines)


def dump_with_pyyaml(documents: Sequence[dict[str, Any]], header: str | None = None) -> str:
    """One YAML stream: each document starts with ``---``."""
    out = io.StringIO()
    dumper = _Dumper(out, default_flow_style=False, sort_keys=False, allow_unicode=True,
                     explicit_start=True, width=1 << 30)
    dumper.blocks = {}
    dumper._resolved = {}
    # The node tree built here has no cycles and lives until the dump ends, so a garbage
    # collection in between frees nothing, yet scans every object the compiler holds: with
    # collection paused, a 1,000-template dump takes 0.15 s instead of 0.19 s.
    collecting = gc.isenabled()
    gc.disable()
    try:  # what yaml.dump_all does, with the dumper kept to read its blocks afterwards
        dumper.open()
        for document in documents:
            dumper.represent(document)
        dumper.close()
    finally:
        dumper.dispose()
        if collecting:
            gc.enable()
    return (header or "") + _restore(out.getvalue(), dumper.blocks)


class _PlainResolver(yaml.resolver.Resolver):
    """The dumper's implicit resolvers (PyYAML's and the ones added above), on their own."""

    yaml_implicit_resolvers = _Dumper.yaml_implicit_resolvers


_plain_resolver = _PlainResolver()


def plain_is_string(value: str) -> bool:
    """Whether *value*, written as a plain scalar, reads back as a string: the dumper's own
    test (a string it would have to quote otherwise)."""
    tag: str = _plain_resolver.resolve(_SCALAR_NODE, value, (True, False))  # type: ignore[no-untyped-call]
    return tag == _STR
