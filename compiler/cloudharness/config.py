"""The CloudHarness front end's configuration: ``[tool.tiphys.cloudharness]``, a CloudHarness
values file, and the defaults CloudHarness hard-codes.

CloudHarness reads its settings at run time from the deployment's ``allvalues.yaml`` and the
process environment, so its output differs per machine. Here every input is explicit:
precedence is the ``[tool.tiphys.cloudharness]`` table, then the generic settings (flags and
``[tool.tiphys]``), then the values file named by ``values =``, then CloudHarness' defaults.
The table is checked against ``tiphys/schemas/tiphys-cloudharness.schema.json``.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from tiphys.compiler.bounded_read import DEFAULT_MAX_INPUT_SIZE, read_bounded
from tiphys.compiler.cloudharness.images import discover
from tiphys.compiler.cloudharness.model import Json, Problem, error
from tiphys.compiler.lower.workflow import Settings

SCHEMA_FILE = "tiphys-cloudharness.schema.json"
TABLE = "[tool.tiphys.cloudharness]"

DEFAULT_TTL = (("secondsAfterCompletion", 3600), ("secondsAfterSuccess", 1200),
               ("secondsAfterFailure", 7200))
DEFAULT_TOLERATION: dict[str, Any] = {
    "key": "cloudharness/temporary-job", "operator": "Equal", "value": "true",
}
DEFAULT_BASE_IMAGE = "cloudharness/cloudharness-base:latest"
KINDS = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate")


@dataclass(frozen=True, slots=True)
class CHConfig:
    #: Workflow (``generateName``), WorkflowTemplate or ClusterWorkflowTemplate.
    kind: str = "Workflow"
    namespace: str | None = None
    service_account: str = "argo-workflows"
    registry: str | None = None
    tag: str = "latest"
    #: None means ``cloudharness-base`` resolved like any image (registry/tag or a
    #: task-images entry), else :data:`DEFAULT_BASE_IMAGE`.
    base_image: str | None = None
    image_pull_secret: str | None = None
    #: None: CloudHarness' defaults (``IfNotPresent`` and retry limit 10 on container
    #: templates, neither on script templates); a configured value applies to every task.
    image_pull_policy: str | None = None
    retry_limit: int | None = None
    ttl: tuple[tuple[str, int], ...] = DEFAULT_TTL
    pod_gc_strategy: str = "OnWorkflowSuccess"
    tolerations: tuple[Json, ...] = (DEFAULT_TOLERATION,)
    allvalues: bool = True
    accounts: bool = False
    shared_volume_size: int = 10
    exit_handler_image: str | None = None
    #: Image name → full reference: the table's task_images, the values file's task-images
    #: and application images.
    images: tuple[tuple[str, str], ...] = ()
    #: Image names built from the applications folder's Dockerfiles.
    built: tuple[str, ...] = field(default=())


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    try:
        text = resources.files("tiphys.schemas").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        text = (Path(__file__).resolve().parents[2] / "schemas" / SCHEMA_FILE).read_text(
            encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def check_table(table: Any) -> list[tuple[str, str]]:
    """(code, message) for each problem with the raw table: TPH650 for an unknown key,
    TPH651 for an invalid value."""
    if table is None:
        return []
    if not isinstance(table, Mapping):
        return [("TPH651", f"{TABLE} must be a table, not {type(table).__name__}")]
    schema = load_schema()
    allowed = sorted(schema["properties"])
    out: list[tuple[str, str]] = []
    for key in table:
        if key not in schema["properties"]:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; known keys: {', '.join(allowed)}"
            out.append(("TPH650", f"unknown key '{key}' in {TABLE}{hint}"))
    known = {k: v for k, v in table.items() if k in schema["properties"]}
    from jsonschema import Draft202012Validator

    for err in sorted(Draft202012Validator(schema).iter_errors(known),
                      key=lambda e: [str(p) for p in e.absolute_path]):
        where = ".".join(str(p) for p in err.absolute_path)
        out.append(("TPH651", f"{TABLE} {where}: {err.message}"))
    return out


def project_root(near: str | None) -> Path:
    """The nearest folder above *near* with a pyproject.toml, else the working directory."""
    if near:
        for parent in Path(near).resolve().parents:
            if (parent / "pyproject.toml").is_file():
                return parent
    return Path.cwd()


def _find_applications(near: str | None) -> Path | None:
    if not near:
        return None
    for parent in Path(near).resolve().parents:
        if (parent / "applications").is_dir():
            return parent / "applications"
    return None


@dataclass(frozen=True, slots=True)
class ValuesFacts:
    """What tiphys reads from a CloudHarness values file."""

    registry: str | None = None
    secret: str | None = None
    tag: str | None = None
    accounts: bool = False
    images: tuple[tuple[str, str], ...] = ()


def read_values(path: Path) -> ValuesFacts | str:
    """The facts, or a message saying why the file cannot be used."""
    try:
        stat = path.stat()
    except OSError as exc:
        return f"cannot read the CloudHarness values file {path}: {exc.strerror}"
    return _read_values(str(path), stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _read_values(path: str, _mtime: int) -> ValuesFacts | str:
    try:
        # A FIFO or a device named as the values file must not hang the run (issue 9).
        raw = read_bounded(path, DEFAULT_MAX_INPUT_SIZE, "the size limit of a values file")
        data = yaml.safe_load(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return f"cannot read the CloudHarness values file {path}: {exc}"
    if not isinstance(data, dict):
        return f"the CloudHarness values file {path} is not a mapping"
    reg = data.get("registry")
    registry = secret = None
    if isinstance(reg, dict):
        registry = _str(reg.get("name"))
        secret = _str(reg.get("secret"))
    elif isinstance(reg, str):
        registry = reg
    found_apps = data.get("apps")
    apps: dict[Any, Any] = found_apps if isinstance(found_apps, dict) else {}
    images: dict[str, str] = {}
    for key, app in sorted(apps.items()):
        if not isinstance(app, dict):
            continue
        image = _str(app.get("image")) or _str(_dig(app, "harness", "deployment", "image"))
        if image:
            images.setdefault(str(key), image)
            name = _str(_dig(app, "harness", "name"))
            if name:
                images.setdefault(name, image)
        task_images = app.get("task-images")
        if isinstance(task_images, dict):
            for k, v in sorted(task_images.items()):
                if _str(v):
                    images[str(k)] = str(v)
    for top in ("task-images", "base-images"):
        table = data.get(top)
        if isinstance(table, dict):
            for k, v in sorted(table.items()):
                if _str(v):
                    images[str(k)] = str(v)
    tag = data.get("tag")
    return ValuesFacts(
        registry=registry.rstrip("/") if registry else None,
        secret=secret or None,
        tag=str(tag) if tag not in (None, "") else None,
        accounts="accounts" in apps,
        images=tuple(sorted(images.items())),
    )


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _dig(data: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(k)
    return data


def resolve_config(settings: Settings, near: str | None) -> tuple[CHConfig, list[Problem]]:
    """The configuration for one compiled file (*near* locates the project)."""
    problems: list[Problem] = []
    raw = settings.cloudharness
    for code, message in check_table(raw):
        problems.append(error(code, message, None))
    table: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    schema_keys = load_schema()["properties"]
    table = {k: v for k, v in table.items() if k in schema_keys}
    if problems:
        # Keep only the keys whose values are valid, so one mistake gives one diagnostic.
        table = {k: v for k, v in table.items() if not check_table({k: v})}
    root = project_root(near)
    facts = ValuesFacts()
    if isinstance(table.get("values"), str):
        read = read_values(root / table["values"])
        if isinstance(read, str):
            problems.append(error("TPH652", read, None))
        else:
            facts = read
    if isinstance(table.get("applications"), str):
        apps_dir: Path | None = root / table["applications"]
    else:
        apps_dir = _find_applications(near)
    built = discover(str(apps_dir)) if apps_dir is not None else ()
    kind = settings.kind or "Workflow"
    if kind not in KINDS:
        problems.append(error("TPH660", f"CloudHarness operations compile to a Workflow, a "
                              f"WorkflowTemplate or a ClusterWorkflowTemplate, not a {kind}",
                              None))
        kind = "Workflow"
    images = dict(facts.images)
    images.update(table.get("task-images") or {})
    ttl = table.get("ttl-strategy")
    tolerations = table.get("tolerations")
    cfg = CHConfig(
        kind=kind,
        namespace=table.get("namespace") or settings.namespace,
        service_account=table.get("service-account") or settings.service_account
        or "argo-workflows",
        registry=(table.get("registry") or settings.registry or facts.registry or "").rstrip("/")
        or None,
        tag=table.get("tag") or settings.tag or facts.tag or "latest",
        base_image=table.get("base-image"),
        image_pull_secret=table.get("image-pull-secret", facts.secret) or None,
        image_pull_policy=table.get("image-pull-policy"),
        retry_limit=table.get("retry-limit"),
        ttl=tuple((k, ttl[k]) for k, _ in DEFAULT_TTL if k in ttl) if isinstance(ttl, dict)
        else DEFAULT_TTL,
        pod_gc_strategy=table.get("pod-gc-strategy", "OnWorkflowSuccess"),
        tolerations=tuple(dict(t) for t in tolerations) if isinstance(tolerations, list)
        else (DEFAULT_TOLERATION,),
        allvalues=table.get("allvalues", True),
        accounts=table.get("accounts", facts.accounts),
        shared_volume_size=table.get("shared-volume-size", 10),
        exit_handler_image=table.get("exit-handler-image"),
        images=tuple(sorted(images.items())),
        built=built,
    )
    return cfg, problems


def config_path(near: str | None) -> str:
    """Where diagnostics about the configuration point: the project's pyproject.toml."""
    root = project_root(near)
    candidate = root / "pyproject.toml"
    if candidate.is_file():
        return os.path.relpath(candidate)
    return "pyproject.toml"


def fingerprint(settings: Settings, near: str | None) -> str:
    """A digest of everything outside the compiled file that its CloudHarness documents
    depend on: the table, the values file's facts and the image names found in the
    applications folder. A cache may key CloudHarness results on the file's text plus this."""
    import hashlib

    cfg, problems = resolve_config(settings, near)
    state = json.dumps([repr(cfg), [(p.code, p.message) for p in problems]], sort_keys=True)
    return hashlib.sha256(state.encode("utf-8")).hexdigest()
