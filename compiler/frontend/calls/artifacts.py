"""Artifact locations and settings, read statically: ``s3_artifact(...)``, ``gcs_artifact``,
``http_artifact``, ``git_artifact``, ``raw_artifact`` and ``artifact(...)``."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tiphys.compiler.frontend.arguments import Signature, bind
from tiphys.compiler.frontend.nodes import dict_items
from tiphys.compiler.frontend.values import Unknown, Value, describe
from tiphys.compiler.ir.artifacts import Location

if TYPE_CHECKING:
    from tiphys.compiler.frontend.calls.core import CallHandlers

ARCHIVES = ("none", "tar", "zip")

#: DSL function → (Argo location kind, positional parameters, keyword parameters).
_LOCATIONS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "s3_artifact": ("s3", ("bucket", "key"),
                    ("endpoint", "region", "insecure", "access_key_secret", "secret_key_secret")),
    "gcs_artifact": ("gcs", ("bucket", "key"), ("service_account_key_secret",)),
    "http_artifact": ("http", ("url",), ("headers",)),
    "git_artifact": ("git", ("repo",), ("revision", "depth", "branch", "single_branch",
                                        "username_secret", "password_secret",
                                        "ssh_private_key_secret", "insecure_ignore_host_key")),
    "raw_artifact": ("raw", ("data",), ()),
}
ARTIFACT_FUNCTIONS = frozenset({*_LOCATIONS, "artifact"})
#: Annotations that make a Python task parameter an artifact.
ARTIFACT_TYPES = {"tiphys.InputArtifact": "in", "tiphys.OutputArtifact": "out"}

_CAMEL = {
    "access_key_secret": "accessKeySecret", "secret_key_secret": "secretKeySecret",
    "service_account_key_secret": "serviceAccountKeySecret", "single_branch": "singleBranch",
    "username_secret": "usernameSecret", "password_secret": "passwordSecret",
    "ssh_private_key_secret": "sshPrivateKeySecret",
    "insecure_ignore_host_key": "insecureIgnoreHostKey",
}


@dataclass(frozen=True, slots=True)
class LocationVal(Unknown):
    """A storage location (also "unknown" as a plain value: only artifacts take it)."""

    location: Location | None = None


@dataclass(frozen=True, slots=True)
class SpecVal(Unknown):
    archive: str | None = None
    location: Location | None = None
    optional: bool = False


def compression(handlers: ArtifactHandlers, node: ast.expr, archive: str | None) -> str | None:
    """``archive="tar", compression_level=N``: gzip level 0 (none) to 9, carried in the
    archive setting as "tar:N" (Argo's ``archive: {tar: {compressionLevel: N}}``)."""
    level = handlers.opts.lit(node, "compression_level", "an integer from 0 to 9")
    if archive not in (None, "tar"):
        handlers.error("TPH533", f"compression_level applies to tar archives; this artifact's "
                       f"archive is '{archive}'", node)
        return archive
    if not isinstance(level, int) or isinstance(level, bool) or not 0 <= level <= 9:
        if level is not None:
            handlers.error("TPH533", f"compression_level is gzip's, 0 (none) to 9; got "
                           f"{level!r}", node)
        return archive
    return f"tar:{level}"


class ArtifactHandlers:
    def __init__(self, calls: CallHandlers) -> None:
        self.calls = calls
        self.ev = calls.ev
        self.opts = calls.opts

    def error(self, code: str, message: str, node: object) -> None:
        self.ev.error(code, message, self.ev.loc(node))

    def call(self, short: str, call: ast.Call) -> Value:
        if short == "artifact":
            return self._spec(call)
        kind, positional, keywords = _LOCATIONS[short]
        b = bind(call, Signature(positional, keywords, positional), f"{short}()")
        self.calls.report(b.problems)
        if b.problems:
            return Unknown(f"a broken {short}()")
        fields: dict[str, Any] = {}
        failed = False  # a problem was reported: the location is not checked further
        for name, node in b.args.items():
            value = self.opts.lit(node, name, "a literal")
            if value is None:
                failed = failed or not (isinstance(node, ast.Constant) and node.value is None)
                continue
            if name.endswith("_secret"):
                if not (isinstance(value, (list, tuple)) and len(value) == 2
                        and all(isinstance(v, str) and v for v in value)):
                    self.error("TPH472", f"'{name}' is a (secret name, key) pair", node)
                    failed = True
                    continue
                value = {"name": value[0], "key": value[1]}
            elif name == "headers":
                if not (isinstance(value, dict) and all(
                        isinstance(k, str) and isinstance(v, str) for k, v in value.items())):
                    self.error("TPH472", "'headers' is a dict of strings", node)
                    failed = True
                    continue
                value = [{"name": k, "value": v} for k, v in sorted(value.items())]
            elif name in ("url", "repo") and not (
                (isinstance(value, str) and value.split("://", 1)[0] in ("http", "https", "ssh",
                                                                          "git"))
                or (name == "repo" and isinstance(value, str) and value.startswith("git@"))
            ):
                self.error("TPH472", f"'{value}' is not a valid {name}", node)
                failed = True
                continue
            fields[_CAMEL.get(name, name)] = value
        if failed or not self._schema_checked(short, kind, fields, b.args, call):
            return LocationVal(f"a broken {short}()")
        return LocationVal("an artifact location", Location(kind, tuple(sorted(fields.items()))))

    def _schema_checked(self, short: str, kind: str, fields: dict[str, Any],
                        args: dict[str, ast.expr], call: ast.Call) -> bool:
        """The location as the strict schema will see it, each problem at its argument
        (a key that is not a string, an empty bucket, a secret name Kubernetes rejects)."""
        from tiphys.compiler.frontend.options.helper_values import object_name_problem
        from tiphys.compiler.frontend.options.k8s_fragments import fragment_problems, to_json

        nodes = {_CAMEL.get(name, name): node for name, node in args.items()}
        problems = fragment_problems("artifact", {kind: to_json(fields)})
        for field, value in fields.items():
            problem = object_name_problem(value["name"]) if field.endswith("Secret") else None
            if problem:
                problems.append(((kind, field, "name"), f"secret '{value['name']}' {problem}"))
        for path, message in problems:
            field = str(path[1]) if len(path) > 1 else ""
            arg = next((n for n, camel in _CAMEL.items() if camel == field), field)
            self.error("TPH472", f"{short}() argument '{arg}': {message}" if arg else
                       f"{short}(): {message}", nodes.get(field, call))
        return not problems

    def _spec(self, call: ast.Call) -> Value:
        b = bind(call, Signature((), ("archive", "location", "optional", "compression_level")),
                 "artifact()")
        self.calls.report(b.problems)
        archive = self.opts.string(b.args.get("archive"), "archive")
        if archive is not None and archive not in ARCHIVES:
            self.error("TPH473", "archive is 'none', 'tar' or 'zip'", b.args["archive"])
            archive = None
        if "compression_level" in b.args:
            archive = compression(self, b.args["compression_level"], archive)
        location = None
        if "location" in b.args:
            value = self.ev.expr(b.args["location"])
            if isinstance(value, LocationVal):
                location = value.location
            else:
                self.error("TPH472", "location is s3_artifact(...), gcs_artifact(...), ...; this "
                           f"is {describe(value)}", b.args["location"])
        optional = self.opts.lit(b.args.get("optional"), "optional", "True or False") is True
        return SpecVal("artifact settings", archive, location, optional)

    def specs(self, node: ast.expr | None) -> dict[str, tuple[SpecVal, object]]:
        """The ``artifacts={"name": artifact(...)}`` task option."""
        if node is None:
            return {}
        if not isinstance(node, ast.Dict):
            self.error("TPH131", "'artifacts' must be a dict literal: {\"name\": artifact(...)}",
                       node)
            return {}
        out: dict[str, tuple[SpecVal, object]] = {}
        for el in dict_items(node):
            if el.key is None:
                continue
            key = self.opts.lit(el.key, "artifact name", "a string")
            value = self.ev.expr(el.value)
            if not isinstance(key, str):
                continue
            if isinstance(value, SpecVal):
                out[key] = (value, el.key)
            else:
                self.error("TPH473", f"artifact settings are artifact(...); this is "
                           f"{describe(value)}", el.value)
        return out
