"""Regressions (issue 9, items 1, 2, 4 and 5): a compile-cache entry someone edited, damaged
or replaced is never emitted, never writes outside -o, and never crashes or hangs a run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.regressions.hostile_helpers import (
    GOOD,
    entries,
    make_project,
    read_entry,
    tiphys,
    write_entry,
)


def _warm(tmp_path: Path, *args: str) -> tuple[Path, str, Path]:
    """A project compiled once (stdout of that run), and its one cache entry."""
    root = make_project(tmp_path / "p")
    cold = tiphys(["compile", "flows", *args], root)
    assert cold.returncode == 0, cold.stderr
    [entry] = entries(root)
    return root, cold.stdout, entry


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if ".tiphys_cache" not in p.parts and ".git" not in p.parts)


@pytest.mark.parametrize("reseal", [False, True], ids=["digest-stale", "digest-forged"])
def test_entry_renamed_to_escape_the_output_folder(tmp_path: Path, reseal: bool) -> None:
    # Item 1: a workflow name edited to ../../escaped (key unchanged) wrote
    # a/out/../../escaped.yaml. With the digest left stale it is caught by the digest; with a
    # forged digest, by the name check every cached name goes through.
    root, _, entry = _warm(tmp_path, "-o", "a/out")
    expected = (root / "a" / "out" / "hello.yaml").read_bytes()
    (root / "a" / "out" / "hello.yaml").unlink()
    header, content = read_entry(entry)
    content["workflows"][0][0] = "../../escaped"
    write_entry(entry, header, content, reseal=reseal)
    before = _files(tmp_path)
    run = tiphys(["compile", "flows", "-o", "a/out"], root)
    assert run.returncode == 0, run.stderr
    assert "TPH050" in run.stderr and entry.name in run.stderr
    assert ("digest" in run.stderr) != reseal
    assert not list(tmp_path.rglob("escaped.yaml"))
    assert _files(tmp_path) == sorted([*before, "p/a/out/hello.yaml"])
    assert (root / "a" / "out" / "hello.yaml").read_bytes() == expected


def test_entry_with_edited_yaml_is_never_emitted(tmp_path: Path) -> None:
    # Item 2: an entry's YAML edited to another image was printed with exit 0.
    root, cold, entry = _warm(tmp_path)
    header, content = read_entry(entry)
    assert "python:3.12-slim" in content["workflows"][0][1]
    content["workflows"][0][1] = content["workflows"][0][1].replace(
        "python:3.12-slim", "evil.example/miner:latest")
    write_entry(entry, header, content, reseal=False)
    run = tiphys(["compile", "flows"], root)
    assert run.returncode == 0 and run.stdout == cold
    assert "evil.example" not in run.stdout
    assert "TPH050" in run.stderr and "does not match its digest" in run.stderr
    # Compiled afresh and rewritten: the next run is a clean hit.
    again = tiphys(["compile", "flows"], root)
    assert (again.returncode, again.stdout, again.stderr) == (0, cold, "")


def test_entry_with_edited_yaml_never_reaches_the_output_folder(tmp_path: Path) -> None:
    root, _, entry = _warm(tmp_path, "-o", "out")
    good = (root / "out" / "hello.yaml").read_text(encoding="utf-8")
    (root / "out" / "hello.yaml").unlink()
    header, content = read_entry(entry)
    content["workflows"][0][1] += "  extra: forged\n"
    write_entry(entry, header, content, reseal=False)
    run = tiphys(["compile", "flows", "-o", "out"], root)
    assert run.returncode == 0 and "TPH050" in run.stderr
    assert (root / "out" / "hello.yaml").read_text(encoding="utf-8") == good


@pytest.mark.parametrize("where", ["whole-entry", "content"])
def test_deeply_nested_entry_is_ignored_with_a_warning(tmp_path: Path, where: str) -> None:
    # Item 4: 200,000 "[" was "internal error: RecursionError".
    root, cold, entry = _warm(tmp_path)
    if where == "whole-entry":
        entry.write_bytes(b"[" * 200_000)
    else:  # behind a valid header whose digest matches: the parser of the content is hit
        import hashlib
        import json

        header, _ = read_entry(entry)
        body = b"[" * 200_000
        header["digest"] = hashlib.sha256(body).hexdigest()
        entry.write_bytes(json.dumps(header).encode() + b"\n" + body)
    run = tiphys(["compile", "flows"], root)
    assert run.returncode == 0, run.stderr
    assert run.stdout == cold and "TPH050" in run.stderr
    assert "internal error" not in run.stderr and "Recursion" not in run.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_as_a_cache_entry_does_not_block(tmp_path: Path) -> None:
    # Item 5: a FIFO in an entry's place blocked the run forever.
    root, cold, entry = _warm(tmp_path)
    entry.unlink()
    os.mkfifo(entry)
    run = tiphys(["compile", "flows"], root)  # the helper's timeout fails a hang
    assert run.returncode == 0 and run.stdout == cold
    assert "TPH050" in run.stderr and "FIFO" in run.stderr
    assert entry.is_file() and not entry.is_symlink(), "the FIFO was not replaced"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_cache_entry_linked_to_dev_zero_is_not_read(tmp_path: Path) -> None:
    # Item 5: an entry linked to /dev/zero read 6.6 GB.
    root, cold, entry = _warm(tmp_path)
    entry.unlink()
    entry.symlink_to("/dev/zero")
    run = tiphys(["compile", "flows"], root)
    assert run.returncode == 0 and run.stdout == cold
    assert "TPH050" in run.stderr and "character device" in run.stderr


def test_lint_refuses_a_tampered_entry_too(tmp_path: Path) -> None:
    # lint reuses compile's entries: an edited one must not change what it reports.
    root = make_project(tmp_path / "p", files={"hello.py": GOOD.replace(
        'return "hi"', "return undefined_name")})
    assert tiphys(["compile", "flows"], root).returncode == 1
    [entry] = entries(root)
    header, content = read_entry(entry)
    content["diagnostics"] = []  # hide the error
    write_entry(entry, header, content, reseal=False)
    run = tiphys(["lint", "flows"], root)
    assert run.returncode == 1 and "TPH210" in run.stdout and "TPH050" in run.stderr


def test_temporaries_of_killed_cache_writers_are_removed(tmp_path: Path) -> None:
    # A run killed while storing an entry leaves <slot>.json.<pid>.tmp; the next run that
    # stores one removes those of writers that are gone, and nothing else.
    root, _, entry = _warm(tmp_path)
    dead = entry.parent / f"{'a' * 40}.json.{2 ** 22 + 7}.tmp"
    dead.write_text("half an entry")
    alive = entry.parent / f"{'b' * 40}.json.{os.getppid()}.tmp"
    alive.write_text("being written")
    other = entry.parent / "notes.tmp"
    other.write_text("not ours")
    (root / "flows" / "second.py").write_text(GOOD.replace('"hello"', '"second"'))
    assert tiphys(["compile", "flows"], root).returncode == 0  # a miss: an entry is stored
    assert not dead.exists() and alive.exists() and other.exists()
