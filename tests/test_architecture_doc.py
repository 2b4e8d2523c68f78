"""docs/architecture.md stays accurate: every function or class it names next to a module,
as "`name` (`folder/module.py`)", is defined in that module, and every folder it lists exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "architecture.md"

# `run_compile` in `commands/compile.py`, `analyse` (`frontend/analyse.py`),
# (`Evaluator.run`, `frontend/evaluate.py`)
_NAMED = re.compile(r"`([A-Za-z_][\w.]*)`(?:\s+in|\s*\(|,)\s*\(?`((?:[a-z_]+/)*[a-z_]+\.py)`")


def _defined(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(f"{node.name}.{item.name}")
    return names


def test_named_functions_exist() -> None:
    text = DOC.read_text(encoding="utf-8")
    pairs = _NAMED.findall(text)
    assert len(pairs) >= 10, "the pattern no longer finds the doc's references"
    missing = []
    for name, module in pairs:
        path = REPO / "compiler" / module
        if not path.is_file():
            missing.append(f"{module} (no such module)")
        elif name not in _defined(path):
            missing.append(f"{name} in {module}")
    assert not missing, missing


def test_listed_folders_exist() -> None:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("```")[1]
    folders = re.findall(r"^  ([a-z_]+)/", block, re.M)
    assert {"frontend", "ir", "lower", "check", "commands", "validator"} <= set(folders)
    for folder in folders:
        assert (REPO / "compiler" / folder / "__init__.py").is_file(), folder
