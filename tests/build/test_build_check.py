"""Check mode and writing into the output folder, at the edges: line endings, symlinks,
non-UTF-8 files, an output path that is a file, name collisions, failed writes, modes."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from build_helpers import BAD, GOOD, SECOND, make_project, own_cache_env, run, snapshot

import tiphys.compiler.commands.outdir as outdir_mod
from tiphys.compiler.commands.files import OWNER_MARK, header_text, is_owned
from tiphys.compiler.commands.outdir import Output, plan

__all__ = ["own_cache_env"]


def built(tmp_path: Path) -> tuple[Path, Path]:
    root = make_project(tmp_path)
    code, _, err = run(["compile"], root)
    assert code == 0, err
    return root, root / "deploy" / "argo"


def test_check_and_diff_write_nothing(tmp_path: Path) -> None:
    root, _out = built(tmp_path)
    (root / "flows" / "a.py").write_text(GOOD.replace('"hi"', '"changed"'))
    (root / "flows" / "b.py").unlink()
    (root / "flows" / "c.py").write_text(GOOD.replace('"hello"', '"third"'))
    before = snapshot(root)
    code, diff, err = run(["compile", "--check", "--diff"], root)
    assert code == 1
    assert "would update deploy/argo/hello.yaml" in err
    assert "would create deploy/argo/third.yaml" in err
    assert "stale deploy/argo/second.yaml" in err
    assert "--- /dev/null\n+++ b/deploy/argo/third.yaml" in diff
    assert "--- a/deploy/argo/second.yaml\n+++ /dev/null" in diff
    code, diff2, _ = run(["compile", "--diff"], root)  # --diff alone: show, exit 0
    assert code == 0 and diff2 == diff
    assert snapshot(root) == before


def test_diff_applies_with_git_apply(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    root, out = built(tmp_path)
    (out / "hello.yaml").write_bytes((out / "hello.yaml").read_bytes().rstrip(b"\n"))
    (root / "flows" / "a.py").write_text(GOOD.replace('"hi"', '"changed"'))
    (root / "flows" / "b.py").unlink()
    (root / "flows" / "c.py").write_text(GOOD.replace('"hello"', '"third"'))
    code, diff, _ = run(["compile", "--check", "--diff"], root)
    assert code == 1 and "\\ No newline at end of file" in diff
    applied = tmp_path / "applied"
    shutil.copytree(root, applied)
    proc = subprocess.run(["git", "apply", "-"], input=diff, text=True, cwd=applied,
                          capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert run(["compile", "--prune"], root)[0] == 0
    got = {p.name: p.read_bytes() for p in (applied / "deploy" / "argo").iterdir()}
    want = {p.name: p.read_bytes() for p in out.iterdir()}
    assert got == want


def test_crlf_file_is_up_to_date_and_left_alone(tmp_path: Path) -> None:
    root, out = built(tmp_path)
    target = out / "hello.yaml"
    crlf = target.read_bytes().replace(b"\n", b"\r\n")
    target.write_bytes(crlf)
    assert run(["compile", "--check"], root)[0] == 0
    code, _, err = run(["compile"], root)
    assert code == 0 and "wrote" not in err
    assert target.read_bytes() == crlf
    # A real change in a CRLF file is still a change.
    target.write_bytes(crlf.replace(b"hello", b"hellO", 1))
    assert run(["compile", "--check"], root)[0] == 1


def test_bom_prefixed_owned_file_is_owned(tmp_path: Path) -> None:
    root, out = built(tmp_path)
    target = out / "hello.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + target.read_bytes())
    assert is_owned(str(target))
    code, _, err = run(["compile"], root)
    assert code == 0 and "wrote deploy/argo/hello.yaml" in err
    assert target.read_bytes().startswith(OWNER_MARK.encode())


def test_output_path_that_is_a_file(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "deploy").mkdir()
    (root / "deploy" / "argo").write_text("not a folder\n")
    for args in (["compile"], ["compile", "--check"]):
        code, _out, err = run(args, root)
        assert code == 2 and "exists and is not a folder" in err
    assert (root / "deploy" / "argo").read_text() == "not a folder\n"


def test_symlinks_are_never_written_or_pruned(tmp_path: Path) -> None:
    root, out = built(tmp_path)
    elsewhere = tmp_path / "elsewhere.yaml"
    # A link to a file with the right content is up to date ...
    elsewhere.write_bytes((out / "hello.yaml").read_bytes())
    (out / "hello.yaml").unlink()
    (out / "hello.yaml").symlink_to(elsewhere)
    assert run(["compile", "--check"], root)[0] == 0
    # ... one to different content (even tiphys-owned) is in the way: refused, not replaced.
    elsewhere.write_text(header_text(["x.py"]) + "---\n{}\n")
    before = snapshot(tmp_path)
    code, _, err = run(["compile"], root)
    assert code == 1 and "refusing to overwrite" in err
    assert (out / "hello.yaml").is_symlink() and snapshot(tmp_path) == before
    # A link that looks stale is not pruned.
    (out / "hello.yaml").unlink()
    (out / "old.yaml").symlink_to(elsewhere)
    code, _, err = run(["compile", "--prune"], root)
    assert code == 0 and (out / "old.yaml").is_symlink() and "old.yaml" not in err
    # A dangling link is in the way too.
    (out / "hello.yaml").unlink()
    (out / "hello.yaml").symlink_to(tmp_path / "missing.yaml")
    code, _, err = run(["compile"], root)
    assert code == 1 and (out / "hello.yaml").is_symlink()


def test_symlinked_output_folder_is_followed(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    real = tmp_path / "real-out"
    real.mkdir()
    (root / "deploy").mkdir()
    (root / "deploy" / "argo").symlink_to(real, target_is_directory=True)
    assert run(["compile"], root)[0] == 0
    assert sorted(p.name for p in real.iterdir()) == ["hello.yaml", "second.yaml"]


def test_folder_named_like_an_output_is_in_the_way(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "deploy" / "argo" / "hello.yaml").mkdir(parents=True)
    code, _, err = run(["compile"], root)
    assert code == 1 and "refusing" in err
    assert not (root / "deploy" / "argo" / "second.yaml").exists(), "wrote despite a refusal"


def test_non_utf8_files(tmp_path: Path) -> None:
    root, out = built(tmp_path)
    # Someone else's Latin-1 file where ours would go: never overwritten.
    foreign = b"# caf\xe9: hand written\nkind: ConfigMap\n"
    (out / "hello.yaml").write_bytes(foreign)
    code, _, err = run(["compile", "--check"], root)
    assert code == 1 and "not written by tiphys" in err
    code, _, err = run(["compile"], root)
    assert code == 1 and (out / "hello.yaml").read_bytes() == foreign
    # Our own file, damaged into invalid UTF-8: ours to repair; the diff still prints.
    (out / "hello.yaml").write_bytes(header_text(["x"]).encode() + b"\xff\xfe\n")
    code, diff, err = run(["compile", "--check", "--diff"], root)
    assert code == 1 and "would update" in err and "+++ b/deploy/argo/hello.yaml" in diff
    assert run(["compile"], root)[0] == 0
    assert run(["compile", "--check"], root)[0] == 0
    # A stale owned file with invalid UTF-8 is still recognised and pruned.
    (out / "gone.yml").write_bytes(header_text(["y"]).encode() + b"\xff\n")
    code, _, err = run(["compile", "--check"], root)
    assert code == 1 and "stale deploy/argo/gone.yml" in err
    assert run(["compile", "--prune"], root)[0] == 0 and not (out / "gone.yml").exists()


def test_two_outputs_one_file_name() -> None:
    changes, errors, code = plan("out", [Output("a.yaml", "x"), Output("a.yaml", "y")])
    assert code == 1 and changes == [] and "2 workflows would all be written" in errors[0]
    _, errors, code = plan("out", [Output("etl.yaml", "x"), Output("ETL.yaml", "y")])
    assert code == 1 and errors  # one file on a case-insensitive disk
    _, errors, code = plan("out", [Output("a.yaml", "x"), Output("b.yaml", "y")])
    assert (errors, code) == ([], 0)


def test_failure_while_writing_changes_nothing(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root, out = built(tmp_path)
    (root / "flows" / "a.py").write_text(GOOD.replace('"hi"', '"one"'))
    (root / "flows" / "b.py").write_text(SECOND.replace("n * 2", "n * 3"))
    before = snapshot(root)
    real = outdir_mod.stage
    calls = []

    def flaky(path: str, text: str, sync: bool = True) -> str:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(path, text, sync)

    monkeypatch.setattr(outdir_mod, "stage", flaky)
    code, _, err = run(["compile"], root)
    assert code == 2 and "No space left on device" in err and "nothing was changed" in err
    assert len(calls) == 2
    assert snapshot(root) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".tiphys-")]


def test_failed_compile_writes_nothing_even_with_prune(tmp_path: Path) -> None:
    root, _out = built(tmp_path)
    (root / "flows" / "b.py").write_text(BAD)
    before = snapshot(root)
    code, _, _ = run(["compile", "--prune"], root)
    assert code == 1 and snapshot(root) == before


def test_file_modes(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        root, out = built(tmp_path)
        assert stat.S_IMODE((out / "hello.yaml").stat().st_mode) == 0o644
        os.chmod(out / "hello.yaml", 0o664)
        (root / "flows" / "a.py").write_text(GOOD.replace('"hi"', '"mode"'))
        assert run(["compile"], root)[0] == 0
        assert stat.S_IMODE((out / "hello.yaml").stat().st_mode) == 0o664
    finally:
        os.umask(old)


def test_check_summary_and_explicit_file_in_folder(tmp_path: Path) -> None:
    root, _out = built(tmp_path)
    (root / "flows" / "a.py").write_text(GOOD.replace('"hi"', '"x"'))
    code, _, err = run(["compile", "--check"], root)
    assert code == 1
    assert err.splitlines()[-1] == ("tiphys: 1 file(s) out of date, 0 stale in deploy/argo; "
                                    "run the same command without --check to update them")


def test_same_file_named_twice_is_compiled_once(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    code, out, err = run(["compile", "flows", "./flows/", "flows/a.py", "--no-cache"], root)
    assert code == 0, err
    assert out.count("kind: WorkflowTemplate") == 2
