"""Deterministic mutations of DSL files, for the robustness fuzz test.

Each mutation takes the source text and a seeded ``random.Random`` and returns a broken (or
merely different) variant. Mutations work on lines and tokens, never on an AST, so they also
produce files that do not parse.
"""

from __future__ import annotations

import io
import random
import tokenize
from collections.abc import Callable

Mutation = Callable[[str, random.Random], str]


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _tokens(text: str) -> list[tokenize.TokenInfo]:
    try:
        return [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
                if t.type not in (tokenize.ENDMARKER, tokenize.DEDENT, tokenize.INDENT)]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []


def _offsets(text: str) -> list[int]:
    """Character offset of the start of each line (1-based line index → offset)."""
    out = [0, 0]
    for line in _lines(text):
        out.append(out[-1] + len(line))
    return out


def _span(text: str, tok: tokenize.TokenInfo) -> tuple[int, int]:
    offs = _offsets(text)
    return offs[tok.start[0]] + tok.start[1], offs[tok.end[0]] + tok.end[1]


def _replace_token(text: str, tok: tokenize.TokenInfo, new: str) -> str:
    a, b = _span(text, tok)
    return text[:a] + new + text[b:]


def delete_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    if not lines:
        return text
    del lines[rng.randrange(len(lines))]
    return "".join(lines)


def duplicate_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    if not lines:
        return text
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i] if lines[i].endswith("\n") else lines[i] + "\n")
    return "".join(lines)


def swap_lines(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    if len(lines) < 2:
        return text
    i, j = rng.sample(range(len(lines)), 2)
    lines[i], lines[j] = lines[j], lines[i]
    return "".join(ln if ln.endswith("\n") else ln + "\n" for ln in lines)


def delete_token(text: str, rng: random.Random) -> str:
    toks = [t for t in _tokens(text) if t.type not in (tokenize.NEWLINE, tokenize.NL)]
    if not toks:
        return text
    return _replace_token(text, rng.choice(toks), "")


_REPLACEMENTS = ["undefined_name", "print()", "None", "lambda: 1", 'f"x{1}"', "[1, 2]",
                 "{'a': 1}", "-1", "''", "3.5", "True", "...", "(1, 2)", "param('p')",
                 "workflow_status", "range(3)", "{1}", "b'x'", "x.y", "*[]", "not 1",
                 "1 if 1 else 2"]


def replace_literal(text: str, rng: random.Random) -> str:
    toks = [t for t in _tokens(text)
            if t.type in (tokenize.STRING, tokenize.NUMBER)
            or (t.type == tokenize.NAME and t.string in ("True", "False", "None"))]
    if not toks:
        return text
    return _replace_token(text, rng.choice(toks), rng.choice(_REPLACEMENTS))


def replace_name(text: str, rng: random.Random) -> str:
    toks = _tokens(text)
    names = [t for t in toks if t.type == tokenize.NAME]
    if not names:
        return text
    pool = sorted({t.string for t in names}) + _REPLACEMENTS
    return _replace_token(text, rng.choice(names), rng.choice(pool))


def _keyword_tokens(toks: list[tokenize.TokenInfo]) -> list[tokenize.TokenInfo]:
    """NAME tokens directly followed by '=' inside brackets (keyword arguments)."""
    out = []
    depth = 0
    for i, t in enumerate(toks):
        if t.type == tokenize.OP and t.string in "([{":
            depth += 1
        elif t.type == tokenize.OP and t.string in ")]}":
            depth -= 1
        elif (depth > 0 and t.type == tokenize.NAME and i + 1 < len(toks)
              and toks[i + 1].string == "="):
            out.append(t)
    return out


def rename_keyword(text: str, rng: random.Random) -> str:
    kws = _keyword_tokens(_tokens(text))
    if not kws:
        return text
    tok = rng.choice(kws)
    new = rng.choice([tok.string + "s", tok.string[:-1] or "x", "bogus", "name", "image",
                      "when", "inputs", "outputs", "retries", "params", "_", "self"])
    return _replace_token(text, tok, new)


def _call_args(toks: list[tokenize.TokenInfo]) -> list[list[tuple[int, int]]]:
    """For each bracketed group, the token index ranges of its comma-separated items."""
    groups: list[list[tuple[int, int]]] = []
    stack: list[tuple[int, list[tuple[int, int]]]] = []
    for i, t in enumerate(toks):
        if t.type == tokenize.OP and t.string in "([{":
            stack.append((i + 1, []))
        elif t.type == tokenize.OP and t.string in ")]}" and stack:
            start, items = stack.pop()
            if i > start:
                items.append((start, i))
            if len(items) >= 2:
                groups.append(items)
        elif t.type == tokenize.OP and t.string == "," and stack:
            start, items = stack[-1]
            items.append((start, i))
            stack[-1] = (i + 1, items)
    return groups


def swap_arguments(text: str, rng: random.Random) -> str:
    toks = _tokens(text)
    groups = _call_args(toks)
    if not groups:
        return text
    items = rng.choice(groups)
    (a0, a1), (b0, b1) = sorted(rng.sample(items, 2))
    if a1 <= a0 or b1 <= b0:
        return text
    sa, ea = _span(text, toks[a0])[0], _span(text, toks[a1 - 1])[1]
    sb, eb = _span(text, toks[b0])[0], _span(text, toks[b1 - 1])[1]
    return text[:sa] + text[sb:eb] + text[ea:sb] + text[sa:ea] + text[eb:]


def wrap_in_if(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    top = [i for i, ln in enumerate(lines) if ln.strip() and not ln[0].isspace()
           and not ln.startswith(("#", ")", "]", "}"))]
    if not top:
        return text
    i = rng.choice(top)
    j = i + 1
    while j < len(lines) and (not lines[j].strip() or lines[j][0].isspace()
                              or lines[j].startswith((")", "]", "}"))):
        j += 1
    body = ["    " + ln if ln.strip() else ln for ln in lines[i:j]]
    head = rng.choice(["if True:\n", "for _ in []:\n", "with x:\n", "try:\n", "def f():\n",
                       "class C:\n"])
    tail = ["except Exception:\n    pass\n"] if head == "try:\n" else []
    return "".join([*lines[:i], head, *body, *tail, *lines[j:]])


def truncate(text: str, rng: random.Random) -> str:
    return text[:rng.randrange(len(text) + 1)] if text else text


_UNICODE = ["é", "名前", "\u200b", "\U0001f680", "\u00a0", "\ufeff", "Ω", "\u0301", "ß",
            "\u2028", "\x00", "\r", "\t", "İ", "\u202e"]


def insert_unicode(text: str, rng: random.Random) -> str:
    i = rng.randrange(len(text) + 1)
    return text[:i] + rng.choice(_UNICODE) + text[i:]


def unicode_in_literal(text: str, rng: random.Random) -> str:
    """Unicode inside a string literal (still valid Python)."""
    toks = [t for t in _tokens(text) if t.type == tokenize.STRING and len(t.string) >= 2
            and t.string[-1] in "'\"" and not t.string.startswith(("'''", '"""'))]
    if not toks:
        return text
    tok = rng.choice(toks)
    s = tok.string
    return _replace_token(text, tok, s[:-1] + rng.choice(_UNICODE[:9]) + s[-1])


_CONTENTS = ["", " ", "a b", "x" * 70, "y" * 300, "{{x}}", "'", '"', "\\n", "é", "-a-",
             "A_B", "0", "1.5", "-1", "a/b", "../x", "/", "@", "a:b", "UPPER", "x=y", "${X}",
             "true", "null", "[1]", "{}", "  lead", "trail  ", ".", "a.b", "*", "0 0 * * *"]


def replace_string_content(text: str, rng: random.Random) -> str:
    """A string literal's content replaced by an unusual value (still valid Python)."""
    toks = [t for t in _tokens(text) if t.type == tokenize.STRING and len(t.string) >= 2
            and t.string[0] in "'\"" and t.string[-1] == t.string[0]
            and not t.string.startswith(("'''", '"""'))]
    if not toks:
        return text
    tok = rng.choice(toks)
    q = tok.string[0]
    content = rng.choice(_CONTENTS).replace("\\", "\\\\").replace(q, "\\" + q)
    return _replace_token(text, tok, q + content + q)


def line_endings(text: str, rng: random.Random) -> str:
    return text.replace("\n", rng.choice(["\r\n", "\r"]))


def indent_with_tabs(text: str, rng: random.Random) -> str:
    return "".join("\t" * ((len(ln) - len(ln.lstrip(" "))) // 4) + ln.lstrip(" ")
                   for ln in _lines(text))


def insert_token(text: str, rng: random.Random) -> str:
    toks = [t for t in _tokens(text) if t.type not in (tokenize.NEWLINE, tokenize.NL)]
    if not toks:
        return text
    a, _ = _span(text, rng.choice(toks))
    new = rng.choice([",", "(", ")", "=", ".", "*", "**", ":", "not ", "await ", "yield ",
                      "global x;", "0", "'s'", "[", "]", "lambda: ", "|", "~"])
    return text[:a] + new + text[a:]


def replace_operator(text: str, rng: random.Random) -> str:
    toks = [t for t in _tokens(text) if t.type == tokenize.OP
            and t.string in ("==", "!=", "<", ">", "<=", ">=", "|", "&", "+", "-", "and", "or")]
    toks += [t for t in _tokens(text) if t.type == tokenize.NAME and t.string in
             ("and", "or", "not", "in", "is")]
    if not toks:
        return text
    return _replace_token(text, rng.choice(toks), rng.choice(
        ["==", "!=", "<", ">=", "|", "&", "+", " and ", " or ", " is ", " in ", "%", "@"]))


MUTATIONS: list[Mutation] = [
    delete_line, duplicate_line, swap_lines, delete_token, replace_literal, replace_name,
    rename_keyword, swap_arguments, wrap_in_if, truncate, insert_unicode, unicode_in_literal,
    line_endings, indent_with_tabs, insert_token, replace_operator,
    replace_string_content, replace_string_content, replace_literal, rename_keyword,
]


def variants(text: str, seed: int, count: int) -> list[tuple[str, str]]:
    """*count* (mutation name, text) pairs; one to three mutations each."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        t = text
        names = []
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            m = rng.choice(MUTATIONS)
            t = m(t, rng)
            names.append(m.__name__)
        out.append(("+".join(names), t))
    return out
