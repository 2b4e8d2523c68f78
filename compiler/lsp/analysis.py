"""What the language server runs on a document: lint the in-memory text, map to LSP ranges.

Independent of pygls (plain values in, plain values out), so it is unit-tested directly and
timed by ``bench/bench_lint.py`` exactly as the server runs it. A :class:`DocumentAnalyser`
keeps one document's parse cache between edits (see :mod:`tiphys.compiler.frontend.incremental`); the result is what
``tiphys lint`` reports for that file, minus the run-wide checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from tiphys.compiler.cancel import Probe, stop_when
from tiphys.compiler.commands.lint import filter_document
from tiphys.compiler.commands.suppress import Selection
from tiphys.compiler.diagnostics import Diagnostic, Diagnostics
from tiphys.compiler.frontend.incremental import IncrementalParser
from tiphys.compiler.lower.workflow import Settings
from tiphys.compiler.lsp.positions import UTF16, Span, span_for, split_lines


@dataclass(frozen=True, slots=True)
class Finding:
    """A diagnostic and where the editor shows it."""

    diagnostic: Diagnostic
    span: Span


class DocumentAnalyser:
    """Lints successive versions of one document, re-parsing only what changed."""

    def __init__(self) -> None:
        self.parser = IncrementalParser()

    def diagnostics(self, path: str, text: str, settings: Settings) -> list[Diagnostic]:
        """All the compiler's diagnostics for *text*, before suppressions."""
        from tiphys.compiler.commands.pipeline import compile_file, compile_source, uses_dsl
        from tiphys.compiler.frontend.source import SourceFile

        tree = self.parser.parse(text) if uses_dsl(text) else None
        if tree is None:  # not the DSL, or a syntax error (compile_file reports it)
            return compile_file(path, settings, text=text).diagnostics.sorted()
        diags = Diagnostics()
        compile_source(SourceFile(path, text, tree), settings, diags)
        return diags.sorted()

    def analyse(
        self, path: str, text: str, settings: Settings, selection: Selection | None = None,
        encoding: str = UTF16, should_stop: Probe | None = None,
    ) -> list[Finding]:
        """The findings for *text*. With *should_stop*, the analysis checks it at safe
        points and raises :class:`~tiphys.compiler.cancel.Stopped` when it answers (a newer
        edit came in, or the time budget is spent)."""
        with stop_when(should_stop):
            diagnostics = self.diagnostics(path, text, settings)
        kept = filter_document(diagnostics, path, text, selection)
        lines = split_lines(text)
        return [
            Finding(d, span_for(lines, d.line, d.col, d.end_line, d.end_col, encoding))
            for d in kept
        ]


def analyse_document(
    path: str, text: str, settings: Settings, selection: Selection | None = None,
    encoding: str = UTF16, analyser: DocumentAnalyser | None = None,
) -> list[Finding]:
    """One analysis, with a fresh analyser unless one is given (the server keeps one per
    open document)."""
    return (analyser or DocumentAnalyser()).analyse(path, text, settings, selection, encoding)
