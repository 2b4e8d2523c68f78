"""The migration guide documents every TPH6xx code the CloudHarness front end emits."""

from __future__ import annotations

import re

from conftest import REPO

GUIDE = REPO / "docs" / "cloudharness-migration.md"
SOURCES = [*(REPO / "compiler" / "cloudharness").glob("*.py"),
           *(REPO / "dsl" / "cloudharness").glob("*.py")]


def _emitted() -> set[str]:
    return {c for p in SOURCES for c in re.findall(r'"(TPH6\d\d)"', p.read_text())}


def test_every_code_is_documented() -> None:
    table = set(re.findall(r"^\| (TPH6\d\d) \|", GUIDE.read_text(), re.MULTILINE))
    emitted = _emitted()
    assert len(emitted) > 25
    assert emitted == table


def test_every_difference_has_a_test() -> None:
    """Reference section 3's numbered bugs that tiphys fixes each have a test_<n>_ in
    test_ch_fixes.py."""
    fixes = (REPO / "tests" / "cloudharness" / "test_ch_fixes.py").read_text()
    numbers = {int(n) for n in re.findall(r"^def test_(\d+)_", fixes, re.MULTILINE)}
    assert numbers >= {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 17}
