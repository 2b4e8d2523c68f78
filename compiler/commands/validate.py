"""``tiphys validate FILE.yaml...``: load with positions, check, render."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from tiphys.compiler.diagnostics import Diagnostic, Diagnostics, Severity
from tiphys.compiler.validator.checks import check_documents
from tiphys.compiler.validator.codes import CODES
from tiphys.compiler.validator.findings import PathT
from tiphys.compiler.validator.loader import LoadedDoc, load_text, locate
from tiphys.compiler.validator.model import ARGO_KINDS


@dataclass(slots=True)
class _Entry:
    file: str
    doc: LoadedDoc


def _diag(code: str, message: str, file: str, pos: tuple[int, int],
          severity: Severity | None = None) -> Diagnostic:
    return Diagnostic(code, severity or CODES[code].severity, message, file, pos[0], pos[1])


def run_validate(
    files: tuple[str, ...] | list[str],
    *,
    schema_path: str | None = None,
    crd_paths: tuple[str, ...] | list[str] = (),
    fmt: str = "concise",
    strict_schema_path: str | None = None,
) -> int:
    """Validate *files* as one batch; print diagnostics to stdout (they are the command's
    output, as for ``tiphys lint``). Exit code 0 clean
    (warnings and info allowed), 1 any error, 2 usage or internal error."""
    try:
        diags = validate_files(files, schema_path=schema_path, crd_paths=crd_paths,
                               strict_schema_path=strict_schema_path)
    except _UsageError as e:
        print(f"tiphys validate: {e}", file=sys.stderr)
        return 2
    from tiphys.compiler.commands.report import render

    items = diags.sorted()
    out = render(items, fmt)
    if out:
        sys.stdout.write(out)
    return 1 if diags.has_errors else 0


class _UsageError(Exception):
    pass


def validate_files(
    files: tuple[str, ...] | list[str],
    *,
    schema_path: str | None = None,
    crd_paths: tuple[str, ...] | list[str] = (),
    strict_schema_path: str | None = None,
) -> Diagnostics:
    """All diagnostics for *files*; raises _UsageError for unusable inputs (exit 2)."""
    official: Any = None
    crds: dict[str, Any] = {}
    strict: Any = None
    diags = Diagnostics()
    if schema_path or crd_paths or strict_schema_path:
        from tiphys.compiler.validator import schema_check as sc

        try:
            if schema_path:
                official = sc.official_schema(schema_path)
            for p in crd_paths:
                crd = sc.crd_schema(p)
                crds[crd.kind] = crd
                for rule in crd.rules:
                    if rule.covered_by is None:
                        diags.add(_diag("SCH004", f"CEL rule at {rule.path} is not checked "
                                        f"offline: '{rule.message}' ({rule.rule})", p, (0, 0)))
            if strict_schema_path:
                strict = sc.strict_schema(strict_schema_path)
        except sc.SchemaLoadError as e:
            raise _UsageError(str(e)) from e

    entries: list[_Entry] = []
    for f in files:
        try:
            with open(f, encoding="utf-8") as fh:
                text = fh.read()
        except UnicodeDecodeError as e:
            diags.add(_diag("ARG001", f"file is not UTF-8 text ({e.reason} at byte {e.start}); "
                            "save it as UTF-8", f, (0, 0)))
            continue
        except OSError as e:
            raise _UsageError(f"cannot read {f}: {e}") from e
        docs, err = load_text(text)
        if err is not None:
            diags.add(_diag("ARG001", f"YAML cannot be parsed: {err.message}; fix the syntax",
                            f, (err.line, err.col)))
        for d in docs:
            for path, key, line, col in d.duplicates:
                diags.add(_diag("ARG002", f"duplicate key '{key}' at {_fmt(path)}; Argo rejects "
                                "duplicate keys, keep one", f, (line, col)))
            entries.append(_Entry(f, d))

    for fd in check_documents([e.doc.value for e in entries]):
        ent = entries[fd.doc_index]
        diags.add(Diagnostic(fd.code, fd.severity, fd.message, ent.file,
                             *locate(ent.doc.node, fd.path)))

    if official is not None or crds or strict is not None:
        _schema_checks(entries, official, crds, strict, diags)
    return diags


def _schema_checks(entries: list[_Entry], official: Any, crds: dict[str, Any], strict: Any,
                   diags: Diagnostics) -> None:
    from tiphys.compiler.validator.schema_check import strict_errors

    missing_crd: set[tuple[str, str]] = set()
    for ent in entries:
        doc = ent.doc.value
        if not isinstance(doc, dict) or doc.get("kind") not in ARGO_KINDS:
            continue
        kind = str(doc["kind"])
        checks: list[tuple[str, str, list[tuple[PathT, str]]]] = []
        if official is not None:
            checks.append(("SCH001", "Argo schema", official.errors(doc)))
        if crds:
            crd = crds.get(kind)
            if crd is None:
                if (ent.file, kind) not in missing_crd:
                    missing_crd.add((ent.file, kind))
                    diags.add(_diag("SCH005", f"no --crd for kind {kind}; its CRD check was "
                                    "skipped", ent.file, locate(ent.doc.node, ("kind",))))
            else:
                checks.append(("SCH002", "CRD", crd.errors(doc)))
        if strict is not None:
            checks.append(("SCH003", "strict schema", strict_errors(strict, doc)))
        for code, what, errs in checks:
            for path, msg in errs:
                diags.add(_diag(code, f"{what}: {_fmt(path)}: {msg}", ent.file,
                                locate(ent.doc.node, path)))


def _fmt(path: PathT) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(document)"
