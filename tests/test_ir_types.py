"""The type model of annotations (compiler/ir/types.py): parsing and the allowed coercions."""

from __future__ import annotations

import pytest

from tiphys.compiler.ir import types as T


@pytest.mark.parametrize(("text", "shown"), [
    ("int", "int"), ("typing.List[int]", "list[int]"), ("Dict[str, float]", "dict[str, float]"),
    ("Optional[str]", "str | None"), ("Union[int, str, None]", "int | str | None"),
    ("'list[bool]'", "list[bool]"), ("tuple[int, ...]", "tuple[int, ...]"),
    ('Literal["a", -1]', "Literal['a', -1]"), ("int | Any", "Any"), ("MyClass", "Any"),
    (None, "Any"), ("not valid (", "Any"), ("Annotated[int, 'x']", "int"),
])
def test_parse(text: str | None, shown: str) -> None:
    assert str(T.parse(text)) == shown


@pytest.mark.parametrize(("src", "dst", "ok"), [
    ("int", "float", True), ("bool", "int", True), ("float", "int", False),
    ("str", "int", False), ("int", "str", False), ("Optional[int]", "int", False),
    ("int", "Optional[float]", True), ('Literal["a"]', "str", True),
    ("str", 'Literal["a"]', False), ("list[int]", "list[float]", True),
    ("list[str]", "list[int]", False), ("dict[str, int]", "dict[str, float]", True),
    ("tuple[int, int]", "tuple[int, ...]", True), ("tuple[int, ...]", "tuple[int, int]", False),
    ("Any", "int", True), ("str", "Any", True), ("list[int]", "tuple[int, ...]", False),
])
def test_assignable(src: str, dst: str, ok: bool) -> None:
    assert T.assignable(T.parse(src), T.parse(dst)) is ok


@pytest.mark.parametrize(("text", "decode"), [
    ("str | None", "str-or-null"), ("Optional[str]", "str-or-null"),
    ('Literal["a", "b"]', "str-or-null"), ("str", None), ("int | str", None), ("Any", None),
])
def test_text_decode(text: str, decode: str | None) -> None:
    assert T.text_decode(text) == decode
