"""``tiphys lint``: what it reports, where, in which format, and its exit codes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tiphys.compiler.cli import main
from tiphys.compiler.commands.report import render
from tiphys.compiler.diagnostics import Diagnostic, Severity

from conftest import SAMPLES

BUGGY = '''from tiphys import param, pipeline, task, workflow

LIMIT = compute_limit()


@task
def fetch(url: str) -> str:
    """Fetch a page."""
    return json.dumps({"url": url, "limit": LIMIT})


@task
def shout(text: str) -> None:
    print(text.upper(), os.getcwd())


page = fetch(url=param("url", default="https://example.com"))
wf = workflow("bug", pipeline(page, shout(text=page)))
'''
#: (line, column, code) of BUGGY's problems, in reading order.
BUGGY_FOUND = [(9, 12, "TPH210"), (9, 45, "TPH216"), (14, 25, "TPH210")]

CLEAN = '''from tiphys import task, workflow


@task
def hello() -> str:
    return "hi"


wf = workflow("hello", hello())
'''


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["lint", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, text: str, name: str = "flow.py") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def found(out: str) -> list[tuple[int, int, str]]:
    rows = []
    for line in out.splitlines():
        where, _, rest = line.partition(": ")
        _, ln, col = where.rsplit(":", 2)
        rows.append((int(ln), int(col), rest.split()[0]))
    return rows


def test_concise_on_stdout_exit_1(tmp_path: Path) -> None:
    path = write(tmp_path, BUGGY)
    code, out, err = run([str(path)])
    assert code == 1
    assert found(out) == BUGGY_FOUND
    assert out.splitlines()[0] == (
        f"{path}:9:12: TPH210 undefined name 'json' in task 'fetch': define or import it")
    assert "3 errors" in err


def test_clean_file_exit_0_and_nothing_on_stdout(tmp_path: Path) -> None:
    code, out, err = run([str(write(tmp_path, CLEAN))])
    assert (code, out) == (0, "")
    assert "no problems in 1 file" in err


def test_samples_lint_clean() -> None:
    # Info notes (the CloudHarness sample's run-time parameters) are shown but pass.
    code, out, _ = run(["--format", "json", str(SAMPLES)])
    assert code == 0
    assert {row["severity"] for row in json.loads(out)} <= {"info"}


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, CLEAN)
    code, out, err = run(["--select", "TPH-2", str(path)])
    assert code == 2 and out == "" and "TPH-2" in err
    code, _, _ = run([str(tmp_path / "missing.py")])
    assert code == 2


def test_internal_error_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tiphys.compiler.commands.lint as command_lint

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr(command_lint, "lint_paths", boom)
    code, _, err = run([str(write(tmp_path, CLEAN))])
    assert code == 2 and "internal error: RuntimeError: kaput" in err


def test_select_and_ignore(tmp_path: Path) -> None:
    path = str(write(tmp_path, BUGGY))
    code, out, err = run(["--select", "TPH216", path])
    assert code == 1 and [c for _, _, c in found(out)] == ["TPH216"]
    assert "2 left out by --select/--ignore" in err
    code, out, _ = run(["--ignore", "TPH21", path])
    assert (code, out) == (0, "")
    code, out, _ = run(["--select", "TPH2", "--ignore", "TPH216", path])
    assert [c for _, _, c in found(out)] == ["TPH210", "TPH210"]


def test_ignore_comments(tmp_path: Path) -> None:
    text = BUGGY.replace('"limit": LIMIT})', '"limit": LIMIT})  # tiphys: ignore[TPH216]')
    text = text.replace("os.getcwd())", "os.getcwd())  # tiphys: ignore")
    code, out, err = run([str(write(tmp_path, text))])
    assert code == 1 and found(out) == [(9, 12, "TPH210")]
    assert "2 silenced by '# tiphys: ignore'" in err
    # A comment for another code silences nothing.
    other = BUGGY.replace("os.getcwd())", "os.getcwd())  # tiphys: ignore[TPH301]")
    _, out, _ = run([str(write(tmp_path, other))])
    assert found(out) == BUGGY_FOUND


def test_configured_select_and_ignore(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.tiphys.lint]\nignore = ["TPH216"]\n', encoding="utf-8")
    path = str(write(tmp_path, BUGGY))
    _, out, _ = run([path])
    assert [c for _, _, c in found(out)] == ["TPH210", "TPH210"]
    # --ignore adds to the configured list; --select replaces the configured one.
    code, out, _ = run(["--ignore", "TPH210", path])
    assert (code, out) == (0, "")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.tiphys.lint]\nselect = ["TPH216"]\n', encoding="utf-8")
    _, out, _ = run([path])
    assert [c for _, _, c in found(out)] == ["TPH216"]
    _, out, _ = run(["--select", "TPH210", path])
    assert [c for _, _, c in found(out)] == ["TPH210", "TPH210"]


def test_argo_rules_mapped_to_the_python_source(tmp_path: Path) -> None:
    # A memoization key's tags are left to Argo's rules (workflow labels are checked earlier,
    # TPH174): the finding is reported at the task.
    text = CLEAN.replace("import task", "import memoize, task").replace(
        "@task", '@task(memoize=memoize("k-{{inputs.parameters.nope}}", max_age="1h", cache="c"))')
    code, out, _ = run([str(write(tmp_path, text))])
    assert code == 1
    assert (5, 1, "ARG401") in found(out)


def test_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIPHYS_CACHE_DIR", raising=False)  # the default: beside pyproject
    (tmp_path / "pyproject.toml").write_text("[tool.tiphys]\n", encoding="utf-8")
    write(tmp_path, CLEAN)
    write(tmp_path, BUGGY, "bug.py")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    code, _, _ = run([str(tmp_path)])
    assert code == 1
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_reuses_what_compile_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("TIPHYS_CACHE_DIR", str(cache))
    path = write(tmp_path, BUGGY)
    compiled = CliRunner().invoke(main, ["compile", str(path)])
    assert compiled.exit_code == 1 and cache.is_dir()
    # Lint answers from the entry compile stored: doctor it to prove it was read.
    entries = list(cache.rglob("*.json"))
    assert len(entries) == 1
    head, _, body = entries[0].read_bytes().partition(b"\n")
    data = json.loads(body)
    data["diagnostics"][0][2] = "from the cache"
    body = json.dumps(data).encode("utf-8")  # with a matching digest, or it is refused
    header = dict(json.loads(head), digest=hashlib.sha256(body).hexdigest())
    entries[0].write_bytes(json.dumps(header).encode("utf-8") + b"\n" + body)
    _, out, _ = run([str(path)])
    assert "from the cache" in out
    _, out, _ = run(["--no-cache", str(path)])
    assert "from the cache" not in out and found(out) == BUGGY_FOUND


def test_full_format_shows_the_line_and_a_caret(tmp_path: Path) -> None:
    _, out, _ = run(["--format", "full", str(write(tmp_path, BUGGY))])
    lines = out.splitlines()
    assert lines[0].endswith("error: TPH210 undefined name 'json' in task 'fetch': "
                             "define or import it")
    assert lines[1] == '    9 |     return json.dumps({"url": url, "limit": LIMIT})'
    assert lines[2] == "      |            ^^^^"


def test_full_format_caret_under_wide_characters() -> None:
    text = 'x = "日本"; y = missing\n'
    d = Diagnostic("TPH210", Severity.ERROR, "m", "f.py", 1, 14, 1, 21)
    out = render([d], "full", lambda _: text).splitlines()
    # Two cells per CJK character: the caret moves two columns further right.
    assert out[2] == "      | " + " " * 15 + "^" * 7


def test_json_format(tmp_path: Path) -> None:
    _, out, _ = run(["--format", "json", str(write(tmp_path, BUGGY))])
    rows = json.loads(out)
    assert [(r["line"], r["column"], r["code"]) for r in rows] == BUGGY_FOUND
    assert rows[0]["end_column"] == 16 and rows[0]["severity"] == "error"


def test_github_format_escapes() -> None:
    d = Diagnostic("TPH210", Severity.WARNING, "100% wrong:\nfix, then retry", "a,b:c.py",
                   3, 4, 3, 9)
    out = render([d], "github")
    assert out == ("::warning file=a%2Cb%3Ac.py,line=3,col=4,endLine=3,endColumn=9,"
                   "title=TPH210::100%25 wrong:%0Afix, then retry\n")


def test_github_format_from_the_command(tmp_path: Path) -> None:
    path = write(tmp_path, BUGGY)
    _, out, _ = run(["--format", "github", str(path)])
    first = out.splitlines()[0]
    assert first.startswith("::error file=") and ",line=9,col=12," in first
    # In the message (the command's data) only %, CR and LF are escaped.
    assert first.endswith("::undefined name 'json' in task 'fetch': define or import it")


def test_sarif_format(tmp_path: Path) -> None:
    text = BUGGY.replace('hello', 'x').replace(
        'pipeline(page, shout(text=page)))',
        'pipeline(page, shout(text=page)), labels={"team": "not valid!"})')
    _, out, _ = run(["--format", "sarif", str(write(tmp_path, text, "my flow.py"))])
    doc = json.loads(out)
    assert doc["version"] == "2.1.0"
    run0 = doc["runs"][0]
    assert run0["columnKind"] == "unicodeCodePoints"
    rules = {r["id"]: r["helpUri"] for r in run0["tool"]["driver"]["rules"]}
    assert rules["TPH210"].endswith("/docs/codes.md#tph210")
    results = run0["results"]
    first = results[0]
    assert first["ruleId"] == "TPH210" and first["level"] == "error"
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("my%20flow.py")
    assert loc["region"] == {"startLine": 9, "startColumn": 12, "endLine": 9, "endColumn": 16}
    assert all(run0["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
               for r in results)


def test_sarif_help_uri_for_argo_rules() -> None:
    d = Diagnostic("ARG013", Severity.ERROR, "m", "f.py", 1, 1)
    rules = json.loads(render([d], "sarif"))["runs"][0]["tool"]["driver"]["rules"]
    assert rules[0]["helpUri"].endswith("/docs/validator-codes.md#arg013")


def test_empty_machine_formats_are_still_valid(tmp_path: Path) -> None:
    path = str(write(tmp_path, CLEAN))
    assert json.loads(run(["--format", "json", path])[1]) == []
    assert json.loads(run(["--format", "sarif", path])[1])["runs"][0]["results"] == []
    assert run(["--format", "github", path])[1] == ""


def test_whole_process_streams_and_exit_code(tmp_path: Path) -> None:
    path = write(tmp_path, BUGGY)
    proc = subprocess.run([sys.executable, "-m", "tiphys.compiler", "lint", str(path)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "TIPHYS_CACHE_DIR": ""})
    assert proc.returncode == 1
    assert found(proc.stdout) == BUGGY_FOUND
    assert proc.stderr.strip() == "tiphys lint: 3 errors, 0 warnings in 1 file"
