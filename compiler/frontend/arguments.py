"""Binding the arguments of a DSL call to its parameters, with diagnostics."""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass

from tiphys.compiler.frontend.source import Span, name_span


@dataclass(frozen=True, slots=True)
class Arg:
    """One argument of a call as written (``ast`` keeps positional and keyword arguments in
    two lists; diagnostics want them in source order)."""

    value: ast.expr
    #: The keyword of ``key=value``; None for a positional argument or an unpacking.
    keyword: str | None
    #: "", "*" or "**".
    star: str
    #: The whole argument (``key=value``, ``*rest``), for positions.
    node: ast.AST
    #: The keyword's name, for positions.
    keyword_node: Span | None = None


def call_args(call: ast.Call) -> list[Arg]:
    """The arguments of *call* in source order."""
    out: list[tuple[tuple[int, int], Arg]] = []
    for value in call.args:
        if isinstance(value, ast.Starred):
            out.append(((value.lineno, value.col_offset), Arg(value.value, None, "*", value)))
        else:
            out.append(((value.lineno, value.col_offset), Arg(value, None, "", value)))
    for kw in call.keywords:
        if kw.arg is None:
            arg = Arg(kw.value, None, "**", kw)
        else:
            arg = Arg(kw.value, kw.arg, "", kw, name_span(kw.lineno, kw.col_offset, kw.arg))
        out.append(((kw.lineno, kw.col_offset), arg))
    if call.keywords and call.args:
        out.sort(key=lambda pair: pair[0])
    return [arg for _, arg in out]


@dataclass(frozen=True, slots=True)
class Signature:
    #: Parameters that may be passed by position, in order.
    positional: tuple[str, ...]
    #: Keyword-only parameters.
    keyword: tuple[str, ...] = ()
    #: Parameters that must be given.
    required: tuple[str, ...] = ()
    #: Name of a ``*args`` parameter collecting extra positionals, if any.
    varargs: str | None = None


@dataclass(frozen=True, slots=True)
class Bound:
    #: Parameter name → the argument expression.
    args: dict[str, ast.expr]
    #: Extra positional arguments when the signature has ``varargs``.
    rest: tuple[ast.expr, ...]
    #: (node, message) for each binding problem.
    problems: tuple[tuple[object, str], ...]


def bind(call: ast.Call, sig: Signature, what: str) -> Bound:
    args: dict[str, ast.expr] = {}
    rest: list[ast.expr] = []
    problems: list[tuple[object, str]] = []
    unknown: list[tuple[int, str]] = []  # (index in problems, keyword)
    allowed = set(sig.positional) | set(sig.keyword)
    position = 0
    for arg in call_args(call):
        if arg.star:
            problems.append((arg.node, f"{what} does not accept *args or **kwargs unpacking: "
                                       "write the arguments out"))
            continue
        if arg.keyword is None:
            if position < len(sig.positional):
                args[sig.positional[position]] = arg.value
                position += 1
            elif sig.varargs is not None:
                rest.append(arg.value)
            else:
                problems.append((arg.node, f"{what} takes at most {len(sig.positional)} "
                                           "positional argument(s)"))
            continue
        name = arg.keyword
        if name not in allowed:
            hint = ", ".join(sorted(allowed)) or "none"
            unknown.append((len(problems), name))
            problems.append((arg.keyword_node, f"{what} has no parameter '{name}' "
                                               f"(parameters: {hint})"))
        elif name in args:
            problems.append((arg.keyword_node, f"{what} got '{name}' twice"))
        else:
            args[name] = arg.value
    missing = [name for name in sig.required if name not in args]
    missing = _suggest(problems, unknown, missing, what)
    _suggest(problems, unknown, sorted(allowed - set(args)), what)  # optional ones
    if missing:
        problems.append((call, f"{what} is missing the argument(s) " +
                         ", ".join(f"'{m}'" for m in missing)))
    return Bound(args, tuple(rest), tuple(problems))


def _suggest(problems: list[tuple[object, str]], unknown: list[tuple[int, str]],
             missing: list[str], what: str) -> list[str]:
    """A misspelled keyword is one problem, "did you mean 'url'?", not an unknown argument
    and a missing one: an unknown keyword close to a missing parameter takes its place."""
    for index, name in unknown:
        if "did you mean" in problems[index][1]:
            continue
        close = difflib.get_close_matches(name, missing, n=1, cutoff=0.6)
        if close:
            problems[index] = (problems[index][0], f"{what} has no parameter '{name}'; did "
                               f"you mean '{close[0]}'?")
            missing.remove(close[0])
    return missing
