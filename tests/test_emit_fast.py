"""The emitter's own writer (emit/writer.py) gives PyYAML's bytes (emit/pyyaml_dumper.py).

Three kinds of evidence: every golden file is reproduced by the writer alone (no fallback), so
the subset it covers is what the compiler emits; exhaustive short strings and generated
documents, quoting edge cases first, give the same bytes on both paths; and what the writer
does not cover goes to PyYAML, so ``dump_documents`` equals PyYAML's output for any document.
"""

from __future__ import annotations

import itertools
import string
from pathlib import Path
from typing import Any

import pytest
import yaml

from tiphys.compiler.emit import dump_documents, writer
from tiphys.compiler.emit.pyyaml_dumper import dump_with_pyyaml, plain_is_string

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is in the test extra")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

pytestmark = pytest.mark.skipif(
    not hasattr(yaml, "CSafeDumper"),
    reason="the writer reproduces libyaml's output; PyYAML's pure-Python emitter differs")

TESTS = Path(__file__).resolve().parent
SETTINGS = settings(max_examples=250, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _fast(documents: list[Any]) -> str | None:
    """The writer's output, or None when it hands the stream to PyYAML."""
    try:
        return writer.write_documents(documents)
    except writer.Unusual:
        return None


def _outcome(dump: Any, documents: list[Any]) -> str | type[BaseException]:
    try:
        return dump(documents, "# h\n")  # type: ignore[no-any-return]
    except Exception as e:  # PyYAML's own failures (a surrogate, a key it cannot resolve)
        return type(e)


def _same(documents: list[Any]) -> str | None:
    """Both paths agree (the writer's, when it takes the stream, and the public function's);
    returns the writer's output."""
    reference = _outcome(dump_with_pyyaml, documents)
    assert _outcome(dump_documents, documents) == reference
    fast = _fast(documents)
    if fast is not None:
        assert "# h\n" + fast == reference
    return fast


# ----------------------------------------------------------------- what the compiler emits

GOLDEN = sorted([*(TESTS / "golden").glob("*.yaml"), *(TESTS / "golden" / "hera").glob("*.yaml"),
                 *(TESTS / "cloudharness" / "golden").glob("*.yaml")])


def test_the_golden_files_are_many() -> None:
    assert len(GOLDEN) > 100


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: str(p.relative_to(TESTS)))
def test_every_golden_file_is_written_without_pyyaml(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    # Without the ownership headers (comments at the start of each workflow's stream).
    body = "".join(ln for ln in text.splitlines(keepends=True) if not ln.startswith("# "))
    documents = list(yaml.safe_load_all(body))
    assert _fast(documents) == body


# ------------------------------------------------------------------------ one-line strings

# Characters with a meaning somewhere in YAML's syntax, and ones libyaml escapes or quotes.
SYNTAX = "-?:#,[]{}&*!|>'\"%@`~=<+.0 1yYnNoOeE_/\\$\t\n\r\x07\x85\u00a0\u2028\u2029\ufeff"
WORDS = ["", " ", "y", "Y", "n", "N", "yes", "No", "ON", "off", "true", "False", "NULL", "null",
         "~", "=", "<<", "1e3", "1E-5", ".5e1", "0o17", "0x1F", "012", "1_000", "3.0", ".5",
         "-1", "+1", ".inf", "-.Inf", ".NaN", "1:20", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
         "---", "...", "--- x", "... x", "-", "- x", "-x", "?", "? x", "?x", ":", ": x", ":x",
         "x:", "x: y", "x:y", "x #y", "x#y", "#x", "@x", "`x", "%x", "!x", "&x", "*x", "|",
         ">", "'", '"', "x'y", "x\"y", "{{inputs.parameters.x}}", "[x]", "x, y", "x ", " x",
         "a  b", "é", "中文", "\u00a0", "x\u00a0", "\u2028", "\ufeff", "🚀", "\x85", "\t", "a\tb",
         "a\x07", "\x7f", "TIPHYS_BLOCK_00000000_X"]


def test_short_ascii_strings_as_values_keys_and_items() -> None:
    printable = [chr(i) for i in range(0x20, 0x7f)]
    strings = WORDS + printable + ["".join(p) for p in itertools.product(printable, repeat=2)]
    strings += ["".join(p) for p in itertools.product(" -?:#.'x0", repeat=3)]
    usual = [s for s in strings if s.isascii() and s.isprintable() and "TIPHYS" not in s]
    for chunk in range(0, len(usual), 2000):
        part = usual[chunk:chunk + 2000]
        assert _same([{"values": {f"k{i}": s for i, s in enumerate(part)},
                       "keys": {s: i for i, s in enumerate(part)}, "items": part}]) is not None


@pytest.mark.parametrize("value", WORDS)
def test_edge_cases_one_by_one(value: str) -> None:
    _same([{"v": value, value: [value, {value: value}], "w": [[value]]}])


def test_keys_up_to_128_bytes_are_simple_and_longer_ones_go_to_pyyaml() -> None:
    for key in ["k" * 128, "é" * 64, "中" * 42 + "kk"]:
        assert _same([{key: "v"}]) is not None
    for key in ["k" * 129, "é" * 64 + "k", "中" * 43]:
        assert _same([{key: "v"}]) is None


def test_words_that_need_quotes_match_pyyamls_resolver() -> None:
    from tiphys.compiler.emit.pyyaml_dumper import _Dumper

    for word in writer._YAML11_WORDS:
        assert not plain_is_string(word)
    # Every first character PyYAML's resolver looks at is one the writer checks (a YAML 1.1
    # word's first letter, or one it asks the resolver about) or one that is never the start
    # of a plain scalar (None would be any character).
    firsts = set(_Dumper.yaml_implicit_resolvers)
    assert firsts <= ({w[0] for w in writer._YAML11_WORDS} | writer._RESOLVER_FIRST | {""}
                      | writer._INDICATOR_FIRST)


@SETTINGS
@given(st.text(alphabet="yYnNtTfFoOeEsSrRuUlLaA~", min_size=1, max_size=6))
def test_letter_words_resolve_as_pyyaml_says(word: str) -> None:
    assert writer._plain_is_string(word) == plain_is_string(word)


# ---------------------------------------------------------------------- generated documents

_CHARS = st.one_of(st.sampled_from(SYNTAX), st.sampled_from(string.ascii_letters + string.digits),
                   st.characters(min_codepoint=0x20, max_codepoint=0x7e),
                   st.characters(blacklist_categories=("Cs",)))
_WORDS = st.sampled_from(WORDS)
_TEXT = st.one_of(_WORDS, st.text(_CHARS, max_size=12),
                  st.builds(lambda a, b: a + b, _WORDS, st.text(_CHARS, max_size=4)),
                  st.builds(lambda a, b: a + b, st.text(_CHARS, max_size=4), _WORDS))
_LINES = st.lists(st.one_of(st.text(_CHARS.filter(lambda c: c != "\n"), max_size=10),
                            st.sampled_from(["", " ", "  x", "\tx", "x  ", "# c", "- x", "k: v"])),
                  min_size=1, max_size=5)
_SCRIPT = st.builds(lambda lines, end: "\n".join(lines) + end, _LINES,
                    st.sampled_from(["", "\n", "\n\n", "\n \n"]))
_LONG = st.builds(lambda s, n: s * n, st.sampled_from(["ab ", "x", "{{a}} ", "é"]),
                  st.integers(40, 700))
_SCALAR = st.one_of(_TEXT, _TEXT, _SCRIPT, _LONG, st.integers(-10**20, 10**20), st.booleans(),
                    st.none(), st.floats(allow_nan=False).map(lambda f: f if f % 7 else 1.5))
_KEY = st.one_of(st.sampled_from(["name", "value", "template", "x"]), _TEXT,
                 st.builds(lambda n: "k" * n, st.integers(120, 135)))
_VALUE = st.recursive(_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_KEY, inner, max_size=4)), max_leaves=25)
_DOCUMENT = st.dictionaries(_KEY, _VALUE, min_size=1, max_size=4)


@SETTINGS
@given(st.lists(_DOCUMENT, min_size=1, max_size=3))
def test_generated_documents_give_pyyamls_bytes(documents: list[dict[str, Any]]) -> None:
    _same(documents)


_PLAIN_SCALAR = st.one_of(_TEXT.filter(lambda s: s.isascii() and s.isprintable()), _SCRIPT.filter(
    lambda s: not writer.NOT_IN_BLOCK.search(s)), st.integers(), st.booleans(), st.none())
_PLAIN_KEY = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=20)
_PLAIN_VALUE = st.recursive(_PLAIN_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_PLAIN_KEY, inner, max_size=4)), max_leaves=30)


@SETTINGS
@given(st.lists(st.dictionaries(_PLAIN_KEY, _PLAIN_VALUE, min_size=1, max_size=4),
                min_size=1, max_size=2))
def test_the_writer_takes_plain_documents_itself(documents: list[dict[str, Any]]) -> None:
    text = "".join(str(x) for x in documents)
    if writer._PLACEHOLDER_MARK in text:
        return
    assert _same(documents) is not None


def test_what_the_writer_does_not_take_goes_to_pyyaml() -> None:
    for documents in ([{"f": 1.5}], [{"s": "a\u2028b"}], [{"s": "x\n\u2029"}], [{1: "int key"}],
                      [{"multi\nline": "key"}], [{"a\tb\n": "special, multi-line key"}],
                      [{"k" * 129: "long key"}], [["not", "a", "mapping"]], [{}], [],
                      [{"s": "TIPHYS_BLOCK_00000000_X"}], [{"k": ("tuple",)}]):
        assert _fast(documents) is None, documents
        assert _same(documents) is None
    with pytest.raises(UnicodeEncodeError):  # as before: PyYAML cannot encode a surrogate
        dump_documents([{"s": "\ud800"}])


def test_deep_nesting_goes_to_pyyaml_unchanged() -> None:
    document: dict[str, Any] = {"leaf": "x"}
    for _ in range(3000):
        document = {"d": document}
    with pytest.raises(RecursionError):
        writer.write_documents([document])
    try:
        reference: str | BaseException = dump_with_pyyaml([document])
    except RecursionError as e:
        reference = e
    if isinstance(reference, str):
        assert dump_documents([document]) == reference
    else:
        with pytest.raises(RecursionError):
            dump_documents([document])
