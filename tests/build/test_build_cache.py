"""The compile cache: a warm run reproduces a cold one byte for byte, invalidates on every
input that shapes the output, survives corruption, and never imports the compiler proper."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from build_helpers import (
    BAD,
    GOOD,
    NO_WORKFLOW,
    SECOND,
    make_project,
    own_cache_env,
    read_entry,
    run,
    write_entry,
)

import tiphys.compiler.commands.compile as cc
from tiphys.compiler.commands import cache as cache_mod
from tiphys.compiler.commands.cache import CompileCache, Entry, Rendered, cache_folder

__all__ = ["own_cache_env"]

REAL_FINGERPRINT = cache_mod.code_fingerprint


@pytest.fixture(autouse=True)
def steady_fingerprint(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other work on the compiler's files while these tests run must not turn a hit into a
    miss; the fingerprint keeps following VERSION (test_version_change_invalidates)."""
    real = REAL_FINGERPRINT()
    monkeypatch.setattr(cache_mod, "code_fingerprint", lambda: f"{real}-{cache_mod.VERSION}")


class Counter:
    """Wraps compile_entry to count the files actually compiled."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        real = cc.compile_entry

        def counting(path: str, *args: Any, **kwargs: Any) -> Any:
            self.paths.append(path)
            return real(path, *args, **kwargs)

        monkeypatch.setattr(cc, "compile_entry", counting)


def forbid_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm run compiled a file")

    monkeypatch.setattr(cc, "compile_entry", boom)


def entries(root: Path) -> list[Path]:
    return sorted((root / ".tiphys_cache" / "compile").glob("*.json"))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", ["concise", "full", "json"])
def test_cold_equals_warm_stdout_and_diagnostics(tmp_path: Path, fmt: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path, files={"a.py": GOOD, "b.py": SECOND, "c.py": NO_WORKFLOW})
    args = ["compile", "flows", "flows/c.py", "--format", fmt]
    cold = run(args, root)
    assert cold[0] == 0 and "hello" in cold[1] and "TPH010" in cold[2], cold
    assert len(entries(root)) == 3
    forbid_compiling(monkeypatch)
    assert run(args, root) == cold


def test_cold_equals_warm_on_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path, files={"a.py": GOOD, "bad.py": BAD, "dup.py": GOOD})
    cold = run(["compile", "flows"], root)
    assert cold[0] == 1 and cold[1] == ""
    assert "TPH210" in cold[2] and "TPH011" in cold[2]
    forbid_compiling(monkeypatch)
    assert run(["compile", "flows"], root) == cold


def test_cold_equals_warm_output_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold_root = make_project(tmp_path / "cold")
    warm_root = make_project(tmp_path / "warm")
    cold = run(["compile", "--no-cache"], cold_root)
    assert cold[0] == 0, cold
    assert not (cold_root / ".tiphys_cache").exists(), "--no-cache wrote a cache"
    assert run(["compile", "--check"], warm_root)[0] == 1  # fills the cache, writes nothing
    assert not (warm_root / "deploy").exists()
    forbid_compiling(monkeypatch)
    warm = run(["compile"], warm_root)
    assert warm == cold
    assert tree(warm_root / "deploy" / "argo") == tree(cold_root / "deploy" / "argo")
    assert run(["compile", "--check"], warm_root)[0] == 0


def test_stream_is_the_documents_in_one_dump(tmp_path: Path) -> None:
    """The stdout stream is assembled from per-workflow YAML; it must equal one dump of all
    documents (what the compiler printed before the cache existed)."""
    from tiphys.compiler.commands.files import header_for
    from tiphys.compiler.emit import dump_documents
    from tiphys.compiler.lower.workflow import Settings

    from conftest import SAMPLES

    names = ["etl.py", "resources.py", "module_names.py", "fan_out_fan_in.py", "diamond_dag.py"]
    files = {n: (SAMPLES / n).read_text() for n in names if (SAMPLES / n).exists()}
    root = make_project(tmp_path, files={**files, "a.py": GOOD, "b.py": SECOND})
    results, _ = cc.compile_paths([str(root / "flows")], Settings())
    docs = [wf.document for r in results for wf in r.workflows]
    assert len(docs) == len(files) + 2
    expected = dump_documents(docs, header_for([r.path for r in results if r.workflows]))
    code, out, err = run(["compile", "--no-cache", str(root / "flows")])
    assert code == 0, err
    assert out == expected


def test_file_change_invalidates_only_that_file(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    run(["compile", "flows"], root)
    (root / "flows" / "a.py").write_text(GOOD.replace('"hi"', '"hello"'), encoding="utf-8")
    counter = Counter(monkeypatch)
    code, out, _ = run(["compile", "flows"], root)
    assert code == 0 and 'return "hello"' in out and 'return "hi"' not in out
    assert counter.paths == ["flows/a.py"]
    assert len(entries(root)) == 2, "a changed file must overwrite its slot, not add one"


def test_config_change_invalidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    run(["compile", "flows"], root)
    counter = Counter(monkeypatch)
    code, out, _ = run(["compile", "flows", "--namespace", "team-a"], root)
    assert code == 0 and out.count("namespace: team-a") == 2
    assert len(counter.paths) == 2
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'image = "python:3.13-slim"\n')
    code, out, _ = run(["compile", "flows"], root)
    assert code == 0 and "python:3.13-slim" in out
    assert len(counter.paths) == 4


def test_version_change_invalidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    run(["compile", "flows"], root)
    counter = Counter(monkeypatch)
    run(["compile", "flows"], root)
    assert counter.paths == []
    monkeypatch.setattr(cache_mod, "VERSION", "999.0.0")
    run(["compile", "flows"], root)
    assert len(counter.paths) == 2


def test_fingerprint_follows_compiler_files(tmp_path: Path) -> None:
    import hashlib
    import os

    (tmp_path / "sub").mkdir()
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "sub" / "b.json").write_text("{}\n")

    def digest() -> str:
        h = hashlib.sha256()
        cache_mod._hash_tree(h, str(tmp_path), "")
        return h.hexdigest()

    first = digest()
    assert digest() == first
    os.utime(tmp_path / "sub" / "b.json", ns=(1, 1))
    assert digest() != first
    assert REAL_FINGERPRINT() == REAL_FINGERPRINT()


def test_fingerprint_covers_the_whole_compiler(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every stage shapes the output: the tree hashed must hold the front end and the
    lowering, not only the commands/ folder the cache module lives in."""
    seen: list[str] = []
    real = cache_mod._hash_tree

    def spy(h: object, folder: str, rel: str) -> None:
        seen.append(rel)
        real(h, folder, rel)

    monkeypatch.setattr(cache_mod, "_hash_tree", spy)
    REAL_FINGERPRINT()
    for stage in ("frontend/", "lower/", "ir/", "check/", "commands/"):
        assert stage in seen, seen


def test_header_path_is_part_of_the_key(tmp_path: Path) -> None:
    """The same file moved to another project keeps its bytes but not its header."""
    one = make_project(tmp_path / "one", files={"a.py": GOOD})
    code, out, _ = run(["compile", "flows"], one)
    assert code == 0 and "from flows/a.py." in out
    (one / "flows" / "sub").mkdir()
    (one / "flows" / "a.py").rename(one / "flows" / "sub" / "a.py")
    code, out, _ = run(["compile", "flows"], one)
    assert code == 0 and "from flows/sub/a.py." in out


@pytest.mark.parametrize("damage", [
    b"{not json",
    b"",
    b'{"format": "tiphys-compile-cache", "version": 1, "key": "',  # truncated
    b'["a list"]',
    b'{"format": "something-else"}',
])
def test_corrupt_entry_warns_and_recompiles(tmp_path: Path, damage: bytes) -> None:
    root = make_project(tmp_path)
    cold = run(["compile", "flows"], root)
    victim = entries(root)[0]
    victim.write_bytes(damage)
    code, out, err = run(["compile", "flows"], root)
    assert code == 0 and out == cold[1]
    assert "TPH050" in err and victim.name in err
    assert run(["compile", "flows"], root) == cold, "the entry was not rewritten"


def test_entry_with_right_key_but_wrong_shape(tmp_path: Path) -> None:
    root = make_project(tmp_path, files={"a.py": GOOD})
    cold = run(["compile", "flows"], root)
    victim = entries(root)[0]
    header, data = read_entry(victim)
    data["diagnostics"] = [["TPH001", "fatal", "x", "a.py", 0, 0, 0, 0]]  # unknown severity
    write_entry(victim, header, data)
    code, out, err = run(["compile", "flows"], root)
    assert code == 0 and out == cold[1] and "TPH050" in err
    data["diagnostics"] = []
    data["workflows"] = [["hello", 42]]
    write_entry(victim, header, data)
    code, out, err = run(["compile", "flows"], root)
    assert code == 0 and out == cold[1] and "TPH050" in err


def test_tampered_entry_with_valid_shape_is_a_miss_when_key_differs(tmp_path: Path) -> None:
    root = make_project(tmp_path, files={"a.py": GOOD})
    cold = run(["compile", "flows"], root)
    victim = entries(root)[0]
    header, data = read_entry(victim)
    header["key"] = "0" * 64
    data["workflows"] = [["hello", "---\nforged: true\n"]]
    write_entry(victim, header, data)
    assert run(["compile", "flows"], root) == cold


def test_unwritable_cache_warns_once_and_output_is_right(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    cold = run(["compile", "flows", "--no-cache"], root)

    def denied(self: CompileCache) -> None:  # root ignores chmod: simulate the folder
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(CompileCache, "_prepare", denied)
    code, out, err = run(["compile", "flows"], root)
    assert code == 0 and out == cold[1]
    assert err.count("TPH051") == 1 and "cannot write" in err and "Permission denied" in err
    assert not list(root.rglob("*.tmp"))


def test_cache_folder_that_is_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    cold = run(["compile", "flows", "--no-cache"], root)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be\n")
    monkeypatch.setenv("TIPHYS_CACHE_DIR", str(blocker))
    code, out, err = run(["compile", "flows"], root)
    assert code == 0 and out == cold[1]
    assert err.count("TPH051") == 1
    assert blocker.read_text().startswith("a file")


def test_unreadable_cache_warns_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    cold = run(["compile", "flows", "--no-cache"], root)
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "compile").write_text("a file where the entries' folder should be\n")
    monkeypatch.setenv("TIPHYS_CACHE_DIR", str(folder))
    code, out, err = run(["compile", "flows"], root)
    assert code == 0 and out == cold[1]
    assert err.count("TPH051") == 1 and "cannot read" in err


def test_cache_location_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path)
    run(["compile", "flows"], root)
    made = root / ".tiphys_cache"
    assert (made / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172")
    assert (made / ".gitignore").read_text().splitlines()[-1] == "*"
    other = tmp_path / "elsewhere"
    monkeypatch.setenv("TIPHYS_CACHE_DIR", str(other))
    run(["compile", "flows"], root)
    assert list((other / "compile").glob("*.json"))
    monkeypatch.setenv("TIPHYS_CACHE_DIR", "")
    assert cache_folder(False, None, str(root)) is None
    monkeypatch.delenv("TIPHYS_CACHE_DIR")
    assert cache_folder(True, "x", str(root)) is None
    assert cache_folder(False, False, str(root)) is None
    assert cache_folder(False, "custom", str(root)) == "custom"
    assert cache_folder(False, None, None) is None


def test_config_cache_key(tmp_path: Path) -> None:
    root = make_project(tmp_path, table='[tool.tiphys]\ncache = "build/cache"\n')
    run(["compile", "flows"], root)
    assert list((root / "build" / "cache" / "compile").glob("*.json"))
    assert not (root / ".tiphys_cache").exists()
    off = make_project(tmp_path / "off", table="[tool.tiphys]\ncache = false\n")
    run(["compile", "flows"], off)
    assert not (off / ".tiphys_cache").exists()


def test_no_project_root_means_no_cache(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(GOOD)
    code, _, _ = run(["compile", "a.py"], tmp_path)
    assert code == 0
    assert not (tmp_path / ".tiphys_cache").exists()


def test_unreadable_and_non_utf8_sources_are_not_cached(tmp_path: Path) -> None:
    root = make_project(tmp_path, files={"a.py": GOOD})
    (root / "flows" / "latin.py").write_bytes(b"# caf\xe9\nfrom tiphys import task\n")
    cold = run(["compile", "flows"], root)
    assert cold[0] == 1 and "TPH002" in cold[2]
    assert len(entries(root)) == 1
    assert run(["compile", "flows"], root) == cold


CH = ("from cloudharness.workflows import operations, tasks\n\n"
      "op = operations.SingleTaskOperation('t-', tasks.CustomTask('t', 'myapp-mytask'))\n")


def test_cloudharness_results_follow_what_the_front_end_reads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CloudHarness front end reads files besides the source (the applications folder,
    a values file): its entries carry a digest of those, checked on every hit."""
    root = make_project(tmp_path, table="[tool.tiphys]\n[tool.tiphys.cloudharness]\n"
                        'registry = "r.io"\n', files={"a.py": GOOD, "ch.py": CH})
    missing = run(["compile", "flows"], root)
    # No such image yet: a warning (CloudHarness passes the name through), exit 0.
    assert missing[0] == 0 and "TPH640" in missing[2]
    assert "image: myapp-mytask" in missing[1]
    assert len(entries(root)) == 2
    counter = Counter(monkeypatch)
    assert run(["compile", "flows"], root) == missing and counter.paths == []
    task = root / "applications" / "myapp" / "tasks" / "mytask"
    task.mkdir(parents=True)
    (task / "Dockerfile").write_text("FROM scratch\n")
    code, out, err = run(["compile", "flows"], root)
    assert code == 0 and "TPH640" not in err, err
    assert "image: r.io/myapp-mytask:latest" in out
    assert counter.paths == ["flows/ch.py"]
    assert run(["compile", "flows"], root) == (code, out, err)
    assert counter.paths == ["flows/ch.py"]


def test_cloudharness_entries_need_a_verifier(tmp_path: Path) -> None:
    """A cache opened without the check (another command) never trusts such an entry."""
    c = CompileCache(str(tmp_path), {}, fingerprint="f")
    slot, key = c.slot_and_key("ch.py", "ch.py", b"x")
    c.put(slot, key, Entry((), (Rendered("w", "---\n"),), external="digest"))
    assert c.get(slot, key, "ch.py") is None
    ok = CompileCache(str(tmp_path), {}, fingerprint="f", verify=lambda p, e: e == "digest")
    assert ok.get(slot, key, "ch.py") is not None
    stale = CompileCache(str(tmp_path), {}, fingerprint="f", verify=lambda p, e: False)
    assert stale.get(slot, key, "ch.py") is None


def test_cloudharness_not_cached_when_the_digest_fails(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import tiphys.compiler.cloudharness.config as ch_config

    def broken(*args: object) -> str:
        raise RuntimeError("simulated")

    monkeypatch.setattr(ch_config, "fingerprint", broken)
    root = make_project(tmp_path, files={"a.py": GOOD, "ch.py": CH})
    first = run(["compile", "flows"], root)
    assert len(entries(root)) == 1
    assert run(["compile", "flows"], root) == first


def test_warm_run_imports_no_compiler(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    code = ("import sys\nfrom tiphys.compiler.cli import main\ntry:\n    main()\nfinally:\n"
            "    heavy = ('libcst', 'yaml', 'jsonschema', 'tiphys.compiler.validator',\n"
            "             'tiphys.compiler.commands.pipeline', 'tiphys.compiler.lower.workflow')\n"
            "    print('HEAVY', sorted(m for m in sys.modules if m.startswith(heavy)),\n"
            "          file=sys.stderr)\n")

    def probe(*args: str) -> str:
        proc = subprocess.run([sys.executable, "-c", code, "compile", *args], cwd=root,
                              capture_output=True, text=True, check=False)
        return proc.stderr.rsplit("HEAVY", 1)[-1].strip()

    cold = probe()  # cold: compiles and writes deploy/argo, on the ast front end
    assert "tiphys.compiler.commands.pipeline" in cold and "libcst" not in cold
    assert probe("--check") == "[]"
    assert probe("flows") == "[]"


def test_cache_api_round_trip(tmp_path: Path) -> None:
    from tiphys.compiler.diagnostics import Diagnostic, Severity

    c = CompileCache(str(tmp_path), {"namespace": "x"}, fingerprint="f")
    slot, key = c.slot_and_key("a.py", "a.py", b"text")
    entry = Entry((Diagnostic("TPH010", Severity.WARNING, "m é", "a.py", 1, 2, 3, 4),),
                  (Rendered("w", "---\nx: 1\n"), Rendered("v", None)))
    assert c.get(slot, key, "a.py") is None
    c.put(slot, key, entry)
    assert c.get(slot, key, "a.py") == entry
    other = CompileCache(str(tmp_path), {"namespace": "y"}, fingerprint="f")
    assert other.slot_and_key("a.py", "a.py", b"text")[0] != slot
    newer = CompileCache(str(tmp_path), {"namespace": "x"}, fingerprint="g")
    s2, k2 = newer.slot_and_key("a.py", "a.py", b"text")
    assert s2 == slot and k2 != key and newer.get(s2, k2, "a.py") is None
    assert c.slot_and_key("a.py", "a.py", b"text2")[1] != key
    assert not c.warnings and not newer.warnings
