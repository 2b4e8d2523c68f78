"""A sidecar's or init container's own ``volumes={path: volume}``: written as its
``volumeMounts``, checked like a task's mounts."""

from __future__ import annotations

from pathlib import Path

import pytest

from compile_helpers import compile_text

HEAD = '''from tiphys import init_container, mount, sidecar, task, volume_claim, workflow, empty_dir

'''
TAIL = '''
def foo() -> None:
    print("hi")

flow = workflow("w", foo(), volume_claims=[volume_claim("data", "1Gi")],
                volumes=[empty_dir("scratch")])
'''


def _containers(tmp_path: Path, decorator: str) -> dict[str, dict]:  # type: ignore[type-arg]
    docs, diags = compile_text(tmp_path, HEAD + decorator + TAIL)
    assert not diags, diags
    t = next(t for t in docs[0]["spec"]["templates"] if t["name"] == "foo")
    return {c["name"]: c for c in [*t.get("sidecars", []), *t.get("initContainers", [])]}


def test_own_mounts_are_written_sorted_by_path(tmp_path: Path) -> None:
    got = _containers(tmp_path, '''@task(volumes={"/data": "data"},
      sidecars=[sidecar("side", "alpine:3.20", volumes={
          "/z": "scratch", "/a": mount("data", read_only=True, sub_path="x")})],
      init_containers=[init_container("prep", "alpine:3.20", volumes={"/prep": "data"},
                                      mirror_volume_mounts=True)])''')
    assert got["side"]["volumeMounts"] == [
        {"name": "data", "mountPath": "/a", "readOnly": True, "subPath": "x"},
        {"name": "scratch", "mountPath": "/z"},
    ]
    assert got["prep"]["volumeMounts"] == [{"name": "data", "mountPath": "/prep"}]
    assert got["prep"]["mirrorVolumeMounts"] is True
    assert "mirrorVolumeMounts" not in got["side"]


def test_without_volumes_nothing_is_written(tmp_path: Path) -> None:
    got = _containers(tmp_path, '@task(sidecars=[sidecar("side", "alpine:3.20")])')
    assert "volumeMounts" not in got["side"]


@pytest.mark.parametrize(("volumes", "at", "message"), [
    ('{"/x": "missing"}', '"/x"', "TPH314 sidecar 'side' of task 'foo' mounts volume "
     "'missing', which workflow 'w' does not declare"),
    ('{"x": "data"}', '"x"', "TPH160 mount path 'x' is relative"),
    ('{"/x": "data", "/x/": "scratch"}', '"/x/"', "TPH161 mount path '/x/' is the same as '/x'"),
    ('["data"]', '["data"]', "TPH131 'volumes' must be a dict literal"),
])
def test_wrong_mounts_are_reported_where_written(tmp_path: Path, volumes: str, at: str,
                                                 message: str) -> None:
    line = f'@task(sidecars=[sidecar("side", "alpine:3.20", volumes={volumes})])'
    _, diags = compile_text(tmp_path, HEAD + line + TAIL)
    where = f"3:{line.index(at) + 1}"
    shown = [f"{d.line}:{d.col} {d.code} {d.message}" for d in diags]
    assert any(s.startswith(f"{where} ") and message in s for s in shown), (where, shown)


def test_own_mount_at_a_mirrored_path_is_an_error(tmp_path: Path) -> None:
    """Argo appends the mirrored mounts to the container's own: one path twice and Kubernetes
    refuses the pod."""
    line = ('@task(volumes={"/data": "data"}, sidecars=[sidecar("side", "alpine:3.20", '
            'mirror_volume_mounts=True, volumes={"/data/": "scratch"})])')
    _, diags = compile_text(tmp_path, HEAD + line + TAIL)
    shown = [f"{d.line}:{d.col} {d.code} {d.message}" for d in diags]
    where = f"3:{line.index('{' + chr(34) + '/data/') + 1}"
    assert any(s.startswith(f"{where} TPH161 sidecar 'side' mounts '/data/' itself and "
                            "mirrors the task's '/data'") for s in shown), (where, shown)


def test_own_mounts_beside_mirrored_ones_at_other_paths_compile(tmp_path: Path) -> None:
    got = _containers(tmp_path, '''@task(volumes={"/data": "data"},
      sidecars=[sidecar("side", "alpine:3.20", mirror_volume_mounts=True,
                        volumes={"/cache": "scratch"})])''')
    assert got["side"]["volumeMounts"] == [{"name": "scratch", "mountPath": "/cache"}]
    assert got["side"]["mirrorVolumeMounts"] is True
