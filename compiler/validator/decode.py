"""Strict decoding, as ``argo lint`` does before any rule runs (its ``--strict`` defaults to true).

Argo reads a file by converting YAML to JSON and decoding that into its Go types with unknown
fields rejected. So a misspelt field, a value of the wrong JSON type, an integer out of range
or a malformed Kubernetes quantity stops the document before validation. This module walks a
document against :mod:`typemodel`'s shapes and reports each of those at the offending field or
value. With ``strict=False`` it behaves as ``argo lint --strict=false``: field names match
case-insensitively (the document is rewritten to the canonical names, as Go's decoder would
read it) and unknown fields are only warnings.

Beyond Argo's decoder, duration fields the controller parses only at run time are checked too
(ARG904); Argo's validator accepts a bad one and the node fails later.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from tiphys.compiler.diagnostics import Severity
from tiphys.compiler.validator.codes import CODES, beyond_argo_note
from tiphys.compiler.validator.findings import Finding, PathT
from tiphys.compiler.validator.typemodel import Shape, root_shapes

#: Kubernetes' resource.ParseQuantity grammar: a signed decimal, then a binary suffix, a
#: decimal suffix or a decimal exponent. Go trims surrounding blanks first.
_QUANTITY = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?\Z")
#: Go's time.ParseDuration, or a bare number of seconds (Argo's ParseStringToDuration).
_DURATION = re.compile(r"[-+]?(((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+|\d+)\Z")
#: (parent field, field) of the string durations the controller parses at run time.
_DURATION_FIELDS = frozenset({
    ("suspend", "duration"), ("backoff", "duration"), ("backoff", "maxDuration"),
    ("backoff", "cap"), ("memoize", "maxAge"), ("podGC", "deleteDelayDuration"),
    ("retryStrategy", "duration"),
})  # fmt: skip
_DURATION_KEYS = frozenset(k for _, k in _DURATION_FIELDS)
_INT64 = 2**63

_NAMES = {"object": "an object", "map": "an object", "list": "a list", "string": "a string",
          "integer": "an integer", "number": "a number", "boolean": "a boolean"}


def format_path(path: PathT) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(document)"


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return f"{_type_of(value)} {text if len(text) <= 40 else text[:36] + '...'}"


def suggest(key: str, names: list[str]) -> str | None:
    """The field name *key* most likely misspells, if any."""
    low = key.lower()
    lowered = {n.lower(): n for n in names}
    if low in lowered:
        return lowered[low]
    close = difflib.get_close_matches(low, list(lowered), n=1, cutoff=0.6)
    if close:
        return lowered[close[0]]
    prefixed = [n for n in names if len(key) >= 4 and n.lower().startswith(low[:4])]
    return prefixed[0] if len(prefixed) == 1 else None


class Decoder:
    """Decodes one document; :attr:`findings` collects what it reports."""

    def __init__(self, doc_index: int, *, strict: bool = True) -> None:
        self.doc_index = doc_index
        self.strict = strict
        self.findings: list[Finding] = []

    def add(self, code: str, path: PathT, message: str,
            severity: Severity | None = None) -> None:
        self.findings.append(Finding(code, severity or CODES[code].severity,
                                     message + beyond_argo_note(code), self.doc_index, path))

    def document(self, doc: dict[str, Any]) -> dict[str, Any]:
        """Check *doc*; return it, with field names made canonical when not strict."""
        shape = root_shapes().get(str(doc.get("kind")))
        if shape is None:
            return doc
        out = self.walk(doc, shape, ())
        return out if isinstance(out, dict) else doc

    def walk(self, value: Any, shape: Shape, path: PathT) -> Any:
        """Check *value* against *shape*; return the value (a new dict if keys were renamed)."""
        kind = shape.kind
        if value is None or kind == "any":  # Go leaves a field unset for JSON null
            return value
        if kind == "scalar":
            self._scalar(value, shape, path)
            return value
        if kind == "list":
            if not isinstance(value, list):
                return self._wrong(value, "list", path)
            item = shape.value
            if item is not None and item.kind != "any":
                any_string = item.takes_any_string  # no check applies to a string item then
                for i, x in enumerate(value):
                    if any_string and type(x) is str:
                        continue
                    new = self.walk(x, item, (*path, i))
                    if new is not x:
                        value[i] = new
            return value
        if not isinstance(value, dict):
            return self._wrong(value, "object", path)
        if kind == "map":
            inner = shape.value
            if inner is not None and inner.kind != "any":
                for k, v in value.items():
                    new = self.walk(v, inner, (*path, k))
                    if new is not v:
                        value[k] = new
            return value
        return self._object(value, shape, path)

    def _object(self, value: dict[str, Any], shape: Shape, path: PathT) -> Any:
        fields = shape.fields
        renamed: dict[str, str] = {}
        for key, v in value.items():
            sub = fields.get(key)
            if sub is not None and type(v) is str and key not in _DURATION_KEYS \
                    and sub.takes_any_string:
                continue  # the common case, decided without a call
            if sub is None and not self.strict:
                canonical = shape.folded.get(key.lower())
                if canonical is not None and canonical not in value:
                    renamed[key] = canonical
                    sub = fields[canonical]
            if sub is None:
                if shape.closed:
                    self._unknown(key, shape, path)
                continue
            new = self.walk(v, sub, (*path, key))
            if new is not v:
                value[key] = new
        if renamed:
            # rename in place, keeping the order: the loader's positions follow it
            items = [(renamed.get(k, k), v) for k, v in value.items()]
            value.clear()
            value.update(items)
        return value

    def _unknown(self, key: str, shape: Shape, path: PathT) -> None:
        where = f" in {shape.name}" if shape.name else (f" in {format_path(path)}"
                                                        if path else "")
        names = sorted(shape.fields)
        guess = suggest(key, names)
        if guess is not None:
            hint = f"did you mean '{guess}'?"
        elif len(names) <= 12:
            hint = f"known fields: {', '.join(names)}"
        else:
            hint = "remove it or fix its spelling"
        if self.strict:
            self.add("ARG005", (*path, key), f"unknown field '{key}'{where}; {hint} (Argo "
                     "decodes strictly and rejects unknown fields)")
        else:
            self.add("ARG005", (*path, key), f"unknown field '{key}'{where} is ignored; {hint}",
                     Severity.WARNING)

    def _wrong(self, value: Any, wanted: str, path: PathT) -> Any:
        hint = ""
        if wanted == "list" and len(path) >= 2 and path[-1] == "steps":
            hint = "; steps is a list of parallel groups, each a list of steps ('- - name: a')"
        elif wanted == "list" and len(path) >= 3 and path[-2] == "steps":
            hint = "; each entry of steps is a group (a list) of steps: write '- - name: a'"
        self.add("ARG006", path, f"{format_path(path)} must be {_NAMES[wanted]}, got "
                 f"{_show(value)}{hint}")
        return value

    def _scalar(self, value: Any, shape: Shape, path: PathT) -> None:
        got = _type_of(value)
        allowed = shape.scalars
        ok = got in allowed or (got == "number" and "integer" in allowed and "number" not in
                                allowed and float(value).is_integer())
        if not ok:
            wanted = " or ".join(_NAMES[k] for k in sorted(allowed) if k in _NAMES)
            self.add("ARG006", path, f"{format_path(path)} must be {wanted or 'a scalar'}, got "
                     f"{_show(value)}")
            return
        if got == "integer" and not -_INT64 <= value < _INT64:
            self.add("ARG006", path, f"{format_path(path)}: integer {str(value)[:20]}... is out "
                     "of range (at most 64 bits)")
            return
        if shape.special == "quantity" and got == "string" \
                and not _QUANTITY.match(value.strip()):
            self.add("ARG007", path, f"{format_path(path)}: {value[:40]!r} is not a Kubernetes "
                     "quantity (e.g. 500m, 1.5, 2Gi, 1e3); Argo cannot decode it, and "
                     "{{...}} tags are not allowed here: use podSpecPatch for computed "
                     "resources")
            return
        if got == "string" and len(path) >= 2 and (path[-2], path[-1]) in _DURATION_FIELDS \
                and "{{" not in value and not _DURATION.match(value.strip()):
            self.add("ARG904", path, f"{format_path(path)}: {value[:40]!r} is not a duration "
                     "(e.g. 30s, 5m, 1h30m, or a number of seconds)")


def decode_document(doc: dict[str, Any], doc_index: int, *,
                    strict: bool = True) -> tuple[dict[str, Any], list[Finding]]:
    """Strict-decode one Argo document: (the document as Argo reads it, findings)."""
    dec = Decoder(doc_index, strict=strict)
    out = dec.document(doc)
    return out, dec.findings
