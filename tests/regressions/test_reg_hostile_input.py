"""Regressions (issue 9, items 5 and 10): inputs that are not files, or too big, get one
diagnostic each and never hang or exhaust a run; a workflow name is never silently renamed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.compile_helpers import compile_text
from tests.regressions.hostile_helpers import GOOD, make_project, tiphys
from tiphys.compiler.bounded_read import DEFAULT_MAX_INPUT_SIZE, InputRefused, read_bounded

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
needs_dev_zero = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")


def _tph001(stream: str, path: str) -> list[str]:
    return [line for line in stream.splitlines() if line.startswith(f"{path}: TPH001 ")]


# ------------------------------------------------------------- item 5: what is read


@needs_dev_zero
@pytest.mark.parametrize("command", ["compile", "lint"])
@pytest.mark.parametrize("cache", ["with-cache", "no-cache"])
def test_dev_zero_is_refused_at_once(tmp_path: Path, command: str, cache: str) -> None:
    root = make_project(tmp_path)
    args = [command, "/dev/zero"] + (["--no-cache"] if cache == "no-cache" else [])
    run = tiphys(args, root)
    assert run.returncode == 1
    stream = run.stderr if command == "compile" else run.stdout
    [line] = _tph001(stream, "/dev/zero")
    assert "a character device, not a regular file" in line


@needs_fifo
@pytest.mark.parametrize("command", ["compile", "lint"])
def test_fifo_given_or_found_in_a_folder_does_not_block(tmp_path: Path, command: str) -> None:
    root = make_project(tmp_path)
    os.mkfifo(root / "flows" / "pipe.py")
    os.mkfifo(root / "given.py")
    run = tiphys([command, "flows", "given.py"], root)  # no writer: opening used to block
    assert run.returncode == 1
    stream = run.stderr if command == "compile" else run.stdout
    for path in ("flows/pipe.py", "given.py"):
        [line] = _tph001(stream, path)
        assert "a FIFO (named pipe), not a regular file" in line
    if command == "compile":
        assert run.stdout == ""  # an error anywhere: nothing printed


@needs_fifo
def test_fifo_as_the_config_file_does_not_block(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    os.mkfifo(root / "tiphys.toml")
    run = tiphys(["compile", "--config", "tiphys.toml", "flows"], root)
    assert run.returncode == 2
    assert "TPH040 cannot read config file: it is a FIFO (named pipe)" in run.stderr


def test_a_file_over_the_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    big = root / "flows" / "big.py"
    with open(big, "wb") as f:  # sparse: the size is what counts, not the bytes on disk
        f.truncate(DEFAULT_MAX_INPUT_SIZE + 1)
    run = tiphys(["compile", "flows"], root)
    assert run.returncode == 1
    [line] = _tph001(run.stderr, "flows/big.py")
    assert f"{DEFAULT_MAX_INPUT_SIZE + 1:,} bytes" in line and "max-input-size" in line
    assert "10 MiB" in line


@pytest.mark.parametrize("command", ["compile", "lint"])
def test_the_limit_is_configurable(tmp_path: Path, command: str) -> None:
    size = len(GOOD.encode())
    root = make_project(tmp_path, table=f"[tool.tiphys]\nmax-input-size = {size - 1}\n")
    run = tiphys([command, "flows"], root)
    assert run.returncode == 1
    stream = run.stderr if command == "compile" else run.stdout
    [line] = _tph001(stream, "flows/hello.py")
    assert f"over the input size limit (max-input-size) of {size - 1:,} bytes" in line
    (root / "pyproject.toml").write_text(f'[project]\nname = "p"\n\n[tool.tiphys]\n'
                                         f"max-input-size = {size}\n")
    assert tiphys([command, "flows"], root).returncode == 0


def test_an_invalid_limit_is_a_config_error(tmp_path: Path) -> None:
    root = make_project(tmp_path, table="[tool.tiphys]\nmax-input-size = 0\n")
    run = tiphys(["compile", "flows"], root)
    assert run.returncode == 2
    assert "TPH042 tool.tiphys.max-input-size must be at least 1, not 0" in run.stderr


def test_read_bounded(tmp_path: Path) -> None:
    f = tmp_path / "f"
    f.write_bytes(b"x" * 10)
    assert read_bounded(str(f), 10) == b"x" * 10
    with pytest.raises(InputRefused, match="over the input size limit"):
        read_bounded(str(f), 9)
    with pytest.raises(InputRefused, match="a folder, not a regular file"):
        read_bounded(str(tmp_path), 10)
    with pytest.raises(FileNotFoundError):
        read_bounded(str(tmp_path / "missing"), 10)


# ------------------------------------------------------------- item 10: workflow names

NAMED = '''from tiphys import task, workflow


@task
def hello() -> None:
    print("hi")


wf = workflow({name}, hello())
'''


@pytest.mark.parametrize(("name", "hint"), [
    ("../../evil", "did you mean 'evil'?"),   # was silently written as evil.yaml
    ("evil/../../x", ""),                     # no valid name to suggest
    ("ETL", "did you mean 'etl'?"),
    ("my_flow", "did you mean 'my-flow'?"),
    ("a..b", ""),
    ("-lead", "did you mean 'lead'?"),
    ("", ""),
])
def test_an_invalid_workflow_name_is_an_error_at_the_name(tmp_path: Path, name: str,
                                                          hint: str) -> None:
    docs, diags = compile_text(tmp_path, NAMED.format(name=repr(name)))
    assert docs == []
    [d] = diags
    assert (d.code, d.line, d.col) == ("TPH310", 9, 15)
    assert d.end_col == 15 + len(repr(name))
    assert f"workflow name '{name}'" in d.message and hint in d.message
    assert ("did you mean" in d.message) == bool(hint)


def test_no_file_is_written_for_an_invalid_name(tmp_path: Path) -> None:
    root = make_project(tmp_path, files={"evil.py": NAMED.format(name='"../../evil"')})
    run = tiphys(["compile", "flows", "-o", "a/out"], root)
    assert run.returncode == 1 and "TPH310" in run.stderr
    assert not list(tmp_path.rglob("*evil.yaml")) and not (root / "a").exists()


def test_a_valid_name_is_used_as_written(tmp_path: Path) -> None:
    docs, diags = compile_text(tmp_path, NAMED.format(name='"etl.v2-daily"'))
    assert diags == [] and docs[0]["metadata"]["name"] == "etl.v2-daily"
