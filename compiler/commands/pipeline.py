"""The compile pipeline for one file: source → parse → analyse → IR → lower → validate.

Returns values, never raises for a problem in the user's input. Validation of the lowered
document has two layers: the project's strict JSON schema (a failure there is a compiler bug,
reported as one) and Argo's semantic rules (mapped back to the Python source position).
"""

from __future__ import annotations

import re

from tiphys.compiler.cancel import check as check_stop
from tiphys.compiler.check.documents import FileResult, check_lowered
from tiphys.compiler.check.types import check_program
from tiphys.compiler.diagnostics import Diagnostics
from tiphys.compiler.frontend.analyse import analyse
from tiphys.compiler.frontend.source import SourceFile, read_source
from tiphys.compiler.lower.workflow import Settings, lower_workflow

# An import statement at the start of a line (module level or indented): a cheap test that
# runs before parsing, so that files which never import the DSL are skipped quickly. A
# mention in a comment or a string does not count. A line may also start after a lone "\r"
# (Python reads it as a line end; re's "^" does not).
_TIPHYS_IMPORT = re.compile(r"(?:^|(?<=\r))[ \t]*(?:from[ \t]+tiphys\b(?!\.cloudharness)|import[ \t]+(?:[\w., \t]*,[ \t]*)?tiphys\b(?!\.cloudharness))", re.M)
_CH_IMPORT = re.compile(
    r"(?:^|(?<=\r))[ \t]*(?:from[ \t]+(?:tiphys\.)?cloudharness\.workflows\b|"
    r"from[ \t]+(?:tiphys\.)?cloudharness[ \t]+import[^\n]*\bworkflows\b|"
    r"from[ \t]+tiphys\.cloudharness\b|"
    r"import[ \t]+(?:tiphys\.)?cloudharness\.workflows\b)", re.M)


def uses_dsl(text: str) -> bool:
    """The file imports the tiphys DSL (not only its CloudHarness layer)."""
    return _TIPHYS_IMPORT.search(text) is not None


def uses_cloudharness(text: str) -> bool:
    """The file imports CloudHarness' workflows API (or tiphys.cloudharness)."""
    return _CH_IMPORT.search(text) is not None


def compile_file(
    path: str, settings: Settings, text: str | None = None, validate: bool = True
) -> FileResult:
    diags = Diagnostics()
    source = read_source(path, diags, text, settings.max_input_size)
    if source is None:
        return FileResult(path, diags)
    if uses_cloudharness(source.text) and not uses_dsl(source.text):
        from tiphys.compiler.cloudharness import compile_cloudharness

        return compile_cloudharness(source, settings, diags, validate)
    if not uses_dsl(source.text):
        return FileResult(path, diags, not_dsl=True)
    return compile_source(source, settings, diags, validate)


def compile_source(
    source: SourceFile, settings: Settings, diags: Diagnostics, validate: bool = True
) -> FileResult:
    try:
        module = analyse(source, diags)
    except RecursionError:
        # Expressions nested deeper than the evaluator's recursion (a chain of thousands of
        # ``|`` in .after(), say): a diagnostic, not a crash. Composites have their own limit.
        diags.error("TPH122", "the file nests expressions too deeply for tiphys to analyse: "
                    "split them over several statements", source.path, 1, 1)
        return FileResult(source.path, diags)
    check_program(module, diags)  # types, unreachable values, skippable reads, cycles
    result = FileResult(source.path, diags)
    if diags.has_errors:
        return result
    for wf in module.workflows:
        check_stop()
        lowered = lower_workflow(wf, settings, diags)
        if lowered is not None:
            result.workflows.append(lowered)
    if validate and not diags.has_errors:
        check_stop()
        check_lowered(result.workflows, diags, source.path)
    from tiphys.compiler.check.composition import summarize

    result.summary = summarize(result.workflows,
                               [inv for wf in module.workflows for inv in wf.invocations])
    return result
