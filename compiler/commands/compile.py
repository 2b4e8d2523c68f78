"""``tiphys compile``: files and folders in, YAML out (stdout or one file per workflow).

A run: read the configuration, then for each source file either take its entry from the
compile cache or compile it (front end, lowering, validation, YAML), then check the run as a
whole (duplicate names, files without workflows), then print or sync the output folder.
The compiler proper (the front ends, PyYAML, the validator) is imported only on a cache
miss, so a warm run costs little more than hashing the sources.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tiphys.compiler.bounded_read import DEFAULT_MAX_INPUT_SIZE, read_bounded
from tiphys.compiler.commands.cache import CompileCache, Entry, Rendered, cache_folder
from tiphys.compiler.commands.files import PathMemo, collect, header_text, project_relative
from tiphys.compiler.commands.outdir import Output, sync_outputs
from tiphys.compiler.commands.process_guard import run_command
from tiphys.compiler.commands.report import render
from tiphys.compiler.diagnostics import Diagnostic, Diagnostics

if TYPE_CHECKING:
    from tiphys.compiler.check.documents import FileResult
    from tiphys.compiler.lower.workflow import Settings

__all__ = ["Output", "compile_entry", "compile_paths", "render_outputs", "run_compile"]


@dataclass(frozen=True, slots=True)
class Unit:
    """One source file of a run, compiled or taken from the cache."""

    #: Path as found (given, or under a given folder).
    path: str
    #: Named on the command line (or in ``paths``) rather than found in a folder.
    explicit: bool
    #: The path as the ownership header shows it (project-relative).
    header: str
    entry: Entry


# ------------------------------------------------------------------- in-process API


def compile_paths(
    paths: tuple[str, ...] | list[str], settings: Settings
) -> tuple[list[FileResult], Diagnostics]:
    """Compile every file, no cache; all diagnostics of the run in one collector."""
    from tiphys.compiler.commands.pipeline import compile_file

    results = []
    explicit = []
    for path, given in collect(paths):
        results.append(compile_file(path, settings))
        explicit.append(given)
    diags = Diagnostics()
    for r in results:
        diags.extend(r.diagnostics)
    check_run(
        diags,
        [(r.path, given, [wf.name for wf in r.workflows], r.diagnostics.has_errors)
         for r, given in zip(results, explicit, strict=True)],
        [r.summary for r in results if r.summary],
    )
    return results, diags


def render_outputs(results: list[FileResult]) -> list[Output]:
    from tiphys.compiler.commands.files import header_for
    from tiphys.compiler.emit import dump_documents

    return [Output(f"{wf.name}.yaml", header_for([r.path]) + dump_documents([wf.document]))
            for r in results for wf in r.workflows]


def compile_entry(path: str, settings: Settings, text: str | None = None) -> tuple[Entry, bool]:
    """Compile one file into what the cache stores about it, and whether it may be cached
    (its text was read and, for CloudHarness, what else it depends on could be digested)."""
    from tiphys.compiler.commands.pipeline import compile_file
    from tiphys.compiler.emit import dump_documents

    result = compile_file(path, settings, text)
    clean = not result.diagnostics.has_errors
    external = None
    cacheable = text is not None
    if cacheable and text is not None and is_cloudharness(text):
        external = external_digest(path, settings)
        cacheable = external is not None
    entry = Entry(
        tuple(result.diagnostics),
        tuple(Rendered(wf.name, dump_documents([wf.document]) if clean else None)
              for wf in result.workflows),
        external,
        result.summary,
    )
    return entry, cacheable


def is_cloudharness(text: str) -> bool:
    """The driver sends this file to the CloudHarness front end."""
    from tiphys.compiler.commands.pipeline import uses_cloudharness, uses_dsl

    return uses_cloudharness(text) and not uses_dsl(text)


def external_digest(path: str, settings: Settings) -> str | None:
    """What a CloudHarness file's documents depend on besides its text and the settings:
    the values file's facts and the images of the applications folder (the front end's
    fingerprint), and the working directory (its diagnostics name the pyproject.toml
    relative to it). None when it cannot be computed: the result is then not cached."""
    import hashlib

    try:
        from tiphys.compiler.cloudharness.config import fingerprint

        digest = fingerprint(settings, path)
    except Exception:  # caching is an optimisation; a bug here must not fail the compile
        return None
    return hashlib.sha256(f"{digest}\0{os.getcwd()}".encode()).hexdigest()


def check_run(
    diags: Diagnostics, files: Iterable[tuple[str, bool, list[str], bool]],
    summaries: Iterable[dict[str, Any]] = (),
) -> None:
    """Checks over the whole run: (path, explicit, workflow names, has errors) per file, and
    the templateRefs between files (from each file's summary)."""
    from tiphys.compiler.check.composition import check

    check(summaries, diags)
    seen: dict[str, str] = {}
    for path, explicit, names, has_errors in files:
        if explicit and not names and not has_errors:
            diags.warning("TPH010", "no workflow found: define one with workflow(name, body)",
                          path)
        for name in names:
            if name in seen and seen[name] != path:
                diags.error("TPH011", f"workflow '{name}' is also defined in {seen[name]}; "
                            "workflow names must be unique across the files of one run", path)
            elif name in seen:
                diags.error("TPH011", f"workflow '{name}' is defined twice in this file", path)
            seen.setdefault(name, path)


# ------------------------------------------------------------------------ the command


def run_compile(
    paths: Sequence[str], *, outdir: str | None, kind: str | None, check: bool,
    show_diff: bool, prune: bool, fmt: str, config_path: str | None = None,
    no_cache: bool = False, overrides: dict[str, Any] | None = None,
) -> int:
    """The ``compile`` command; *overrides* maps Settings fields to flag values (None:
    flag not given)."""
    return run_command(lambda: _run(tuple(paths), outdir, dict(overrides or {}, kind=kind),
                                    check, show_diff, prune, fmt, config_path, no_cache))


def _run(
    paths: tuple[str, ...], outdir: str | None, overrides: dict[str, Any], check: bool,
    show_diff: bool, prune: bool, fmt: str, config_path: str | None, no_cache: bool,
) -> int:
    from tiphys.compiler.commands.config import load_config, settings_values
    from tiphys.compiler.commands.config_schema import check_flag

    for setting, value in overrides.items():
        why = None if value is None else check_flag(setting, value)
        if why:
            print(f"tiphys: --{setting.replace('_', '-').replace('python-', '')}: {why}",
                  file=sys.stderr)
            return 2
    config, problems = load_config(paths, config_path)
    if problems:
        sys.stderr.write(render(sorted(problems, key=Diagnostic.sort_key), fmt))
        return 2
    configured_sources = not paths
    if configured_sources:
        paths = config.paths
        if not paths:
            where = f" in {config.source}" if config.source else ""
            print(f"tiphys: no paths given: pass PATHS, or set `paths` in [tool.tiphys]{where}",
                  file=sys.stderr)
            return 2
    if outdir is None and config.output and (configured_sources or check or show_diff or prune):
        outdir = config.output
    if (check or prune or show_diff) and outdir is None:
        print("tiphys: --check, --diff and --prune need an output folder (-o DIR, or `output` "
              "in [tool.tiphys])", file=sys.stderr)
        return 2
    values = settings_values(config, overrides)
    folder = cache_folder(no_cache, config.cache, config.root)
    cache = CompileCache(folder, values, verify=external_check(values)) if folder else None
    units = build(paths, values, cache)
    diags = Diagnostics()
    for u in units:
        diags.extend(u.entry.diagnostics)
    check_run(diags, [(u.path, u.explicit, [w.name for w in u.entry.workflows],
                       any(d.is_error for d in u.entry.diagnostics)) for u in units],
              [u.entry.summary for u in units if u.entry.summary])
    if cache is not None:
        diags.extend(cache.warnings)
    items = diags.sorted()
    if items:
        sys.stderr.write(render(items, fmt))
    if diags.has_errors:
        return 1
    if outdir is None:
        sys.stdout.write(stream_text(units))
        return 0
    outputs = [Output(f"{w.name}.yaml", header_text([u.header]) + (w.body or ""))
               for u in units for w in u.entry.workflows]
    return sync_outputs(outdir, outputs, check=check, show_diff=show_diff, prune=prune)


def stream_text(units: Sequence[Unit]) -> str:
    """All workflows as one YAML stream under one header, as ``kubectl apply -f -`` takes it
    (empty when there are none)."""
    with_workflows = [u for u in units if u.entry.workflows]
    if not with_workflows:
        return ""
    return header_text(u.header for u in with_workflows) + "".join(
        w.body or "" for u in with_workflows for w in u.entry.workflows)


def external_check(values: dict[str, Any]) -> Callable[[str, str], bool]:
    """The cache's check that a CloudHarness entry's outside inputs are unchanged."""
    made: list[Settings] = []

    def check(path: str, external: str) -> bool:
        if not made:
            made.append(_settings(values))
        return external_digest(path, made[0]) == external

    return check


def _settings(values: dict[str, Any]) -> Settings:
    from tiphys.compiler.lower.workflow import Settings

    return Settings(**values)


def build(paths: Sequence[str], values: dict[str, Any], cache: CompileCache | None) -> list[Unit]:
    """Every source file's entry: from *cache* when its key matches, else compiled (and
    stored). *values* are the Settings fields that were set."""
    memo = PathMemo()
    settings: Settings | None = None
    units: list[Unit] = []
    limit = int(values.get("max_input_size", DEFAULT_MAX_INPUT_SIZE))
    for path, explicit in collect(paths):
        header = project_relative(path, memo)
        text: str | None = None
        slot = key = None
        if cache is not None:
            try:
                data = read_bounded(path, limit)
                text = data.decode("utf-8")
            except (OSError, UnicodeDecodeError):
                data = None  # the compiler reports it; such a result is not cached
            if data is not None and text is not None:
                slot, key = cache.slot_and_key(path, header, data)
                entry = cache.get(slot, key, path)
                if entry is not None:
                    units.append(Unit(path, explicit, header, entry))
                    continue
        settings = settings or _settings(values)
        entry, cacheable = compile_entry(path, settings, text)
        if cache is not None and slot is not None and key is not None and cacheable:
            cache.put(slot, key, entry)
        units.append(Unit(path, explicit, header, entry))
    return units
