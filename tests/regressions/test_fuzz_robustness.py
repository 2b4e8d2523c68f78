"""Robustness fuzzing: broken variants of every sample never crash the compiler.

Each sample is mutated deterministically (seeded; see ``fuzz_mutations.py``): lines and tokens
deleted, duplicated or swapped, literals replaced by names, calls, ``None``, lambdas or
f-strings, keyword arguments renamed, statements wrapped in blocks, files truncated, unicode,
CRLF and tabs inserted. For every variant the compiler must:

- raise nothing (a user's mistake is a diagnostic, never a traceback);
- report no internal error (TPH900);
- give every diagnostic a path, and a line unless it is about the whole file;
- when it reports no error, emit documents that pass the strict schema.

``TIPHYS_FUZZ_COUNT`` sets the number of variants per sample (default 25, about 5 s in all);
``TIPHYS_FUZZ_SEED`` picks another family of variants. Hunting: ``TIPHYS_FUZZ_COUNT=500``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import sample_files
from tests.regressions.fuzz_mutations import variants
from tiphys.compiler.commands.compile import compile_paths
from tiphys.compiler.lower.workflow import Settings
from tiphys.compiler.strict_schema import check_strict

COUNT = int(os.environ.get("TIPHYS_FUZZ_COUNT", "25"))
SEED = int(os.environ.get("TIPHYS_FUZZ_SEED", "0"))
#: Codes about a whole file (or the whole run), which have no line.
WHOLE_FILE = {"TPH001", "TPH002", "TPH010", "TPH011"}


def _problems(path: Path, text: str) -> list[str]:
    path.write_text(text, encoding="utf-8", newline="")
    try:
        results, diags = compile_paths([str(path)], Settings())
    except Exception as exc:  # any exception at all is the failure this test looks for
        return [f"raised {type(exc).__name__}: {exc}"]
    out = []
    items = diags.sorted()
    for d in items:
        if d.code == "TPH900" or "internal error" in d.message:
            out.append(f"internal error: {d.code} {d.message}")
        if not d.path:
            out.append(f"no path: {d.code} {d.message}")
        elif d.line < 1 and d.code not in WHOLE_FILE:
            out.append(f"no line: {d.code} {d.message}")
    if not any(d.is_error for d in items):
        for r in results:
            for wf in r.workflows:
                out.extend(f"strict schema: {v}" for v in check_strict(wf.document))
    return out


@pytest.mark.parametrize("sample", sample_files(), ids=lambda p: p.stem)
def test_broken_variants_never_crash(tmp_path: Path, sample: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    seed = SEED * 1000 + sum(map(ord, sample.name))
    failures = []
    for i, (mutation, variant) in enumerate(variants(text, seed, COUNT)):
        for problem in _problems(tmp_path / sample.name, variant):
            failures.append((i, mutation, problem, variant))
    if failures:
        i, mutation, problem, variant = failures[0]
        pytest.fail(f"{len(failures)} problem(s); first: variant {i} ({mutation}) of "
                    f"{sample.name}: {problem}\n--- variant ---\n{variant}")


def test_mutations_are_deterministic() -> None:
    text = sample_files()[0].read_text(encoding="utf-8")
    assert variants(text, 7, 20) == variants(text, 7, 20)
    assert variants(text, 7, 20) != variants(text, 8, 20)


@pytest.mark.parametrize("sample", sample_files()[:4], ids=lambda p: p.stem)
def test_lint_on_broken_variants(tmp_path: Path, sample: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    """``tiphys lint`` (its own path: cache, suppressions, formats) on a few variants."""
    from tiphys.compiler.commands.lint import run_lint

    text = sample.read_text(encoding="utf-8")
    path = tmp_path / sample.name
    for _, variant in variants(text, SEED + 99, 4):
        path.write_text(variant, encoding="utf-8", newline="")
        code = run_lint([str(path)], fmt="json", no_cache=True)
        out, err = capsys.readouterr()
        assert code in (0, 1), (code, err, variant)
        assert "internal error" not in out + err, variant
        for d in json.loads(out or "[]"):
            assert d["code"] != "TPH900", (d, variant)
