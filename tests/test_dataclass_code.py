"""The bytecode cache of dataclasses' generated methods (compiler/dataclass_code.py): classes
made through it are those ``dataclasses`` makes on its own, and a damaged table is ignored."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from tiphys.compiler import dataclass_code

MODULE = '''
from __future__ import annotations
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Point:
    x: int
    y: int = 2
    tags: tuple[str, ...] = field(default_factory=tuple)


@dataclass(slots=True)
class Box:
    items: list[int] = field(default_factory=list)
'''


def _load(path: Path, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    try:
        exec(compile(path.read_text(), str(path), "exec"), module.__dict__)
    finally:
        del sys.modules[name]
    return module


def _check_behaviour(m: types.ModuleType) -> None:
    p = m.Point(1)
    assert (p.x, p.y, p.tags) == (1, 2, ())
    assert p == m.Point(1, 2) and hash(p) == hash(m.Point(1, 2)) and p != m.Point(1, 3)
    assert repr(p) == "Point(x=1, y=2, tags=())"
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 3  # type: ignore[misc]
    # Annotations stay strings, as `from __future__ import annotations` makes them.
    assert m.Point.__init__.__annotations__ == {"x": "int", "y": "int",
                                                "tags": "tuple[str, ...]", "return": None}
    b = m.Box()
    b.items.append(1)
    assert m.Box().items == [] and b.items == [1]


def test_classes_from_the_table_behave_as_without_it(tmp_path: Path) -> None:
    source = tmp_path / "points.py"
    source.write_text(MODULE)
    table = Path(dataclass_code.table_path(str(source)) or "")
    name = "tiphys._test_points"
    dataclass_code._tables.pop(name, None)
    first = _load(source, name)  # compiles the texts
    learned = dataclass_code._tables[name]
    assert learned.new > 0
    _check_behaviour(first)
    if sys.dont_write_bytecode:
        learned.path = str(table)  # write it anyway, for the second half of the test
        sys.dont_write_bytecode = False
        try:
            learned.save()
        finally:
            sys.dont_write_bytecode = True
    else:
        learned.save()
    assert table.is_file()
    dataclass_code._tables.pop(name)
    second = _load(source, name)  # takes every text from the table
    assert dataclass_code._tables[name].new == 0
    _check_behaviour(second)
    dataclass_code._tables.pop(name)


def test_a_damaged_table_is_ignored(tmp_path: Path) -> None:
    source = tmp_path / "points2.py"
    source.write_text(MODULE)
    table = Path(dataclass_code.table_path(str(source)) or "")
    table.parent.mkdir(parents=True, exist_ok=True)
    table.write_bytes(dataclass_code._MAGIC + b"\x00garbage")
    name = "tiphys._test_points2"
    dataclass_code._tables.pop(name, None)
    _check_behaviour(_load(source, name))
    assert dataclass_code._tables.pop(name).new > 0


def test_modules_outside_tiphys_are_left_alone(tmp_path: Path) -> None:
    source = tmp_path / "other.py"
    source.write_text(MODULE)
    _check_behaviour(_load(source, "not_tiphys_points"))
    assert "not_tiphys_points" not in dataclass_code._tables


def test_a_compile_writes_the_tables_and_the_next_run_uses_them(tmp_path: Path) -> None:
    """In a fresh process with bytecode writing on, the compiler's modules get their tables;
    a second process compiles no dataclass text at all."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")
    probe = ("import tiphys.compiler.ir, tiphys.compiler.dataclass_code as d; "
             "print(sum(t.new for t in d._tables.values()), len(d._tables))")
    runs = [subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                           text=True, check=True).stdout.split() for _ in range(2)]
    assert int(runs[0][0]) > 20 and int(runs[0][1]) > 3
    assert runs[1][0] == "0" and runs[1][1] == runs[0][1]
    assert list((tmp_path / "pycache").rglob("*.dataclasses"))
