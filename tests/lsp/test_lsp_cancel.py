"""A superseded or too slow analysis stops at its next safe point; a slow file is reported
(TPH060) instead of holding up the others."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_client import LspClient

from tiphys.compiler.cancel import Stopped, check, stop_when
from tiphys.compiler.lower.workflow import Settings
from tiphys.compiler.lsp.analysis import DocumentAnalyser

from conftest import SAMPLES


def test_check_raises_only_when_the_probe_answers() -> None:
    check()  # no probe: nothing happens
    with stop_when(lambda: None):
        check()
    with stop_when(lambda: "superseded"), pytest.raises(Stopped) as caught:
        check()
    assert caught.value.reason == "superseded"
    check()  # the probe is gone with the block


def test_an_analysis_stops_at_a_top_level_statement() -> None:
    text = (SAMPLES / "etl.py").read_text(encoding="utf-8")
    asked: list[int] = []

    def probe() -> str | None:
        asked.append(1)
        return "superseded" if len(asked) > 3 else None

    analyser = DocumentAnalyser()
    with pytest.raises(Stopped):
        analyser.analyse("etl.py", text, Settings(), should_stop=probe)
    assert len(asked) == 4  # it stopped at the first check after the probe said so
    # The same analyser goes on normally afterwards.
    assert analyser.analyse("etl.py", text, Settings()) == []


def test_a_file_over_the_time_budget_gets_tph060(tmp_path: Path) -> None:
    pytest.importorskip("pygls", reason="the language server needs the lsp extra (pygls)")
    import os

    c = LspClient(env={**os.environ, "TIPHYS_CACHE_DIR": "", "TIPHYS_LSP_TIMEOUT": "0"})
    try:
        c.initialize(tmp_path)
        uri = (tmp_path / "etl.py").as_uri()
        c.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1,
            "text": (SAMPLES / "etl.py").read_text(encoding="utf-8")}})
        published = c.diagnostics(uri, version=1)["diagnostics"]
        assert [d["code"] for d in published] == ["TPH060"]
        assert published[0]["range"]["start"] == {"line": 0, "character": 0}
        assert c.shutdown() == 0
    finally:
        c.close()
