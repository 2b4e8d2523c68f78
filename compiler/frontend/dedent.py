"""The text of a nested ``def``, moved to the left margin as a standalone script needs it.

A function defined inside another (a Flask controller that builds its CloudHarness operation
when a request comes in) is shipped alone, so its lines lose the indentation of the ``def``.
Only what the indentation of the code decides moves: the text of a string that spans lines
stays as written, and so does a line continued with a backslash; a line inside brackets, a
comment line or a blank line moves when it is indented at least as its statement (or, for a
comment, the statement after it) and stays as written otherwise. That is the rendering libcst
gives a nested function (the CloudHarness front end ran on libcst before): the scripts of
nested functions stay byte for byte what they were.
"""

from __future__ import annotations

import ast
import io
import tokenize

_SKIP = (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)


def dedent_lines(lines: list[str], indent: str) -> list[str]:
    """*lines*: a ``def`` statement's physical lines as written, the first one starting with
    *indent* (the whitespace before ``def``). Returns them without that indentation."""
    if not indent:
        return list(lines)
    try:
        keep, reference = _layout(lines)
    except (tokenize.TokenError, SyntaxError):
        keep, reference = set(), {}
    out = []
    for number, line in enumerate(lines, start=1):
        ref = reference.get(number, indent)
        if number not in keep and line.startswith(indent) and line.startswith(ref):
            line = line[len(indent):]
        out.append(line)
    return out


def footer_end(lines: list[str], fn: ast.FunctionDef | ast.AsyncFunctionDef, end: int) -> int:
    """The last line of nested *fn* (1-based) counting the comment lines after its body that
    are indented like the body (they belong to it as written); *end* is its last statement's
    last line. *lines*: the file's lines."""
    first = fn.body[0]
    body_line = lines[first.lineno - 1]
    before = body_line.encode("utf-8")[:first.col_offset].decode("utf-8", "replace")
    if before.strip(" \t\f"):
        return end  # a one-line body (``def f(): return 1``) has no block to own a comment
    last = end
    for number in range(end + 1, len(lines) + 1):
        line = lines[number - 1]
        stripped = line.lstrip(" \t\f")
        if not stripped:
            continue
        if not stripped.startswith("#") or not line.startswith(before):
            break
        last = number
    return last


def _indentation(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t\f"))]


def _layout(lines: list[str]) -> tuple[set[int], dict[int, str]]:
    """(the lines kept as written, the indentation each other line must start with to move),
    lines numbered from 1."""
    text = "\n".join(lines) + "\n"
    keep: set[int] = set()
    ended: set[int] = set()  # lines whose end the tokenizer reports (NEWLINE or NL)
    in_brackets: dict[int, int] = {}  # line → the line its statement starts on
    starts: list[int] = []  # lines that start a logical line
    depth = 0
    statement = 1
    new_statement = True
    fstrings: list[int] = []
    fstring_start = getattr(tokenize, "FSTRING_START", None)
    fstring_end = getattr(tokenize, "FSTRING_END", None)
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.STRING:
            keep.update(range(tok.start[0] + 1, tok.end[0] + 1))
        elif fstring_start is not None and tok.type == fstring_start:
            fstrings.append(tok.start[0])
        elif fstring_end is not None and tok.type == fstring_end and fstrings:
            keep.update(range(fstrings.pop() + 1, tok.end[0] + 1))
        if tok.type in (tokenize.NEWLINE, tokenize.NL):
            ended.add(tok.start[0])
            if depth > 0:
                in_brackets[tok.start[0] + 1] = statement
            if tok.type == tokenize.NEWLINE:
                new_statement = True
            continue
        if tok.type in _SKIP or tok.type == tokenize.ENDMARKER:
            continue
        if new_statement:
            new_statement = False
            statement = tok.start[0]
            starts.append(statement)
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth = max(depth - 1, 0)
    reference: dict[int, str] = {}
    following = iter(sorted(starts))
    next_start = next(following, None)
    for number in range(1, len(lines) + 1):
        while next_start is not None and next_start < number:
            next_start = next(following, None)
        if number > 1 and number - 1 not in ended:
            keep.add(number)  # after a backslash (or inside a string: kept already)
        elif number in in_brackets:
            reference[number] = _indentation(lines[in_brackets[number] - 1])
        elif next_start is not None:
            reference[number] = _indentation(lines[next_start - 1])
    return keep, reference
