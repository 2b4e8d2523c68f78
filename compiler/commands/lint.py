"""``tiphys lint``: every diagnostic the compiler can find, writing nothing.

Each file is compiled in memory exactly as ``tiphys compile`` would (DSL shape, task isolation,
lowering, the strict schema and Argo's rules on the would-be output, mapped back to the Python
source); what ``tiphys compile`` left in its cache is reused, and nothing is written, not even
to the cache. The diagnostics are the command's output, so they go to stdout, as ruff's do; a
one-line summary goes to stderr in the human formats. Which diagnostics are reported: see
:mod:`tiphys.compiler.commands.suppress`.

Exit codes: 0 nothing reported (info notes aside), 1 an error or warning reported, 2 usage,
configuration or internal error.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tiphys.compiler.bounded_read import DEFAULT_MAX_INPUT_SIZE, read_bounded
from tiphys.compiler.commands.cache import CompileCache, Entry, cache_folder
from tiphys.compiler.commands.process_guard import run_command
from tiphys.compiler.commands.report import render
from tiphys.compiler.commands.suppress import (
    CodeListError,
    Filtered,
    Selection,
    apply,
    parse_codes,
    require_known,
)
from tiphys.compiler.diagnostics import Diagnostic, Diagnostics, Severity

if TYPE_CHECKING:
    from tiphys.compiler.lower.workflow import Settings


def selection_for(
    select: str, ignore: str, configured_select: Sequence[str] = (),
    configured_ignore: Sequence[str] = (),
) -> Selection:
    """``--select`` replaces the configured ``select``; ``--ignore`` adds to the configured
    ``ignore`` (ruff's ``--select``/``--extend-ignore`` split)."""
    chosen = parse_codes(select) or parse_codes(configured_select)
    ignored = parse_codes(configured_ignore) + parse_codes(ignore)
    require_known(chosen + ignored)
    return Selection(chosen, ignored)


def lint_paths(
    paths: Sequence[str], values: dict[str, Any], cache: CompileCache | None,
    selection: Selection,
) -> tuple[Filtered, int, list[Diagnostic]]:
    """Lint files and folders: (what to report, how many files, cache warnings).

    *values* are the configured Settings fields. Each file's diagnostics come from the compile
    cache when ``tiphys compile`` left an entry for its current content, else from compiling
    it in memory (without rendering YAML, which lint does not need); then the run-wide checks
    of ``tiphys compile`` (files without workflows, duplicate names) apply."""
    from tiphys.compiler.commands.compile import check_run
    from tiphys.compiler.commands.files import PathMemo, collect, project_relative

    diags = Diagnostics()
    files: list[tuple[str, bool, list[str], bool]] = []
    summaries: list[dict[str, Any]] = []
    memo = PathMemo()
    settings: Settings | None = None
    limit = int(values.get("max_input_size", DEFAULT_MAX_INPUT_SIZE))
    for path, explicit in collect(paths):
        text: str | None = None
        entry: Entry | None = None
        if cache is not None:
            try:
                data = read_bounded(path, limit)
                text = data.decode("utf-8")
                slot, key = cache.slot_and_key(path, project_relative(path, memo), data)
                entry = cache.get(slot, key, path)
            except (OSError, UnicodeDecodeError):
                text = None  # the compiler reports it
        if entry is not None:
            found, names = list(entry.diagnostics), [w.name for w in entry.workflows]
            if entry.summary:
                summaries.append(entry.summary)
        else:
            from tiphys.compiler.commands.pipeline import compile_file
            from tiphys.compiler.lower.workflow import Settings

            settings = settings or Settings(**values)
            result = compile_file(path, settings, text)
            found, names = list(result.diagnostics), [wf.name for wf in result.workflows]
            if result.summary:
                summaries.append(result.summary)
        diags.extend(found)
        files.append((path, explicit, names, any(d.is_error for d in found)))
    check_run(diags, files, summaries)
    texts: dict[str, str | None] = {}

    def read(path: str) -> str | None:
        if path not in texts:
            texts[path] = _read(path, limit)
        return texts[path]

    warnings = list(cache.warnings) if cache is not None else []
    return apply(diags.sorted(), selection, read), len(files), warnings


def lint_text(
    path: str, text: str, settings: Settings, selection: Selection | None = None,
) -> list[Diagnostic]:
    """What ``tiphys lint`` reports for *path* if the file held *text* (an editor buffer),
    minus the run-wide checks (a file without a workflow, duplicate names across files)."""
    from tiphys.compiler.commands.pipeline import compile_file

    result = compile_file(path, settings, text=text)
    return filter_document(result.diagnostics.sorted(), path, text, selection)


def filter_document(
    diagnostics: Sequence[Diagnostic], path: str, text: str, selection: Selection | None = None,
) -> list[Diagnostic]:
    """Apply the document's ``# tiphys: ignore`` comments (and a selection) to *diagnostics*."""
    return apply(diagnostics, selection or Selection(),
                 lambda p: text if p == path else None).kept


def _read(path: str, limit: int) -> str | None:
    """The text of *path* for its ``# tiphys: ignore`` comments (a FIFO or a device, which
    the compiler reported, is not read)."""
    try:
        return read_bounded(path, limit).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def counts_as_problem(d: Diagnostic) -> bool:
    """Errors and warnings fail a lint run; info notes do not."""
    return d.severity is not Severity.INFO


def run_lint(
    paths: Sequence[str], *, fmt: str, select: str = "", ignore: str = "",
    config_path: str | None = None, no_cache: bool = False,
) -> int:
    return run_command(lambda: _run(tuple(paths), fmt, select, ignore, config_path, no_cache))


def _run(
    paths: tuple[str, ...], fmt: str, select: str, ignore: str, config_path: str | None,
    no_cache: bool,
) -> int:
    from tiphys.compiler.commands.config import load_config

    config, problems = load_config(paths, config_path)
    if problems:
        sys.stderr.write(render(sorted(problems, key=Diagnostic.sort_key), fmt))
        return 2
    try:
        selection = selection_for(select, ignore, config.lint_select, config.lint_ignore)
    except CodeListError as exc:
        print(f"tiphys lint: {exc}", file=sys.stderr)
        return 2
    if not paths:
        paths = config.paths
        if not paths:
            where = f" in {config.source}" if config.source else ""
            print(f"tiphys lint: no paths given: pass PATHS, or set `paths` in "
                  f"[tool.tiphys]{where}", file=sys.stderr)
            return 2
    folder = cache_folder(no_cache, config.cache, config.root)
    cache = ReadOnlyCache(folder, dict(config.settings)) if folder else None
    filtered, n_files, warnings = lint_paths(paths, dict(config.settings), cache, selection)
    sys.stdout.write(render(filtered.kept, fmt))
    if warnings:  # about the cache, not the sources: stderr, and they do not fail the run
        sys.stderr.write(render(warnings, "concise"))
    if fmt in ("concise", "full"):
        print(summary(filtered, n_files), file=sys.stderr)
    return 1 if any(counts_as_problem(d) for d in filtered.kept) else 0


class ReadOnlyCache(CompileCache):
    """Lint writes nothing: it reuses what ``tiphys compile`` stored, and stores nothing."""

    def put(self, slot: str, key: str, entry: Entry) -> None:
        return None


def summary(filtered: Filtered, n_files: int) -> str:
    errors = sum(d.severity is Severity.ERROR for d in filtered.kept)
    warnings = sum(d.severity is Severity.WARNING for d in filtered.kept)
    infos = len(filtered.kept) - errors - warnings
    files = f"{n_files} file{'s' if n_files != 1 else ''}"
    if not filtered.kept:
        text = f"tiphys lint: no problems in {files}"
    else:
        parts = [_plural(errors, "error"), _plural(warnings, "warning")]
        if infos:
            parts.append(_plural(infos, "note"))
        text = f"tiphys lint: {', '.join(parts)} in {files}"
    hidden = []
    if filtered.suppressed:
        hidden.append(f"{filtered.suppressed} silenced by '# tiphys: ignore'")
    if filtered.deselected:
        hidden.append(f"{filtered.deselected} left out by --select/--ignore")
    return text + (f" ({'; '.join(hidden)})" if hidden else "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"
