"""The DSL at run time: a task stays plain Python for unit tests; objects build without
running anything."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from conftest import SAMPLES


def _load(name: str) -> object:
    spec = importlib.util.spec_from_file_location(f"sample_{name}", SAMPLES / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_task_functions_stay_callable() -> None:
    etl = _load("etl")
    rows = etl.extract.local(rows=4)  # type: ignore[attr-defined]
    assert rows == [{"id": 0, "amount": 0}, {"id": 1, "amount": 37}, {"id": 2, "amount": 74},
                    {"id": 3, "amount": 11}]
    assert etl.transform.fn(rows, threshold=50) == {"count": 1, "total": 74}  # type: ignore[attr-defined]


def test_building_the_graph_runs_no_task(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    source = f"""
from tiphys import task, workflow, pipeline

@task
def touch() -> None:
    open({str(marker)!r}, "w").close()

wf = workflow("w", pipeline(touch(), touch()))
"""
    path = tmp_path / "flow.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("flow_under_test", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert not marker.exists()
    assert module.wf.name == "w"  # type: ignore[attr-defined]
    module.touch.local()  # type: ignore[attr-defined]
    assert marker.exists()
