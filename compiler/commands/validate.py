"""``tiphys validate FILE.yaml...``: read, load with positions, decode strictly, check, render."""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from typing import Any

from tiphys.compiler.diagnostics import Diagnostic, Diagnostics, Severity
from tiphys.compiler.validator.checks import check_documents
from tiphys.compiler.validator.codes import CODES
from tiphys.compiler.validator.decode import decode_document
from tiphys.compiler.validator.findings import PathT
from tiphys.compiler.validator.loader import LoadedDoc, gc_paused, load_text, locate
from tiphys.compiler.validator.model import ARGO_KINDS

#: Largest file read, in bytes, unless ``--max-size`` or ``TIPHYS_VALIDATE_MAX_BYTES`` says
#: otherwise. Argo's API server refuses objects over about 1.5 MB (etcd's request limit), so
#: 64 MB leaves room for big multi-document files while refusing runaway input at once.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


@dataclass(slots=True)
class _Entry:
    file: str
    doc: LoadedDoc


def _diag(code: str, message: str, file: str, pos: tuple[int, int],
          severity: Severity | None = None) -> Diagnostic:
    return Diagnostic(code, severity or CODES[code].severity, message, file, pos[0], pos[1])


def max_bytes_default() -> int:
    """The size limit: ``TIPHYS_VALIDATE_MAX_BYTES`` if set to a positive integer."""
    env = os.environ.get("TIPHYS_VALIDATE_MAX_BYTES", "")
    return int(env) if env.isdigit() and int(env) > 0 else DEFAULT_MAX_BYTES


def run_validate(
    files: tuple[str, ...] | list[str],
    *,
    schema_path: str | None = None,
    crd_paths: tuple[str, ...] | list[str] = (),
    fmt: str = "concise",
    strict_schema_path: str | None = None,
    strict: bool = True,
    max_bytes: int | None = None,
) -> int:
    """Validate *files* as one batch; print diagnostics to stdout (they are the command's
    output, as for ``tiphys lint``) and, when there are no errors, one line saying so on
    stderr. Exit code 0 clean (warnings and info allowed), 1 any error, 2 usage or internal
    error."""
    try:
        diags = validate_files(files, schema_path=schema_path, crd_paths=crd_paths,
                               strict_schema_path=strict_schema_path, strict=strict,
                               max_bytes=max_bytes)
    except _UsageError as e:
        print(f"tiphys validate: {e}", file=sys.stderr)
        return 2
    from tiphys.compiler.commands.report import render

    items = diags.sorted()
    out = render(items, fmt)
    if out:
        sys.stdout.write(out)
    if diags.has_errors:
        return 1
    n = len(files)
    warned = sum(1 for d in items if d.severity is Severity.WARNING)
    extra = f" ({warned} warning{'s' if warned != 1 else ''})" if warned else ""
    print(f"tiphys validate: {n} file{'s' if n != 1 else ''} valid{extra}", file=sys.stderr)
    return 0


class _UsageError(Exception):
    pass


def read_input(path: str, max_bytes: int, diags: Diagnostics) -> str | None:
    """The text of *path*, or None after reporting why it is refused.

    Only regular files are read, and only up to *max_bytes*: a device such as /dev/zero,
    a FIFO or a directory is refused before anything is read, so nothing can hang.
    """
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not block; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise _UsageError(f"cannot read {path}: {e.strerror or e}") from e
    try:
        st = os.fstat(fd)
        problem = _refusal(st, max_bytes)
        if problem is not None:
            diags.add(_diag("ARG008", problem, path, (0, 0)))
            return None
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    finally:
        os.close(fd)
    if len(data) > max_bytes:  # grew while being read
        diags.add(_diag("ARG008", f"file is larger than the limit of {max_bytes} bytes",
                        path, (0, 0)))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        diags.add(_diag("ARG001", f"file is not UTF-8 text ({e.reason} at byte {e.start}); "
                        "save it as UTF-8", path, (0, 0)))
        return None


def _refusal(st: os.stat_result, max_bytes: int) -> str | None:
    """Why a file with this status is not read, or None."""
    mode = st.st_mode
    if not stat.S_ISREG(mode):
        what = ("a directory" if stat.S_ISDIR(mode) else "a FIFO (named pipe)"
                if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode)
                or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "not a regular file")
        return f"{what}, not a regular file; validate reads only regular files"
    if st.st_size > max_bytes:
        return (f"file has {st.st_size} bytes, more than the limit of {max_bytes}; raise it "
                "with --max-size or TIPHYS_VALIDATE_MAX_BYTES")
    return None


def _load_schemas(schema_path: str | None, crd_paths: tuple[str, ...] | list[str],
                  strict_schema_path: str | None,
                  diags: Diagnostics) -> tuple[Any, dict[str, Any], Any]:
    from tiphys.compiler.validator import schema_check as sc

    official: Any = None
    crds: dict[str, Any] = {}
    strict_schema: Any = None
    try:
        if schema_path:
            if sc.is_plain_json_schema(schema_path):
                # a JSON Schema of its own (tiphys' strict schema, say), not Argo's schema.json
                strict_schema = sc.strict_schema(schema_path)
            else:
                official = sc.official_schema(schema_path)
        for p in crd_paths:
            crd = sc.crd_schema(p)
            crds[crd.kind] = crd
            for rule in crd.rules:
                if rule.covered_by is None:
                    diags.add(_diag("SCH004", f"CEL rule at {rule.path} is not checked "
                                    f"offline: '{rule.message}' ({rule.rule})", p, (0, 0)))
        if strict_schema_path:
            strict_schema = sc.strict_schema(strict_schema_path)
    except sc.SchemaLoadError as e:
        raise _UsageError(str(e)) from e
    return official, crds, strict_schema


def validate_files(
    files: tuple[str, ...] | list[str],
    *,
    schema_path: str | None = None,
    crd_paths: tuple[str, ...] | list[str] = (),
    strict_schema_path: str | None = None,
    strict: bool = True,
    max_bytes: int | None = None,
) -> Diagnostics:
    """All diagnostics for *files*; raises _UsageError for unusable inputs (exit 2).

    *strict* (the default, as ``argo lint``) makes unknown fields and duplicate keys errors;
    without it they are warnings and field names match case-insensitively.
    """
    # Large inputs make millions of objects; the loader's docstring says why GC waits.
    with gc_paused():
        return _validate_files(files, schema_path, crd_paths, strict_schema_path, strict,
                               max_bytes)


def _validate_files(files: tuple[str, ...] | list[str], schema_path: str | None,
                    crd_paths: tuple[str, ...] | list[str], strict_schema_path: str | None,
                    strict: bool, max_bytes: int | None) -> Diagnostics:
    diags = Diagnostics()
    official: Any = None
    crds: dict[str, Any] = {}
    strict_schema: Any = None
    if schema_path or crd_paths or strict_schema_path:
        official, crds, strict_schema = _load_schemas(schema_path, crd_paths,
                                                      strict_schema_path, diags)
    limit = max_bytes if max_bytes is not None else max_bytes_default()

    entries: list[_Entry] = []
    for f in files:
        text = read_input(f, limit, diags)
        if text is None:
            continue
        docs, err = load_text(text)
        del text  # the values hold what is needed; free the text early
        if err is not None:
            diags.add(_diag("ARG001", f"YAML cannot be parsed: {err.message}; fix the syntax",
                            f, (err.line, err.col)))
        for d in docs:
            for path, key, line, col in d.duplicates:
                if strict:
                    diags.add(_diag("ARG002", f"duplicate key '{key}' at {_fmt(path)}; Argo "
                                    "rejects duplicate keys, keep one", f, (line, col)))
                else:
                    diags.add(_diag("ARG002", f"duplicate key '{key}' at {_fmt(path)}; the "
                                    "last one wins", f, (line, col), Severity.WARNING))
            for message, line, col in d.problems:
                diags.add(_diag("ARG006", message, f, (line, col)))
            entries.append(_Entry(f, d))

    for i, ent in enumerate(entries):
        value = ent.doc.value
        if isinstance(value, dict) and value.get("kind") in ARGO_KINDS:
            ent.doc.value, found = decode_document(value, i, strict=strict)
            for fd in found:
                diags.add(Diagnostic(fd.code, fd.severity, fd.message, ent.file,
                                     *locate(ent.doc, fd.path)))

    for fd in check_documents([e.doc.value for e in entries]):
        ent = entries[fd.doc_index]
        diags.add(Diagnostic(fd.code, fd.severity, fd.message, ent.file,
                             *locate(ent.doc, fd.path)))

    if official is not None or crds or strict_schema is not None:
        _schema_checks(entries, official, crds, strict_schema, diags)
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
                                    "skipped", ent.file, locate(ent.doc, ("kind",))))
            else:
                checks.append(("SCH002", "CRD", crd.errors(doc)))
        if strict is not None:
            checks.append(("SCH003", "strict schema", strict_errors(strict, doc)))
        for code, what, errs in checks:
            for path, msg in errs:
                diags.add(_diag(code, f"{what}: {_fmt(path)}: {msg}", ent.file,
                                locate(ent.doc, path)))


def _fmt(path: PathT) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(document)"
