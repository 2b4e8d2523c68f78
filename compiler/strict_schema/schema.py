"""Check emitted Argo documents against tiphys' strict JSON schema.

The schema (``tiphys/schemas/argo-strict.schema.json``) is a closed, hand-written subset of Argo
Workflows v4.1: every object rejects unknown fields, names follow Argo's patterns, and
int-or-string fields take both JSON types. It is loaded once and compiled into one cached
validator; :func:`check_strict` turns jsonschema's errors into short :class:`SchemaViolation`
records whose ``path`` points at the offending value (for an unknown field, at the field itself).

The documents are plain JSON-like data: dicts (any ``Mapping``), lists or tuples, strings,
numbers, booleans and ``None``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from tiphys.compiler.strict_schema.fast import Check, FastCompiler
from tiphys.compiler.strict_schema.messages import SchemaViolation, explain
from tiphys.compiler.strict_schema.patterns import ecma_pattern

if TYPE_CHECKING:
    # jsonschema takes ~50 ms to import and only the slow path (an invalid document) needs it.
    from jsonschema.protocols import Validator

SCHEMA_PACKAGE = "tiphys.schemas"
SCHEMA_FILE = "argo-strict.schema.json"


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The strict schema, parsed once. Callers must not mutate it."""
    return dict(json.loads(_schema_text()))


def _schema_text() -> str:
    import importlib

    try:
        package = importlib.import_module(SCHEMA_PACKAGE)
        folders = list(getattr(package, "__path__", []))
    except ModuleNotFoundError:
        # Running from a source tree where tiphys is not installed: schemas/ is next to compiler/.
        here = os.path.dirname(os.path.realpath(__file__))
        folders = [os.path.join(os.path.dirname(os.path.dirname(here)), "schemas")]
    for folder in folders:
        # A plain file read: importing importlib.resources (tempfile, shutil, zipfile...) costs
        # about 10 ms of every start-up, pathlib (urllib.parse, ipaddress...) 3 ms.
        try:
            with open(os.path.join(folder, SCHEMA_FILE), encoding="utf-8") as f:
                return f.read()
        except OSError:
            continue
    from importlib import resources  # packaged some other way (a zip)

    return resources.files(SCHEMA_PACKAGE).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")




def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    """jsonschema's ``pattern`` keyword, with :func:`ecma_pattern`'s ``$``."""
    from jsonschema.exceptions import ValidationError

    if isinstance(instance, str) and not ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _is_object(_checker: object, instance: object) -> bool:
    return isinstance(instance, Mapping)


def _is_array(_checker: object, instance: object) -> bool:
    return isinstance(instance, (list, tuple))


@lru_cache(maxsize=1)
def strict_validator() -> Validator:
    """The one compiled validator (no format checking: the schema uses no formats)."""
    from jsonschema import Draft202012Validator
    from jsonschema.validators import extend, validator_for

    schema = load_schema()
    base = validator_for(schema, default=Draft202012Validator)
    checker = base.TYPE_CHECKER.redefine_many({"object": _is_object, "array": _is_array})
    cls = extend(base, validators={"pattern": _pattern},  # type: ignore[no-untyped-call]
                 type_checker=checker)  # untyped in stubs
    validator: Validator = cls(schema, format_checker=None)
    return validator


def check_strict(doc: Mapping[str, Any]) -> list[SchemaViolation]:
    """Every strict-schema violation in ``doc``, sorted by path, without duplicates.

    A valid document (the usual case) is accepted by the fast checker alone; only an invalid one
    goes through jsonschema, which explains every error.
    """
    if is_strictly_valid(doc):
        return []
    found: dict[SchemaViolation, None] = {}
    for error in strict_validator().iter_errors(_without_valid_templates(doc)):
        for violation in explain(error):
            found[violation] = None
    return sorted(found, key=_sort_key)


def _sort_key(v: SchemaViolation) -> tuple[tuple[tuple[int, int, str], ...], str]:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in v.path), v.message


# --- turning jsonschema errors into violations -------------------------------------------



def is_strictly_valid(doc: Mapping[str, Any]) -> bool:
    """Whether ``doc`` passes the strict schema (same verdict as jsonschema, much faster)."""
    return _fast_check()(doc)


@lru_cache(maxsize=1)
def _fast_compiler() -> FastCompiler:
    return FastCompiler(load_schema())


@lru_cache(maxsize=1)
def _fast_check() -> Check:
    return _fast_compiler().compile(load_schema())


@cache
def _fast_check_of(ref: str) -> Check:
    return _fast_compiler().compile({"$ref": ref})


# The schemas of one template and one DAG task, and tiny entries they accept.
_TEMPLATE_ITEM = "#/$defs/WorkflowSpec/properties/templates/items"
_TASK_ITEM = "#/$defs/DAGTask"
_TEMPLATE_STAND_IN: dict[str, Any] = {"name": "valid", "suspend": {}}
_TASK_STAND_IN: dict[str, Any] = {"name": "valid", "template": "valid"}


def _without_valid_templates(doc: Mapping[str, Any]) -> Mapping[str, Any]:
    """``doc`` with every template (and DAG task) that passes replaced by a valid stand-in.

    jsonschema then spends its time only on what is broken. The stand-ins keep the lists' lengths
    and indexes, and no schema rule looks across entries, so the errors and their paths are the
    same as for the whole document.
    """
    spec = doc.get("spec") if isinstance(doc, Mapping) else None
    if not isinstance(spec, Mapping):
        return doc
    cron = doc.get("kind") == "CronWorkflow"
    workflow_spec = spec.get("workflowSpec") if cron else spec
    if not isinstance(workflow_spec, Mapping):
        return doc
    templates = workflow_spec.get("templates")
    if not isinstance(templates, (list, tuple)):
        return doc
    passes = _fast_check_of(_TEMPLATE_ITEM)
    pruned = [_TEMPLATE_STAND_IN if passes(t) else _without_valid_tasks(t) for t in templates]
    new_workflow_spec = {**workflow_spec, "templates": pruned}
    new_spec = {**spec, "workflowSpec": new_workflow_spec} if cron else new_workflow_spec
    return {**doc, "spec": new_spec}


def _without_valid_tasks(template: Any) -> Any:
    dag = template.get("dag") if isinstance(template, Mapping) else None
    tasks = dag.get("tasks") if isinstance(dag, Mapping) else None
    if not isinstance(dag, Mapping) or not isinstance(tasks, (list, tuple)):
        return template
    passes = _fast_check_of(_TASK_ITEM)
    pruned = [_TASK_STAND_IN if passes(t) else t for t in tasks]
    return {**template, "dag": {**dag, "tasks": pruned}}


