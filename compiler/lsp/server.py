"""The tiphys language server (pygls, stdio).

Diagnostics are published on open and save at once, and on change after a short pause
(``DEBOUNCE`` seconds without a further change): the analysis runs on a worker thread, so the
event loop keeps reading messages, and its result is published only if no newer request for
the document came in meanwhile (the latest version wins; a closed document stays clear). An
analysis that a newer request supersedes stops at its next safe point (see
:mod:`tiphys.compiler.cancel`), so the worker moves on to the latest text at once; one that
runs past ``TIMEOUT`` seconds stops too, and the file gets a TPH060 warning instead of
holding up the other documents.
Quick fixes come from :mod:`.fixes`. Settings and ``[tool.tiphys.lint]`` select/ignore are
read from the document's ``pyproject.toml``, as ``tiphys lint`` reads them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types as lsp
from pygls.server import LanguageServer

from tiphys.compiler.cancel import Stopped
from tiphys.compiler.commands.report import help_uri
from tiphys.compiler.commands.suppress import CodeListError, Selection, parse_codes
from tiphys.compiler.diagnostics import Diagnostic, Severity
from tiphys.compiler.lower.workflow import Settings
from tiphys.compiler.lsp.analysis import DocumentAnalyser, Finding
from tiphys.compiler.lsp.edits import FIXABLE, edit_range, line_edits
from tiphys.compiler.lsp.positions import UTF16, Span, split_lines, to_tiphys
from tiphys.compiler.version import VERSION

#: Seconds without a further change before a changed document is analysed again. Short: a
#: superseded analysis stops at once, so analysing early costs the editor nothing.
DEBOUNCE = float(os.environ.get("TIPHYS_LSP_DEBOUNCE", "0.02"))
#: Seconds an analysis may run before it is stopped and the file reported as too slow.
TIMEOUT = float(os.environ.get("TIPHYS_LSP_TIMEOUT", "5"))
SOURCE = "tiphys"

_SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}

log = logging.getLogger("tiphys.lsp")


@dataclass(slots=True)
class _Document:
    analyser: DocumentAnalyser = field(default_factory=DocumentAnalyser)
    #: Bumped by every request (open, change, save, close); a result is published only if
    #: its request is still the latest.
    generation: int = 0
    pending: asyncio.Task[None] | None = None
    #: What was published last (code actions fall back on it).
    findings: list[Finding] = field(default_factory=list)


class TiphysServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("tiphys", VERSION)
        self.documents: dict[str, _Document] = {}
        # One worker: analyses run one at a time, in order, never concurrently with a fix.
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tiphys-lint")
        #: folder → (settings, selection, the config file read, its mtime).
        self._config: dict[str, tuple[Settings, Selection, str | None, float | None]] = {}

    @property
    def encoding(self) -> str:
        chosen = self.server_capabilities.position_encoding
        return str(getattr(chosen, "value", chosen) or UTF16)

    # ------------------------------------------------------------------ configuration

    def config_for(self, path: str) -> tuple[Settings, Selection]:
        """Settings and lint selection for a document, from the pyproject.toml that
        ``tiphys lint`` would read for it; cached per folder, and read again when that file
        changes."""
        folder = os.path.dirname(os.path.abspath(path))
        cached = self._config.get(folder)
        if cached is not None and _mtime(cached[2]) == cached[3]:
            return cached[0], cached[1]
        from tiphys.compiler.commands.config import load_config

        settings, selection, source = Settings(), Selection(), None
        try:
            config, problems = load_config([folder], cwd=folder)
            source = os.path.join(folder, config.source) if config.source else None
            if problems:
                self.show_message_log(f"tiphys: {config.source}: invalid [tool.tiphys]; "
                                      "using the defaults", lsp.MessageType.Warning)
            else:
                settings = Settings(**config.settings)
                selection = Selection(parse_codes(config.lint_select),
                                      parse_codes(config.lint_ignore))
        except (OSError, CodeListError, TypeError, ValueError) as exc:
            self.show_message_log(f"tiphys: cannot read the configuration: {exc}",
                                  lsp.MessageType.Warning)
        self._config[folder] = (settings, selection, source, _mtime(source))
        return settings, selection

    def forget_config(self) -> None:
        self._config.clear()

    # ------------------------------------------------------------------ diagnostics

    def request_lint(self, uri: str, delay: float) -> None:
        if not is_python(self.workspace.get_text_document(uri)):
            return
        doc = self.documents.setdefault(uri, _Document())
        doc.generation += 1
        if doc.pending is not None:
            doc.pending.cancel()
        doc.pending = self.loop.create_task(self._lint(uri, doc, doc.generation, delay))

    async def _lint(self, uri: str, doc: _Document, generation: int, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        text_document = self.workspace.get_text_document(uri)
        text, version = text_document.source, text_document.version
        path = text_document.path or uri
        settings, selection = self.config_for(path)
        deadline: list[float] = []  # set when the worker starts, not while the job queues

        def should_stop() -> str | None:
            if doc.generation != generation or self.documents.get(uri) is not doc:
                return "superseded"
            if not deadline:
                deadline.append(time.monotonic() + TIMEOUT)
            return "timeout" if time.monotonic() > deadline[0] else None

        try:
            findings = await self.loop.run_in_executor(
                self.worker, doc.analyser.analyse, path, text, settings, selection,
                self.encoding, should_stop)
        except Stopped as stop:
            if stop.reason != "timeout" or doc.generation != generation:
                return  # a newer request is on its way
            findings = [too_slow(path, TIMEOUT)]
        except Exception as exc:  # a tiphys bug: say so, keep the previous diagnostics
            log.exception("analysis failed")
            self.show_message_log(f"tiphys: internal error while linting {path}: "
                                  f"{type(exc).__name__}: {exc}", lsp.MessageType.Error)
            return
        if doc.generation != generation or self.documents.get(uri) is not doc:
            return  # a newer version (or a close) came in while this one was analysed
        doc.findings = findings
        self.publish_diagnostics(uri, [to_lsp(f) for f in findings], version=version)

    def close(self, uri: str) -> None:
        doc = self.documents.pop(uri, None)
        if doc is not None:
            doc.generation += 1
            if doc.pending is not None:
                doc.pending.cancel()
        self.publish_diagnostics(uri, [])

    # ------------------------------------------------------------------ code actions

    def fix_requests(self, params: lsp.CodeActionParams) -> tuple[str, list[lsp.Diagnostic]]:
        """(the document's text, the diagnostics to fix), read on the event loop."""
        uri = params.text_document.uri
        text = self.workspace.get_text_document(uri).source
        doc = self.documents.get(uri)
        wanted = [_own(d, doc) for d in params.context.diagnostics
                  if d.source == SOURCE and d.code in FIXABLE]
        if not wanted and doc is not None:  # a client that sends no context
            wanted = [to_lsp(f) for f in doc.findings
                      if f.diagnostic.code in FIXABLE and _overlaps(f, params.range)]
        return text, wanted


def code_actions(
    uri: str, text: str, wanted: list[lsp.Diagnostic], encoding: str,
) -> list[lsp.CodeAction]:
    """Quick fixes for *wanted* diagnostics of document *uri* holding *text*."""
    from tiphys.compiler.lsp.fixes import fixes_for  # imports libcst: only for a code action

    lines = split_lines(text)
    actions = []
    for diagnostic in wanted:
        line, col = to_tiphys(lines, diagnostic.range.start.line,
                              diagnostic.range.start.character, encoding)
        for fix in fixes_for(text, str(diagnostic.code), line, col):
            edits = []
            for edit in line_edits(text, fix.text):
                sl, sc, el, ec = edit_range(text, edit, encoding)
                edits.append(lsp.TextEdit(
                    lsp.Range(lsp.Position(sl, sc), lsp.Position(el, ec)), edit.text))
            actions.append(lsp.CodeAction(
                title=fix.title, kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[diagnostic], is_preferred=True,
                edit=lsp.WorkspaceEdit(changes={uri: edits}),
            ))
    return actions


def _mtime(path: str | None) -> float | None:
    if path is None:
        return None
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


def is_python(text_document: Any) -> bool:
    """Only Python files are analysed, whatever else a client opens (pyproject.toml...)."""
    return bool(text_document.language_id == "python" or
                str(text_document.uri).endswith((".py", ".pyi")))


def _own(diagnostic: lsp.Diagnostic, doc: _Document | None) -> lsp.Diagnostic:
    """The server's own copy of a diagnostic the client sent back, matched by code, message
    and line. Clients do not all echo ranges faithfully: Neovim 0.7 returns byte columns where
    the server sent UTF-16 ones, which put the fix's position inside the wrong name."""
    if doc is not None:
        for f in doc.findings:
            own = to_lsp(f)
            if (own.code == diagnostic.code and own.message == diagnostic.message
                    and own.range.start.line == diagnostic.range.start.line):
                return own
    return diagnostic


def _overlaps(finding: Finding, rng: lsp.Range) -> bool:
    s = finding.span
    return (s.start_line, s.start_char) <= (rng.end.line, rng.end.character) and \
        (rng.start.line, rng.start.character) <= (s.end_line, s.end_char)


def too_slow(path: str, budget: float) -> Finding:
    """TPH060 at the top of a file whose analysis was stopped after *budget* seconds."""
    message = (f"tiphys stopped analysing this file after {budget:g} s, so that other "
               "documents are not held up; run `tiphys lint` on it to see its diagnostics")
    return Finding(Diagnostic("TPH060", Severity.WARNING, message, path, 1, 1, 1, 1),
                   Span(0, 0, 0, 0))


def to_lsp(finding: Finding) -> lsp.Diagnostic:
    d, s = finding.diagnostic, finding.span
    data: Any = {"fixable": True} if d.code in FIXABLE else None
    return lsp.Diagnostic(
        range=lsp.Range(lsp.Position(s.start_line, s.start_char),
                        lsp.Position(s.end_line, s.end_char)),
        message=d.message,
        severity=_SEVERITY[d.severity],
        code=d.code,
        code_description=lsp.CodeDescription(href=help_uri(d.code)),
        source=SOURCE,
        data=data,
    )


def build_server() -> TiphysServer:
    server = TiphysServer()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: TiphysServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.request_lint(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: TiphysServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.request_lint(params.text_document.uri, DEBOUNCE)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: TiphysServer, params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri.endswith(("/pyproject.toml", "/tiphys.toml")):
            # The configuration changed (and the client told us): re-lint what is open.
            ls.forget_config()
            for open_uri in list(ls.documents):
                ls.request_lint(open_uri, 0)
        ls.request_lint(uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TiphysServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.close(params.text_document.uri)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    async def code_action(
        ls: TiphysServer, params: lsp.CodeActionParams,
    ) -> list[lsp.CodeAction] | None:
        only = params.context.only
        if only and lsp.CodeActionKind.QuickFix not in only:
            return None
        text, wanted = ls.fix_requests(params)
        if not wanted:
            return []
        # On the worker: parsing for a fix must not stall the event loop, nor run beside
        # an analysis.
        return await ls.loop.run_in_executor(
            ls.worker, code_actions, params.text_document.uri, text, wanted, ls.encoding)

    return server


def serve() -> int:
    """Run over stdio until the client says exit; 0 after a proper shutdown, else 1."""
    server = build_server()
    server.start_io()
    server.worker.shutdown(wait=False, cancel_futures=True)
    return 0 if getattr(server.lsp, "_shutdown", False) else 1
