"""``tiphys compile``: files and folders in, YAML out (stdout or one file per workflow)."""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass

from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.driver import FileResult, compile_file
from tiphys.compiler.emit import dump_documents
from tiphys.compiler.files import collect, header_for, is_owned, write_atomic
from tiphys.compiler.lower import Settings
from tiphys.compiler.report import render


@dataclass(frozen=True, slots=True)
class Output:
    filename: str
    text: str


def compile_paths(paths: tuple[str, ...] | list[str], settings: Settings) -> tuple[list[FileResult], Diagnostics]:
    """Compile every file; all diagnostics of the run in one collector."""
    diags = Diagnostics()
    results = []
    for path, explicit in collect(paths):
        result = compile_file(path, settings)
        results.append(result)
        diags.extend(result.diagnostics)
        if explicit and not result.workflows and not result.diagnostics.has_errors:
            diags.warning("TPH010", "no workflow found: define one with workflow(name, body)",
                          path)
    seen: dict[str, str] = {}
    for r in results:
        for wf in r.workflows:
            if wf.name in seen and seen[wf.name] != r.path:
                diags.error("TPH011", f"workflow '{wf.name}' is also defined in {seen[wf.name]}; "
                            "workflow names must be unique across the files of one run", r.path)
            elif wf.name in seen:
                diags.error("TPH011", f"workflow '{wf.name}' is defined twice in this file",
                            r.path)
            seen.setdefault(wf.name, r.path)
    return results, diags


def render_outputs(results: list[FileResult]) -> list[Output]:
    out = []
    for r in results:
        for wf in r.workflows:
            out.append(Output(f"{wf.name}.yaml", dump_documents([wf.document], header_for([r.path]))))
    return out


def run_compile(
    paths: tuple[str, ...], *, outdir: str | None, kind: str | None, check: bool,
    show_diff: bool, prune: bool, fmt: str,
) -> int:
    try:
        return _run(paths, outdir, kind, check, show_diff, prune, fmt)
    except Exception as exc:  # a bug in tiphys, not a problem in the user's files
        if os.environ.get("TIPHYS_DEBUG"):
            raise
        print(f"tiphys: internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in tiphys; run with TIPHYS_DEBUG=1 for a traceback and report it.",
              file=sys.stderr)
        return 2


def _run(
    paths: tuple[str, ...], outdir: str | None, kind: str | None, check: bool,
    show_diff: bool, prune: bool, fmt: str,
) -> int:
    if (check or prune or show_diff) and outdir is None:
        print("tiphys: --check, --diff and --prune need an output folder (-o DIR)",
              file=sys.stderr)
        return 2
    settings = Settings(kind=kind)
    results, diags = compile_paths(paths, settings)
    items = diags.sorted()
    if items:
        sys.stderr.write(render(items, fmt))
    if diags.has_errors:
        return 1
    if outdir is None:
        docs = [wf.document for r in results for wf in r.workflows]
        sources = [r.path for r in results if r.workflows]
        if docs:
            sys.stdout.write(dump_documents(docs, header_for(sources)))
        return 0
    outputs = render_outputs(results)
    return _sync(outdir, outputs, check, show_diff, prune)


def _sync(outdir: str, outputs: list[Output], check: bool, show_diff: bool, prune: bool) -> int:
    wanted = {o.filename: o.text for o in outputs}
    stale = []
    if os.path.isdir(outdir):
        for name in sorted(os.listdir(outdir)):
            full = os.path.join(outdir, name)
            if name.endswith((".yaml", ".yml")) and name not in wanted and is_owned(full):
                stale.append(full)
    changed = []
    for name, text in wanted.items():
        full = os.path.join(outdir, name)
        try:
            with open(full, encoding="utf-8", newline="") as f:
                current: str | None = f.read()
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text:
            if current is not None and not is_owned(full):
                print(f"tiphys: {full} exists and was not written by tiphys; "
                      "refusing to overwrite it", file=sys.stderr)
                return 1
            changed.append((full, current, text))
    if check:
        for full, current, text in changed:
            print(f"would {'update' if current is not None else 'create'} {full}", file=sys.stderr)
            if show_diff:
                sys.stdout.writelines(difflib.unified_diff(
                    (current or "").splitlines(keepends=True), text.splitlines(keepends=True),
                    fromfile=f"a/{full}", tofile=f"b/{full}"))
        for full in stale:
            print(f"stale {full}: no workflow produces it any more (--prune deletes it)",
                  file=sys.stderr)
            if show_diff:
                with open(full, encoding="utf-8") as f:
                    sys.stdout.writelines(difflib.unified_diff(
                        f.read().splitlines(keepends=True), [], fromfile=f"a/{full}",
                        tofile="/dev/null"))
        return 1 if changed or stale else 0
    os.makedirs(outdir, exist_ok=True)
    for full, _, text in changed:
        write_atomic(full, text)
        print(f"wrote {full}", file=sys.stderr)
    if prune:
        for full in stale:
            os.unlink(full)
            print(f"deleted {full}", file=sys.stderr)
    elif stale:
        for full in stale:
            print(f"note: {full} is stale (no workflow produces it); --prune deletes it",
                  file=sys.stderr)
    return 0
