"""The README's DSL example compiles cleanly and runs, so the front page cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

from compile_helpers import compile_text
from conftest import REPO
from run_helpers import run_doc


def test_readme_dsl_example_compiles_and_runs(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## The DSL on one screen\s+```python\n(.*?)```", readme, re.S)
    assert block, "README lost its DSL example"
    docs, diags = compile_text(tmp_path, block.group(1))
    assert diags == []
    assert [d["metadata"]["name"] for d in docs] == ["word-count", "diamond"]
    # fetch() would need the network: check the others ran by stubbing its output.
    for doc in docs:
        for t in doc["spec"]["templates"]:
            if t["name"] == "fetch":
                t["script"]["source"] = t["script"]["source"].replace(
                    "return urllib.request.urlopen(url).read().decode()", "return 'a b c'")
        run = run_doc(doc)
        assert any(name == "report" for name, _, _ in run.calls)
        assert "total=6\n" in run.stdout
