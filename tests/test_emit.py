"""YAML emission: exact block scalars, YAML 1.1 ambiguities quoted, no aliases, stable order."""

from __future__ import annotations

import random
import string

import pytest
import yaml

from tiphys.compiler.emit import dump_documents

SCRIPTS = [
    "def f():\n    return 1\n",
    "trailing spaces   \nand a tab\tinside\n",
    "\tleading tab\n",
    "  indented first line\nsecond\n",
    "\n\nleading blank lines\n",
    "no final newline",
    "two final newlines\n\n",
    "only whitespace line\n   \nend\n",
    "unicode: é ü 中文 🚀\n",
    "# a comment\n- looks like a list\nkey: looks like a map\n",
    "'''triple quotes''' and \"\"\"doubles\"\"\"\n",
    "back\\slashes\\n\n",
    "{{inputs.parameters.x}}\n",
    "windows\r\nline endings\r\n",
    "control \x07 char\n",
    "\n",
    " \n",
]


def _doc(script: str) -> dict:  # type: ignore[type-arg]
    return {"spec": {"templates": [{"name": "t", "script": {"image": "python", "source": script}},
                                   {"name": "u", "container": {"args": [script, "x"]}}]}}


@pytest.mark.parametrize("script", SCRIPTS, ids=range(len(SCRIPTS)))
def test_scripts_round_trip_byte_for_byte(script: str) -> None:
    text = dump_documents([_doc(script)])
    assert yaml.safe_load(text) == _doc(script)
    # Multi-line text that a block can hold exactly is emitted as a literal block (|).
    if "\n" in script and "\r" not in script and "\x07" not in script:
        assert "source: |" in text


def test_literal_block_is_used_where_pyyaml_would_fall_back_to_quotes() -> None:
    script = "x = 1   \n\ty = 2\n"
    plain = yaml.dump({"source": script}, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper))
    assert "|" not in plain  # PyYAML's own emitter quotes it
    ours = dump_documents([{"source": script}])
    assert "source: |" in ours
    assert yaml.safe_load(ours) == {"source": script}


def test_random_scripts_round_trip() -> None:
    rng = random.Random(1234)
    alphabet = string.printable.replace("\r", "").replace("\x0b", "").replace("\x0c", "") + "é中🚀"
    for _ in range(300):
        lines = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
                 for _ in range(rng.randint(1, 8))]
        script = "\n".join(lines) + rng.choice(["", "\n", "\n\n"])
        assert yaml.safe_load(dump_documents([_doc(script)])) == _doc(script), repr(script)


@pytest.mark.parametrize("value", ["y", "Y", "n", "N", "yes", "no", "on", "off", "true",
                                   "False", "null", "~", "1e3", "1E-5", "0o17", "0x1F", "012",
                                   "1_000", "3.0", ".5", "-1", "=", "<<"])
def test_yaml11_ambiguous_strings_are_quoted(value: str) -> None:
    text = dump_documents([{"v": value}])
    line = next(ln for ln in text.splitlines() if ln.startswith("v: "))
    assert line[3] in "'\"", line
    assert yaml.safe_load(text) == {"v": value}


def test_no_anchors_or_aliases_and_key_order_kept() -> None:
    shared = {"name": "x"}
    text = dump_documents([{"b": shared, "a": shared, "c": [shared, shared]}])
    assert "&" not in text and "*" not in text
    assert [ln.split(":")[0] for ln in text.splitlines() if not ln.startswith((" ", "-"))] == [
        "b", "a", "c"]


def test_multi_document_stream_and_header() -> None:
    text = dump_documents([{"a": 1}, {"b": 2}], header="# generated\n")
    assert text.startswith("# generated\n---\n")
    assert list(yaml.safe_load_all(text)) == [{"a": 1}, {"b": 2}]


def test_uses_the_c_dumper_when_available() -> None:
    from tiphys.compiler.emit import pyyaml_dumper

    if hasattr(yaml, "CSafeDumper"):
        assert issubclass(pyyaml_dumper._Dumper, yaml.CSafeDumper)
