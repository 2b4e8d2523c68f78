"""Cases ported from Argo's own unit tests, with Argo's verdict.

Each file under ``negative/upstream/`` and ``positive/upstream/`` re-states one YAML case of
argoproj/argo-workflows' tests (``workflow/validate/validate_test.go``,
``validate_dag_test.go``, ``cmd/argo/commands/lint_test.go``, the CronWorkflow validation
tests), written for this project, and names the Go test it comes from. Its header says::

    # from: <Go file> <Go test> (<case>)
    # argo: rejected "<what Argo's error says>"   |   # argo: accepted
    # tiphys: ARGnnn [ARGnnn ...]                   (rejected cases: the code(s) expected)
    # options: --no-strict                          (optional: as `argo lint --strict=false`)

A rejected case must give at least one error, among them one of the listed codes; an
accepted case must give no error from Argo's own checks (a check Argo's validator does not
make, such as the API server's "metadata needs a name", may still report: its code is marked
beyond Argo, see ``BEYOND_ARGO``). Each file is validated on its own, as ``argo lint`` would
read it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from validator_paths import HERE

from tiphys.compiler.commands.validate import validate_files
from tiphys.compiler.diagnostics import Diagnostic
from tiphys.compiler.validator.codes import BEYOND_ARGO

REJECTED = sorted((HERE / "negative" / "upstream").glob("*.yaml"))
ACCEPTED = sorted((HERE / "positive" / "upstream").glob("*.yaml"))
_FROM = re.compile(r"^# from: \S+\.go Test\w+")


def _header(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("# "):
            break
        key, _, value = line[2:].partition(": ")
        out[key] = value
    assert _FROM.match(f"# from: {out.get('from', '')}"), f"{path.name}: no '# from:' Go test"
    return out


def _validate(path: Path) -> list[Diagnostic]:
    strict = "--no-strict" not in _header(path).get("options", "")
    return validate_files([str(path)], strict=strict).sorted()


def _shown(path: Path) -> str:
    return "\n".join(f"  {d.line}:{d.col} {d.code} {d.severity.value} {d.message}"
                     for d in _validate(path))


@pytest.mark.parametrize("path", REJECTED, ids=[p.stem for p in REJECTED])
def test_argo_rejects(path: Path) -> None:
    head = _header(path)
    assert head.get("argo", "").startswith("rejected"), path.name
    codes = head.get("tiphys", "").split()
    assert codes, f"{path.name}: '# tiphys:' lists no expected code"
    errors = [d for d in _validate(path) if d.is_error]
    assert errors, f"Argo rejects {path.name}, tiphys accepts it"
    assert {d.code for d in errors} & set(codes), (
        f"expected one of {codes}, got:\n{_shown(path)}")


@pytest.mark.parametrize("path", ACCEPTED, ids=[p.stem for p in ACCEPTED])
def test_argo_accepts(path: Path) -> None:
    head = _header(path)
    assert head.get("argo", "").startswith("accepted"), path.name
    errors = [d for d in _validate(path) if d.is_error and d.code not in BEYOND_ARGO]
    assert not errors, f"Argo accepts {path.name}, tiphys rejects it:\n{_shown(path)}"


def test_corpus_is_substantial() -> None:
    assert len(REJECTED) >= 30 and len(ACCEPTED) >= 15
    sources = {_header(p)["from"].split()[0] for p in [*REJECTED, *ACCEPTED]}
    assert len(sources) >= 3, sources
