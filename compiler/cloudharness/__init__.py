"""Static front end for CloudHarness Operations API code.

``compile_cloudharness`` reads a file that builds CloudHarness operations
(``from cloudharness.workflows import operations, tasks``), recognises every operation it
constructs (:mod:`.recognize`), lowers each one (:mod:`.lower`) with the configuration
(:mod:`.config`), and validates the documents as the core compiler does. Nothing of the file
runs and CloudHarness need not be installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tiphys.compiler.cloudharness.model import Problem, error

if TYPE_CHECKING:
    from tiphys.compiler.check.documents import FileResult
    from tiphys.compiler.cloudharness.lower import Result
    from tiphys.compiler.diagnostics import Diagnostics
    from tiphys.compiler.frontend.source import SourceFile
    from tiphys.compiler.ir.loc import Loc
    from tiphys.compiler.lower.workflow import Settings

#: Diagnostic code for a strict-schema violation inside data the user wrote as-is.
_USER_DATA_CODES = {"template_overrides": "TPH635", "resources": "TPH631", "pod_gc": "TPH633",
                    "ttl_strategy": "TPH633"}


def compile_cloudharness(
    source: SourceFile, settings: Settings, diags: Diagnostics, validate: bool = True
) -> FileResult:
    from tiphys.compiler.check.documents import FileResult
    from tiphys.compiler.cloudharness.config import config_path, resolve_config
    from tiphys.compiler.cloudharness.lower import lower_operation
    from tiphys.compiler.cloudharness.recognize import recognize

    cfg, cfg_problems = resolve_config(settings, source.path)
    where = config_path(source.path)
    for p in cfg_problems:
        _report(diags, p, where)
    found = recognize(source)
    for p in found.problems:
        _report(diags, p, source.path)
    results: list[Result] = []
    names: dict[str, Loc | None] = {}
    sites = sorted(found.sites, key=lambda s: source.position(s.stmt, s.node)[:2])
    for site in sites:
        for p in site.problems:
            _report(diags, p, source.path)
        if site.op is None:
            continue
        res = lower_operation(site.op, cfg)
        for p in res.problems:
            _report(diags, p, source.path)
        if res.lowered is None:
            continue
        name = res.lowered.name
        if name in names:
            first = names[name]
            line = f" at line {first.position()[0]}" if first is not None else ""
            _report(diags, error("TPH614", f"the operation{line} also produces '{name}' (the "
                                 "document and its file name); give each operation its own "
                                 "name", site.op.name_loc or site.op.loc), source.path)
            continue
        names[name] = site.op.name_loc or site.op.loc
        if not any(p.is_error for p in site.problems):
            results.append(res)
    if validate:
        # Each document is checked on its own, so one operation's mistakes do not hide
        # another's.
        for res in results:
            if not _check_user_data(res, diags):
                _check(res, diags, source.path)
    workflows = [r.lowered for r in results if r.lowered is not None]
    return FileResult(source.path, diags, workflows)


def _report(diags: Diagnostics, p: Problem, path: str) -> None:
    if p.loc is None:
        line = col = end_line = end_col = 0
        where = path
    else:
        line, col, end_line, end_col = p.loc.position()
        where = p.loc.path
    if p.severity.value == "error":
        diags.error(p.code, p.message, where, line, col, end_line, end_col)
    elif p.severity.value == "warning":
        diags.warning(p.code, p.message, where, line, col, end_line, end_col)
    else:
        diags.info(p.code, p.message, where, line, col)


def _check_user_data(res: Result, diags: Diagnostics) -> bool:
    """Strict-schema violations inside values the user wrote as-is are the user's mistakes,
    reported at those values (the core would call them internal errors). True if any."""
    found = user_data_problems(res)
    for p in found:
        _report(diags, p, "")
    return bool(found)


def user_data_problems(res: Result) -> list[Problem]:
    """The strict-schema violations of a lowered operation that fall inside data the user
    wrote as-is (``template_overrides``, ``resources``, ``pod_gc``, ``ttl_strategy``)."""
    from tiphys.compiler.strict_schema import check_strict

    assert res.lowered is not None
    found: list[Problem] = []
    for v in check_strict(res.lowered.document):
        best = None
        for prefix, loc, what in res.user_data:
            if v.path[: len(prefix)] == prefix and (best is None or len(prefix) > len(best[0])):
                best = (prefix, loc, what)
        if best is None:
            continue
        prefix, loc, what = best
        # An override's path starts at its own field; the other values' at their contents.
        inner = ".".join(str(x) for x in v.path[len(prefix) - (what == "template_overrides"):])
        found.append(error(_USER_DATA_CODES[what],
                           f"{what}: {inner + ': ' if inner else ''}{v.message}", loc))
    return found


def _check(res: Result, diags: Diagnostics, path: str) -> None:
    """Strict schema and Argo's rules, as the core runs them; a parameter left without a value
    on purpose (supplied with ``-p`` at submission) is not an ARG107 error."""
    from tiphys.compiler.check.documents import check_lowered
    from tiphys.compiler.diagnostics import Diagnostics as Collector

    assert res.lowered is not None
    found = Collector()
    check_lowered([res.lowered], found, path)
    for d in found:
        if d.code == "ARG107" and any(f"parameter '{p}' " in d.message for p in res.open_params):
            continue
        diags.add(d)
