"""Python tasks: the shipped script, built from the function exactly as written.

The script holds, in order: the module imports the function (and its helpers) use, the module
constants bound to literals it uses, the same-file helper functions it calls (transitively),
the function itself without its decorators, and a small generated wrapper
(:mod:`.wrapper`). Which names the function reads comes from ``symtable``
(:mod:`.symbols`); its inputs from its parameters (:mod:`.inputs`).
"""

from __future__ import annotations

import ast
import builtins
import io
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from tiphys.compiler import ir
from tiphys.compiler.frontend.calls.artifacts import ARTIFACT_TYPES
from tiphys.compiler.frontend.imports import ImportBinding, canonical
from tiphys.compiler.frontend.module_context import (
    ConstantBinding,
    FunctionBinding,
    FunctionNode,
    ModuleContext,
    OtherBinding,
)
from tiphys.compiler.frontend.nodes import ordered_walk
from tiphys.compiler.frontend.scripts.inputs import (
    apply_specs,
    artifact_outputs,
    param_order,
    returns_none,
    simple_type,
    task_inputs,
)
from tiphys.compiler.frontend.scripts.records import Record, read_record, record_class
from tiphys.compiler.frontend.scripts.symbols import def_names, first_read, yields_and_globals
from tiphys.compiler.frontend.scripts.wrapper import WRAPPER_NAMES, assemble, wrapper
from tiphys.compiler.frontend.source import NameOf, SourceFile, Span
from tiphys.compiler.ir.artifacts import ARTIFACT_DIR, ArtifactOutput
from tiphys.compiler.ir.core import OUTPUT_DIR as OUTPUT_DIR  # where the wrapper writes
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.records import OutputField

_BUILTINS = frozenset(dir(builtins)) | {
    "__name__", "__file__", "__doc__", "__spec__", "__loader__", "__package__", "__builtins__",
}
#: Packages that exist only at compile time, never in a task's pod.
_DSL_PACKAGES = frozenset({"tiphys", "cloudharness"})


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: str
    loc: Loc


@dataclass(frozen=True, slots=True)
class Built:
    task: ir.PythonTask | None
    problems: tuple[Problem, ...]
    #: Warnings: the task is built all the same.
    warnings: tuple[Problem, ...] = ()


def build_python_task(
    fn: FunctionNode,
    stmt: int,
    name: str,
    options: ir.TaskOptions,
    ctx: ModuleContext,
    source: SourceFile,
    *,
    bare_call: bool = False,
    closure: frozenset[str] = frozenset(),
    dsl_packages: frozenset[str] = _DSL_PACKAGES,
    artifact_specs: Mapping[str, tuple[Any, object]] | None = None,
) -> Built:
    """With *bare_call* the function is called with no arguments and its result discarded
    (CloudHarness' PythonTask); names in *closure* are left to the caller to report (they
    belong to an enclosing function); *dsl_packages* are never carried into the script."""
    problems: list[Problem] = []

    def problem(code: str, message: str, node: object, at: int = stmt) -> None:
        problems.append(Problem(code, message, Loc(source, at, node)))

    def star(param: ast.arg, marker: str) -> Span:
        """``*args`` from its star to the end of its name (not its annotation)."""
        span = source.before(param, marker)
        return Span(span.lineno, span.col_offset, param.lineno,
                    param.col_offset + len(param.arg.encode("utf-8")))

    fname = fn.name
    name_node = NameOf(fn)
    if fname in WRAPPER_NAMES:
        problem("TPH209", f"a task cannot be named '{fname}': the generated wrapper uses that "
                "name; rename the function", name_node)
    if isinstance(fn, ast.AsyncFunctionDef):
        problem("TPH201", f"task '{fname}' is an async function; Argo runs a script "
                "synchronously: make it a plain 'def' and use asyncio.run() inside", name_node)
    code = source.function_text(fn)
    yields, global_nodes = yields_and_globals(fn, code)
    if yields:
        problem("TPH202", f"task '{fname}' is a generator (it uses 'yield'); a task returns "
                "one value: collect the items into a list and return it", yields[0])
    for g in global_nodes:
        problem("TPH203", "a task cannot use 'global': module variables do not exist in the "
                "task's pod; pass the value as a parameter and return the result", g)
    for dec in fn.decorator_list:
        if ctx.dsl_name(_decorator_callee(dec)) != "tiphys.task":
            problem("TPH204", "only @task may decorate a task function: other decorators "
                    "are not shipped with it; apply them inside the function body",
                    source.decorator(dec))

    inputs = () if bare_call else task_inputs(fn, fname, problem, star, ctx)
    outs = () if bare_call else artifact_outputs(fn, ctx, problem)
    returns = not bare_call and not returns_none(fn)

    carried = _carry(fn, stmt, code, ctx, source, problems, closure, dsl_packages)
    record = returned_record(fn, ctx, carried.records) if returns else None
    fields = record.fields if record is not None else ()
    if record is not None:
        outs = _with_artifact_fields(outs, record, fn, problem)
    if artifact_specs:
        inputs, outs = apply_specs(inputs, outs, artifact_specs, fname, problem)
    script = _script(code, fname, fn, inputs, outs, returns, carried, source, fields)
    if problems:
        return Built(None, tuple(problems))
    return_type = simple_type(fn.returns) if returns else None
    # TYPE PASS HOOK: the annotations' source text, for the IR type checks
    # (tiphys.compiler.check.types). The only place the front end records it.
    texts = {p.arg: ast.unparse(p.annotation)
             for p in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
             if p.annotation is not None}
    inputs = tuple(replace(i, annotation=texts.get(i.name)) for i in inputs)
    return_text = ast.unparse(fn.returns) if returns and fn.returns is not None else None
    task = ir.PythonTask(name, fname, inputs, returns, return_type, script, options,
                         Loc(source, stmt, fn), outs, return_text, fields)
    warnings: tuple[Problem, ...] = ()
    if "{{" in script:
        node = _first_string_with(fn, "{{", source) or name_node
        warnings = (Problem("TPH217", f"the script of task '{fname}' contains '{{{{', which Argo "
                            "reads as a template tag and substitutes before the script runs: "
                            "build such text at run time (for example '{' * 2)",
                            Loc(source, stmt, node)),)
    return Built(task, (), warnings)


def _first_string_with(fn: FunctionNode, text: str, source: SourceFile) -> object | None:
    """The first string literal in *fn* whose text, as written, contains *text* (for a
    warning's position): one part of an implicit concatenation, as tokenize splits it."""
    for node in ordered_walk(fn):
        if not isinstance(node, (ast.Constant, ast.JoinedStr)) or \
                not isinstance(getattr(node, "value", ""), (str, list)):
            continue
        written = source.segment(node)
        if text not in written:
            continue
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(written).readline))
        except (tokenize.TokenError, SyntaxError):
            return node
        starts = [0]
        for text_line in written.split("\n"):
            starts.append(starts[-1] + len(text_line) + 1)
        for tok in tokens:
            if tok.type == tokenize.STRING and text in tok.string:
                line = node.lineno + tok.start[0] - 1
                first = source.lines[node.lineno - 1]
                offset = tok.start[1] + (
                    len(first.encode("utf-8")[:node.col_offset].decode("utf-8", "replace"))
                    if tok.start[0] == 1 else 0)
                col = len(source.lines[line - 1][:offset].encode("utf-8"))
                return Span(line, col, line, col + len(tok.string.encode("utf-8")))
        return node
    return None


def _decorator_callee(node: ast.expr) -> ast.expr:
    return node.func if isinstance(node, ast.Call) else node


@dataclass(slots=True)
class _Carried:
    imports: list[ImportBinding]
    constants: list[ConstantBinding]
    helpers: list[tuple[FunctionBinding, str]]
    #: DSL annotation types the function names (InputArtifact, ...): defined as str.
    stubs: list[str] = field(default_factory=list)
    #: Record classes (NamedTuple, dataclass, TypedDict) the function uses, by name.
    records: dict[str, Record] = field(default_factory=dict)


def _carry(
    fn: FunctionNode, stmt: int, code: str, ctx: ModuleContext, source: SourceFile,
    problems: list[Problem], closure: frozenset[str] = frozenset(),
    dsl_packages: frozenset[str] = _DSL_PACKAGES,
) -> _Carried:
    """Resolve the free names of *fn* and, transitively, of the helpers it calls."""
    imports: dict[str, ImportBinding] = {}
    constants: dict[str, ConstantBinding] = {}
    helpers: dict[str, tuple[FunctionBinding, str]] = {}
    stubs: set[str] = set()
    records: dict[str, Record] = {}
    fname = fn.name
    work: list[tuple[FunctionNode, int, str]] = [(fn, stmt, code)]
    seen = {fname}
    while work:
        func, at, text = work.pop()
        for name in def_names(func, text).free:
            if func is fn and name in closure:
                continue
            if _resolves(name, ctx):
                binding = ctx.bindings[name]
                if isinstance(binding, ImportBinding) and not binding.relative and \
                        binding.qualified.split(".")[0] not in dsl_packages:
                    imports.setdefault(name, binding)
                    continue
                if isinstance(binding, ConstantBinding):
                    constants.setdefault(name, binding)
                    continue
            elif name in _BUILTINS and name not in ctx.bindings:
                continue
            loc = _LazyLoc(source, at, func, name)
            found = ctx.bindings.get(name)
            if found is None:
                if name in _BUILTINS:
                    continue
                problems.append(Problem("TPH210", f"undefined name '{name}' in task "
                                        f"'{fname}': define or import it", loc.get()))
                continue
            binding = found
            if ctx.bind_count.get(name, 0) > 1 and not isinstance(binding, ImportBinding):
                problems.append(Problem("TPH211", f"'{name}' is bound more than once at module "
                                        f"level, so task '{fname}' cannot know which value it "
                                        "sees: bind it once, or pass it as a parameter", loc.get()))
                continue
            if isinstance(binding, ImportBinding):
                if canonical(binding.qualified) in ARTIFACT_TYPES:
                    stubs.add(name)  # an annotation: a path (str) in the pod
                elif binding.qualified.split(".")[0] in dsl_packages:
                    problems.append(Problem("TPH212", f"task '{fname}' uses the DSL name "
                                            f"'{name}', which does not exist in the task's pod: "
                                            "tasks are run by Argo, not called from one another",
                                            loc.get()))
                elif binding.relative:
                    problems.append(Problem("TPH213", f"'{name}' comes from a relative import, "
                                            "which cannot work in a standalone script: import "
                                            "it absolutely from a package in the image", loc.get()))
                else:
                    imports.setdefault(name, binding)
            elif isinstance(binding, ConstantBinding):
                constants.setdefault(name, binding)
            elif isinstance(binding, FunctionBinding):
                if _is_task(binding.node, ctx):
                    problems.append(Problem("TPH214", f"task '{fname}' calls task '{name}': a "
                                            "task function cannot call another task; move the "
                                            "shared code into a plain helper function", loc.get()))
                elif name not in seen:
                    seen.add(name)
                    helper_text = source.function_text(binding.node)
                    helpers[name] = (binding, helper_text)
                    if binding.node.decorator_list:
                        problems.append(Problem("TPH215", f"helper '{name}' is decorated; "
                                                "decorators are not carried into the task's "
                                                "script: remove the decorator", loc.get()))
                    if isinstance(binding.node, ast.FunctionDef):
                        work.append((binding.node, binding.stmt, helper_text))
            elif (cls := record_class(name, ctx)) is not None:
                if name not in records and (rec := _record(cls, binding.stmt, ctx, source,
                                                           problems)) is not None:
                    records[name] = rec
                    # The class statement's own names (NamedTuple, dataclass): imports.
                    for need in rec.needs:
                        b = ctx.bindings.get(need)
                        if isinstance(b, ImportBinding) and not b.relative:
                            imports.setdefault(need, b)
            else:
                problems.append(Problem("TPH216", _other_message(fname, name, binding), loc.get()))
    order = sorted
    return _Carried(
        order(imports.values(), key=lambda b: (b.stmt, b.local)),
        order(constants.values(), key=lambda b: (b.stmt, b.name)),
        order(helpers.values(), key=lambda b: b[0].stmt),
        sorted(stubs),
        dict(sorted(records.items(), key=lambda r: _stmt_of(r[0], ctx))),
    )


def _stmt_of(name: str, ctx: ModuleContext) -> int:
    binding = ctx.bindings[name]
    return binding.stmt if isinstance(binding, OtherBinding) else 0


def _record(cls: ast.ClassDef, at: int, ctx: ModuleContext, source: SourceFile,
            problems: list[Problem]) -> Record | None:
    def report(code: str, message: str, node: object) -> None:
        problems.append(Problem(code, message, Loc(source, at, node)))

    return read_record(cls, ctx, report)


def returned_record(fn: FunctionNode, ctx: ModuleContext,
                    records: dict[str, Record]) -> Record | None:
    """The record the function is annotated to return (``-> Stats``), once carried."""
    if isinstance(fn.returns, ast.Name) and record_class(fn.returns.id, ctx) is not None:
        return records.get(fn.returns.id)
    return None


def _with_artifact_fields(outs: tuple[ArtifactOutput, ...], record: Record, fn: FunctionNode,
                          problem: Any) -> tuple[ArtifactOutput, ...]:
    """The record's artifact fields join the output artifacts (a name may not repeat)."""
    taken = {o.name for o in outs}
    added = []
    for f in record.fields:
        if f.artifact and f.name in taken:
            problem("TPH544", f"task '{fn.name}' writes output artifact '{f.name}' twice: as "
                    f"a parameter annotated OutputArtifact and as a field of '{record.name}'",
                    fn.returns)
        elif f.artifact:
            added.append(ArtifactOutput(f.name, f"{ARTIFACT_DIR}/out/{f.name}"))
    return outs + tuple(added)


@dataclass(frozen=True, slots=True)
class _LazyLoc:
    """The position of a free name, found (by a walk of the function) only if it is reported."""

    source: SourceFile
    stmt: int
    func: FunctionNode
    name: str

    def get(self) -> Loc:
        return Loc(self.source, self.stmt, first_read(self.func, self.name, self.source))


def _resolves(name: str, ctx: ModuleContext) -> bool:
    """The common, problem-free case: bound once at module level to an import or constant."""
    return name in ctx.bindings and ctx.bind_count.get(name, 0) == 1


def _other_message(fname: str, name: str, binding: OtherBinding) -> str:
    return (
        f"task '{fname}' uses the module {binding.what} '{name}', which is not a literal "
        "constant and will not exist in the task's pod: pass it as a task parameter, or "
        "compute it inside the task"
    )


def _is_task(fn: FunctionNode, ctx: ModuleContext) -> bool:
    return any(
        ctx.dsl_name(_decorator_callee(d)) == "tiphys.task" for d in fn.decorator_list
    )


def _script(
    code: str, fname: str, fn: FunctionNode, inputs: tuple[ir.Input, ...],
    outs: tuple[ArtifactOutput, ...], returns: bool, carried: _Carried, source: SourceFile,
    fields: tuple[OutputField, ...] = (),
) -> str:
    constants = [
        f"{c.name}{': ' + source.segment(c.annotation) if c.annotation else ''} = "
        f"{_value_text(source, c)}"
        for c in carried.constants
    ]
    order, posonly = param_order(fn)
    return assemble([b.statement for b in carried.imports], carried.stubs, constants,
                    [rec.text for rec in carried.records.values()] +
                    [text for _, text in carried.helpers], code,
                    wrapper(order, posonly, fname, inputs, outs, returns, fields))


def _value_text(source: SourceFile, constant: ConstantBinding) -> str:
    """The value of ``NAME = value`` as written, with any parentheses around it (``ast``
    leaves them out of the value's position, and a value split over lines needs them):
    everything after the ``=`` up to the end of the statement."""
    stmt = source.body[constant.stmt]
    before = stmt.annotation if isinstance(stmt, ast.AnnAssign) else \
        getattr(stmt, "targets", [constant.value])[-1]
    value = constant.value
    if stmt.end_lineno is None or stmt.end_col_offset is None or before is value or \
            before.end_lineno is None or before.end_col_offset is None:
        return source.segment(value)
    text = source.segment(Span(before.end_lineno, before.end_col_offset, stmt.end_lineno,
                               stmt.end_col_offset))
    head, sep, rest = text.partition("=")
    if not sep or head.strip(" \t\\\n)"):
        return source.segment(value)
    return rest.strip(" \t\\\n")
