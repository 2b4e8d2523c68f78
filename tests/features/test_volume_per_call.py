"""A mount whose volume each call chooses: ``volumes={"/mnt": from_input("vol")}``. The
template mounts ``{{inputs.parameters.vol}}``; every call must name a declared volume with a
literal (its own, the input's default, or a loop's items), checked at compile time."""

from __future__ import annotations

from pathlib import Path

import pytest

from compile_helpers import compile_text
from run_helpers import run_doc

HEAD = '''from tiphys import dag, from_input, task, volume_claim, workflow


@task(volumes={"/mnt/vol": from_input("vol")})
def foo(vol: str = "v1", at: str = "/mnt/vol") -> str:
    import os

    # The path comes in as an input: tiphys run maps input paths under a mount to the volume.
    with open(os.path.join(at, "mark"), "a") as f:
        f.write(vol)
    return vol

'''
CLAIMS = 'volume_claims=[volume_claim("v1", "1Gi"), volume_claim("v2", "1Gi")]'


def _compile(tmp_path: Path, body: str) -> tuple[list[dict], list[str]]:  # type: ignore[type-arg]
    docs, diags = compile_text(tmp_path, HEAD + body)
    return docs, [f"{d.line}:{d.col} {d.code} {d.message}" for d in diags]


def test_the_template_mounts_the_volume_its_input_names(tmp_path: Path) -> None:
    docs, diags = _compile(tmp_path, f'''
wf = workflow("w", dag(foo(vol="v2").named("a"), foo().named("b")), {CLAIMS})
''')
    assert not diags, diags
    t = next(t for t in docs[0]["spec"]["templates"] if t["name"] == "foo")
    assert t["script"]["volumeMounts"] == [
        {"name": "{{inputs.parameters.vol}}", "mountPath": "/mnt/vol"}]
    assert t["inputs"]["parameters"][0] == {"name": "vol", "default": "v1"}


def test_a_loop_over_literal_names_is_checked_item_by_item(tmp_path: Path) -> None:
    _, diags = _compile(tmp_path, f'''
wf = workflow("w", dag(foo.map(vol=["v1", "v2", "v9"])), {CLAIMS})
''')
    assert len(diags) == 1 and "this call names 'v9'" in diags[0], diags


@pytest.mark.parametrize(("call", "at", "message"), [
    ('foo(vol="v9")', '"v9"', "TPH314 task 'foo' mounts the volume input 'vol' names, and this "
     "call names 'v9', which workflow 'w' does not declare"),
    ('foo(vol=param("which", "v1"))', "param(", "TPH314 task 'foo' mounts the volume input "
     "'vol' names: pass it the name of a volume the workflow declares, as a literal"),
])
def test_a_call_naming_no_declared_volume_is_an_error(tmp_path: Path, call: str, at: str,
                                                      message: str) -> None:
    line = f'wf = workflow("w", dag({call}), {CLAIMS})'
    _, diags = _compile(tmp_path, "from tiphys import param\n" + line + "\n")
    where = f"{HEAD.count(chr(10)) + 2}:{line.index(at) + 1}"
    assert any(d.startswith(f"{where} ") and message in d for d in diags), (where, diags)


def test_the_input_must_be_a_str(tmp_path: Path) -> None:
    _, diags = compile_text(tmp_path, HEAD.replace('vol: str = "v1"', 'vol: int = 1')
                               .replace("f.write(vol)", "f.write(str(vol))") + f'''
wf = workflow("w", foo(), {CLAIMS})
''')
    assert any(d.code == "TPH314" and "annotate that input str" in d.message for d in diags)


def test_each_call_writes_into_the_volume_it_names(tmp_path: Path) -> None:
    docs, diags = _compile(tmp_path, f'''
wf = workflow("w", dag(foo(vol="v2").named("a"), foo().named("b"), foo(vol="v2").named("c")),
              {CLAIMS})
''')
    assert not diags, diags
    run = run_doc(docs[0])
    assert run.phase == "Succeeded", run.message
    volumes = run.workdir / "volumes"
    assert (volumes / "v2" / "mark").read_text() == "v2v2"
    assert (volumes / "v1" / "mark").read_text() == "v1"


def test_a_loop_over_each_items_is_checked_field_by_field(tmp_path: Path) -> None:
    good = f'''
from tiphys import each
rows = each([{{"vol": "v1", "at": "/mnt/vol"}}, {{"vol": "v2", "at": "/mnt/vol"}}])
wf = workflow("w", dag(foo.map(vol=rows.vol, at=rows.at)), {CLAIMS})
'''
    _, diags = _compile(tmp_path, good)
    assert not diags, diags
    _, diags = _compile(tmp_path, good.replace('"vol": "v2"', '"vol": "v7"'))
    assert len(diags) == 1 and "this call names 'v7'" in diags[0], diags
