"""A fast compiled checker for the strict schema: the same verdict as jsonschema on the
subset of JSON Schema the schema uses, in a fraction of the time. It only says yes or no;
jsonschema explains a failure (:mod:`.messages`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tiphys.compiler.strict_schema.patterns import ecma_pattern

Check = Callable[[Any], bool]

# Keywords that carry no assertion.
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "$defs", "title", "description", "contentEncoding"}
)
_ASSERTIONS = frozenset(
    {
        "type", "enum", "const", "$ref", "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
        "properties", "additionalProperties", "required", "propertyNames", "minProperties",
        "maxProperties", "items", "minItems", "maxItems", "pattern", "minLength", "maxLength",
        "minimum", "maximum",
    }
)  # fmt: skip




def _always(_instance: Any) -> bool:
    return True


def _never(_instance: Any) -> bool:
    return False


def _is_mapping(value: Any) -> bool:
    return type(value) is dict or isinstance(value, Mapping)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _type_test(name: str) -> Check:
    tests: dict[str, Check] = {
        "object": _is_mapping,
        "array": lambda v: isinstance(v, (list, tuple)),
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "number": _is_number,
        "integer": lambda v: (
            (isinstance(v, int) and not isinstance(v, bool))
            or (isinstance(v, float) and v.is_integer())
        ),
    }
    return tests[name]


def _json_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return type(a) is type(b) and a == b
    if _is_mapping(a) and _is_mapping(b):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _all_of(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    group = tuple(checks)

    def check(instance: Any) -> bool:
        for one in group:  # noqa: SIM110 - a plain loop is faster than all() over a generator
            if not one(instance):
                return False
        return True

    return check


def _closed_object(props: dict[str, Check], required: tuple[str, ...], typed: bool) -> Check:
    """A closed object (``additionalProperties: false``) with no other object keyword: most
    of the schema's objects, so the loop is kept to the one test each key needs."""
    get = props.get

    def check(instance: Any) -> bool:
        if type(instance) is not dict and not isinstance(instance, Mapping):
            return not typed
        for key, value in instance.items():
            prop = get(key)
            if prop is None or not prop(value):
                return False
        for key in required:  # noqa: SIM110 - a plain loop is faster than all() here
            if key not in instance:
                return False
        return True

    return check


class FastCompiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        unknown = set(schema) - _ANNOTATIONS - _ASSERTIONS
        if unknown:
            raise ValueError(f"fast checker does not implement {sorted(unknown)}")
        checks: list[Check] = []
        kind = schema.get("type")
        # "type": "object" (or "array") with its keywords is one check, not two: a third of
        # the calls on a large document (a template has dozens of nested objects).
        objects = self._object(schema, typed=kind == "object")
        arrays = self._array(schema, typed=kind == "array")
        fused = (kind == "object" and bool(objects)) or (kind == "array" and bool(arrays))
        if kind is not None and not fused:
            kinds = [kind] if isinstance(kind, str) else kind
            tests = tuple(_type_test(k) for k in kinds)
            checks.append(tests[0] if len(tests) == 1 else lambda v: any(t(v) for t in tests))
        if "enum" in schema or "const" in schema:
            checks.append(self._enum(schema["enum"] if "enum" in schema else [schema["const"]]))
        if "$ref" in schema:
            checks.append(self._ref(schema["$ref"]))
        checks.extend(objects)
        checks.extend(arrays)
        checks.extend(self._string(schema))
        checks.extend(self._number(schema))
        checks.extend(self._logic(schema))
        return _all_of(checks)

    def _ref(self, ref: str) -> Check:
        if ref in self.refs:
            return self.refs[ref]
        if not ref.startswith("#/"):
            raise ValueError(f"fast checker resolves only local references, not {ref!r}")
        target: Any = self.root
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        cell: list[Check] = []
        self.refs[ref] = lambda v: cell[0](v)  # stands in while a recursive ref compiles
        compiled = self.compile(target)
        cell.append(compiled)
        self.refs[ref] = compiled
        return compiled

    def _enum(self, values: list[Any]) -> Check:
        if all(isinstance(v, str) for v in values):
            allowed = frozenset(values)
            return lambda v: isinstance(v, str) and v in allowed
        options = tuple(values)
        return lambda v: any(_json_equal(v, o) for o in options)

    def _object(self, schema: dict[str, Any], typed: bool = False) -> list[Check]:
        """The object keywords; with ``typed``, a non-object fails ("type": "object") instead
        of passing."""
        keys = ("properties", "additionalProperties", "required", "propertyNames")
        if not any(k in schema for k in (*keys, "minProperties", "maxProperties")):
            return []
        props = {k: self.compile(v) for k, v in schema.get("properties", {}).items()}
        extra_schema = schema.get("additionalProperties", True)
        closed = extra_schema is False
        extra = None if extra_schema is True or closed else self.compile(extra_schema)
        names = self.compile(schema["propertyNames"]) if "propertyNames" in schema else None
        required = tuple(schema.get("required", ()))
        least = schema.get("minProperties", 0)
        most = schema.get("maxProperties")
        if closed and names is None and least == 0 and most is None:
            return [_closed_object(props, required, typed)]

        def check(instance: Any) -> bool:
            if type(instance) is not dict and not isinstance(instance, Mapping):
                return not typed
            for key, value in instance.items():
                prop = props.get(key)
                if prop is not None:
                    if not prop(value):
                        return False
                elif closed or (extra is not None and not extra(value)):
                    return False
                if names is not None and not names(key):
                    return False
            for key in required:
                if key not in instance:
                    return False
            size = len(instance)
            return size >= least and (most is None or size <= most)

        return [check]

    def _array(self, schema: dict[str, Any], typed: bool = False) -> list[Check]:
        if not any(k in schema for k in ("items", "minItems", "maxItems")):
            return []
        item = self.compile(schema["items"]) if "items" in schema else None
        least = schema.get("minItems", 0)
        most = schema.get("maxItems")

        def check(instance: Any) -> bool:
            if not isinstance(instance, (list, tuple)):
                return not typed
            if len(instance) < least or (most is not None and len(instance) > most):
                return False
            if item is not None:
                for value in instance:
                    if not item(value):
                        return False
            return True

        return [check]

    def _string(self, schema: dict[str, Any]) -> list[Check]:
        if not any(k in schema for k in ("pattern", "minLength", "maxLength")):
            return []
        search = ecma_pattern(schema["pattern"]).search if "pattern" in schema else None
        least = schema.get("minLength", 0)
        most = schema.get("maxLength")

        def check(instance: Any) -> bool:
            if not isinstance(instance, str):
                return True
            if len(instance) < least or (most is not None and len(instance) > most):
                return False
            return search is None or search(instance) is not None

        return [check]

    def _number(self, schema: dict[str, Any]) -> list[Check]:
        if "minimum" not in schema and "maximum" not in schema:
            return []
        low = schema.get("minimum")
        high = schema.get("maximum")

        def check(instance: Any) -> bool:
            if not _is_number(instance):
                return True
            return (low is None or instance >= low) and (high is None or instance <= high)

        return [check]

    def _logic(self, schema: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        if "allOf" in schema:
            checks.append(_all_of([self.compile(s) for s in schema["allOf"]]))
        if "anyOf" in schema:
            any_of = tuple(self.compile(s) for s in schema["anyOf"])
            checks.append(lambda v: any(c(v) for c in any_of))
        if "oneOf" in schema:
            one_of = tuple(self.compile(s) for s in schema["oneOf"])
            checks.append(lambda v: sum(1 for c in one_of if c(v)) == 1)
        if "not" in schema:
            negated = self.compile(schema["not"])
            checks.append(lambda v: not negated(v))
        if "if" in schema:
            condition = self.compile(schema["if"])
            then = self.compile(schema.get("then", True))
            otherwise = self.compile(schema.get("else", True))
            checks.append(lambda v: then(v) if condition(v) else otherwise(v))
        return checks
