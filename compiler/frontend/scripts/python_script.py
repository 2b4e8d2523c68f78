"""Python tasks: the shipped script, built from the function exactly as written.

The script holds, in order: the module imports the function (and its helpers) use, the module
constants bound to literals it uses, the same-file helper functions it calls (transitively),
the function itself without its decorators, and a small generated wrapper. The wrapper reads
each input from an environment variable that Argo fills from ``{{inputs.parameters.x}}``
(values are never pasted into Python source), decodes it by the parameter's annotation, calls
the function and writes the return value to the output-parameter file, so stdout stays free.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import libcst as cst

from tiphys.compiler import ir
from tiphys.compiler.frontend.calls.artifacts import ARTIFACT_TYPES
from tiphys.compiler.frontend.imports import ImportBinding, canonical
from tiphys.compiler.frontend.literals import NotLiteral, evaluate_literal
from tiphys.compiler.frontend.module_context import (
    ConstantBinding,
    FunctionBinding,
    ModuleContext,
    OtherBinding,
)
from tiphys.compiler.frontend.scripts.symbols import def_names, first_read, yields_and_globals
from tiphys.compiler.frontend.source import SourceFile
from tiphys.compiler.ir.artifacts import ARTIFACT_DIR, ArtifactOutput
from tiphys.compiler.ir.core import INPUT_ENV_PREFIX, OUTPUT_DIR
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.types import text_decode

#: Names the generated wrapper binds inside ``_tiphys_main``; a task named like one of them
#: would be shadowed by it.
WRAPPER_NAMES = frozenset({
    "_tiphys_main", "_json", "_os", "_sys", "_arg", "_result", "_text", "_out", "_f",
})

_BUILTINS = frozenset(dir(builtins)) | {
    "__name__", "__file__", "__doc__", "__spec__", "__loader__", "__package__", "__builtins__",
}
#: Annotations decoded from JSON; anything but ``str`` (and no annotation) is JSON.
_STR_ANNOTATIONS = frozenset({"str"})
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


_SIMPLE_TYPES = frozenset({"str", "int", "float", "bool", "list", "dict"})
_GENERIC_ALIASES = {"List": "list", "Dict": "dict", "Sequence": "list", "Mapping": "dict"}


def simple_type(ann: cst.Annotation | None) -> str | None:
    """``str``, ``int``, ``float``, ``bool``, ``list`` or ``dict`` for an annotation that is
    one of them (``list[int]`` and ``typing.List`` count as ``list``), else None."""
    name = _annotation_name(ann)
    if name is None:
        return None
    name = _GENERIC_ALIASES.get(name, name)
    return name if name in _SIMPLE_TYPES else None


def _item_type(ann: cst.Annotation | None) -> str | None:
    """The element type of ``list[X]``, simplified; None when absent or unknown."""
    if ann is None or not isinstance(ann.annotation, cst.Subscript):
        return None
    elements = ann.annotation.slice
    if len(elements) != 1 or not isinstance(elements[0].slice, cst.Index):
        return None
    inner = elements[0].slice.value
    if isinstance(inner, cst.Name):
        return _GENERIC_ALIASES.get(inner.value, inner.value)
    if isinstance(inner, cst.Subscript) and isinstance(inner.value, cst.Name):
        return _GENERIC_ALIASES.get(inner.value.value, inner.value.value)
    return None


def _annotation_name(ann: cst.Annotation | None) -> str | None:
    if ann is None:
        return None
    node = ann.annotation
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Name):
        return node.value.value
    if isinstance(node, cst.SimpleString):
        return node.evaluated_value if isinstance(node.evaluated_value, str) else None
    return ""


def encode_for_input(value: object, decode: str) -> str:
    """The string Argo passes for a literal *value* to an input decoded as *decode*."""
    if decode in ("str", "str-or-null") and isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def build_python_task(
    fn: cst.FunctionDef,
    stmt: int,
    name: str,
    options: ir.TaskOptions,
    ctx: ModuleContext,
    source: SourceFile,
    *,
    bare_call: bool = False,
    closure: frozenset[str] = frozenset(),
    dsl_packages: frozenset[str] = _DSL_PACKAGES,
    artifact_specs: Mapping[str, tuple[Any, cst.CSTNode]] | None = None,
) -> Built:
    """With *bare_call* the function is called with no arguments and its result discarded
    (CloudHarness' PythonTask); names in *closure* are left to the caller to report (they
    belong to an enclosing function); *dsl_packages* are never carried into the script."""
    problems: list[Problem] = []

    def problem(code: str, message: str, node: cst.CSTNode, at: int = stmt) -> None:
        problems.append(Problem(code, message, Loc(source, at, node)))

    fname = fn.name.value
    if fname in WRAPPER_NAMES:
        problem("TPH209", f"a task cannot be named '{fname}': the generated wrapper uses that "
                "name; rename the function", fn.name)
    if fn.asynchronous is not None:
        problem("TPH201", f"task '{fname}' is an async function; Argo runs a script "
                "synchronously: make it a plain 'def' and use asyncio.run() inside", fn.name)
    code = source.function_text(stmt, fn)
    yields, global_nodes = yields_and_globals(fn, code)
    if yields:
        problem("TPH202", f"task '{fname}' is a generator (it uses 'yield'); a task returns "
                "one value: collect the items into a list and return it", yields[0])
    for g in global_nodes:
        problem("TPH203", "a task cannot use 'global': module variables do not exist in the "
                "task's pod; pass the value as a parameter and return the result", g)
    for dec in fn.decorators:
        if ctx.dsl_name(_decorator_callee(dec.decorator)) != "tiphys.task":
            problem("TPH204", "only @task may decorate a task function: other decorators "
                    "are not shipped with it; apply them inside the function body", dec)

    inputs = () if bare_call else _inputs(fn, fname, problem, ctx)
    outs = () if bare_call else _artifact_outputs(fn, ctx, problem)
    if artifact_specs:
        inputs, outs = _apply_specs(inputs, outs, artifact_specs, fname, problem)
    returns = not bare_call and not (
        fn.returns is not None
        and isinstance(fn.returns.annotation, cst.Name)
        and fn.returns.annotation.value == "None"
    )

    carried = _carry(fn, stmt, code, ctx, source, problems, closure, dsl_packages)
    script = _script(code, fname, fn, inputs, outs, returns, carried, ctx.module)
    if problems:
        return Built(None, tuple(problems))
    return_type = simple_type(fn.returns) if returns else None
    # TYPE PASS HOOK: the annotations' source text, for the IR type checks
    # (tiphys.compiler.check.types). The only place the front end records it.
    texts = {p.name.value: ctx.module.code_for_node(p.annotation.annotation)
             for p in [*fn.params.posonly_params, *fn.params.params, *fn.params.kwonly_params]
             if p.annotation is not None}
    inputs = tuple(replace(i, annotation=texts.get(i.name)) for i in inputs)
    return_text = ctx.module.code_for_node(fn.returns.annotation) \
        if returns and fn.returns is not None else None
    task = ir.PythonTask(name, fname, inputs, returns, return_type, script, options,
                         Loc(source, stmt, fn), outs, return_text)
    warnings: tuple[Problem, ...] = ()
    if "{{" in script:
        node = _first_string_with(fn, "{{") or fn.name
        warnings = (Problem("TPH217", f"the script of task '{fname}' contains '{{{{', which Argo "
                            "reads as a template tag and substitutes before the script runs: "
                            "build such text at run time (for example '{' * 2)",
                            Loc(source, stmt, node)),)
    return Built(task, (), warnings)


class _StringFinder(cst.CSTVisitor):
    def __init__(self, text: str) -> None:
        self.text = text
        self.found: cst.CSTNode | None = None

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.found is not None:
            return False
        if isinstance(node, (cst.SimpleString, cst.FormattedStringText)) and \
                self.text in node.value:
            self.found = node
            return False
        return True


def _first_string_with(fn: cst.FunctionDef, text: str) -> cst.CSTNode | None:
    """The first string literal in *fn* that contains *text* (for a warning's position)."""
    finder = _StringFinder(text)
    fn.visit(finder)
    return finder.found


def _artifact_kind(ann: cst.Annotation | None, ctx: ModuleContext) -> str | None:
    """"in" or "out" for a parameter annotated InputArtifact / OutputArtifact."""
    if ann is None:
        return None
    return ARTIFACT_TYPES.get(ctx.dsl_name(ann.annotation) or "")


def _is_output_artifact_call(node: cst.BaseExpression, ctx: ModuleContext) -> bool:
    """``OutputArtifact()``: the default that lets type checkers accept calls without the
    parameter (the wrapper passes the path; the default is never used)."""
    return isinstance(node, cst.Call) and not node.args and \
        ARTIFACT_TYPES.get(ctx.dsl_name(node.func) or "") == "out"


def _artifact_outputs(fn: cst.FunctionDef, ctx: ModuleContext,
                      problem: Any) -> tuple[ArtifactOutput, ...]:
    out = []
    for p in [*fn.params.posonly_params, *fn.params.params, *fn.params.kwonly_params]:
        if _artifact_kind(p.annotation, ctx) == "out":
            if p.default is not None and not _is_output_artifact_call(p.default, ctx):
                problem("TPH474", f"output artifact '{p.name.value}' cannot have a default: "
                        "the wrapper passes the path to write to", p.default)
            out.append(ArtifactOutput(p.name.value, f"{ARTIFACT_DIR}/out/{p.name.value}"))
    return tuple(out)


def _apply_specs(
    inputs: tuple[ir.Input, ...], outs: tuple[ArtifactOutput, ...],
    specs: Mapping[str, tuple[Any, cst.CSTNode]], fname: str, problem: Any,
) -> tuple[tuple[ir.Input, ...], tuple[ArtifactOutput, ...]]:
    """``@task(artifacts={"name": artifact(...)})``: archive, location and optional."""
    known = {i.name for i in inputs if i.artifact} | {o.name for o in outs}
    for name, (_, node) in specs.items():
        if name not in known:
            problem("TPH475", f"task '{fname}' has no artifact parameter '{name}' (annotate "
                    "it InputArtifact or OutputArtifact)", node)
    new_inputs = tuple(
        replace(i, optional=specs[i.name][0].optional) if i.artifact and i.name in specs else i
        for i in inputs
    )
    new_outs = tuple(
        replace(o, archive=specs[o.name][0].archive, location=specs[o.name][0].location,
                optional=specs[o.name][0].optional) if o.name in specs else o
        for o in outs
    )
    return new_inputs, new_outs


def _decorator_callee(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.func if isinstance(node, cst.Call) else node


def _inputs(fn: cst.FunctionDef, fname: str, problem: object,
            ctx: ModuleContext | None = None) -> tuple[ir.Input, ...]:
    report = problem  # Callable[[str, str, CSTNode], None]
    params = fn.params
    if isinstance(params.star_arg, cst.Param):
        report("TPH205", f"task '{fname}' takes *{params.star_arg.name.value}: a task's "  # type: ignore[operator]
               "inputs must be named parameters", params.star_arg)
    if params.star_kwarg is not None:
        report("TPH205", f"task '{fname}' takes **{params.star_kwarg.name.value}: a task's "  # type: ignore[operator]
               "inputs must be named parameters", params.star_kwarg)
    out: list[ir.Input] = []
    for p in [*params.posonly_params, *params.params, *params.kwonly_params]:
        pname = p.name.value
        if not pname.isascii():
            report("TPH206", f"parameter '{pname}' is not ASCII: Argo parameter and "  # type: ignore[operator]
                   "environment variable names must be", p.name)
        artifact = _artifact_kind(p.annotation, ctx) if ctx is not None else None
        if artifact == "out":
            continue  # not an input: the wrapper passes the path to write to
        if artifact == "in":
            out.append(ir.Input(pname, "artifact", artifact=True,
                                path=f"{ARTIFACT_DIR}/in/{pname}"))
            continue
        ann = _annotation_name(p.annotation)
        decode = "str" if ann is None or ann in _STR_ANNOTATIONS else "json"
        kind = simple_type(p.annotation)
        if decode == "json" and kind is None:
            # Any, unions such as `str | None`, other classes: the value may be JSON (another
            # task's output, a literal) or plain text (a string item of a loop, which Argo
            # substitutes unquoted): JSON when it parses, else the text as is.
            decode = "auto"
        if kind == "list" and _item_type(p.annotation) not in (None, "str"):
            # A list of JSON values may arrive as Argo's aggregate of a loop's outputs: a
            # JSON list of the encoded values, each a string. The wrapper decodes the items.
            decode = "json-items"
        if decode != "str" and p.annotation is not None:
            # str | None, Literal["a", "b"]: text (a str output is written as is), "null" for
            # None; JSON would read the text "1" as an int (tiphys.compiler.ir.types). A list
            # of them: each item so ("text-items"), as a loop's aggregated outputs arrive.
            decode = text_decode(cst.Module([]).code_for_node(p.annotation.annotation),
                                 items=kind == "list") or decode
        if p.default is None:
            out.append(ir.Input(pname, decode, type=kind))
            continue
        try:
            value = evaluate_literal(p.default)
        except NotLiteral:
            out.append(ir.Input(pname, decode, required=True, type=kind))
            continue
        if value is None and decode == "str":
            out.append(ir.Input(pname, decode, required=True, type=kind))
            continue
        out.append(ir.Input(pname, decode, True, encode_for_input(value, decode), False, kind))
    return tuple(out)


@dataclass(slots=True)
class _Carried:
    imports: list[ImportBinding]
    constants: list[ConstantBinding]
    helpers: list[tuple[FunctionBinding, str]]
    #: DSL annotation types the function names (InputArtifact, ...): defined as str.
    stubs: list[str] = field(default_factory=list)


def _carry(
    fn: cst.FunctionDef, stmt: int, code: str, ctx: ModuleContext, source: SourceFile,
    problems: list[Problem], closure: frozenset[str] = frozenset(),
    dsl_packages: frozenset[str] = _DSL_PACKAGES,
) -> _Carried:
    """Resolve the free names of *fn* and, transitively, of the helpers it calls."""
    imports: dict[str, ImportBinding] = {}
    constants: dict[str, ConstantBinding] = {}
    helpers: dict[str, tuple[FunctionBinding, str]] = {}
    stubs: set[str] = set()
    fname = fn.name.value
    work: list[tuple[cst.FunctionDef, int, str]] = [(fn, stmt, code)]
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
                    helper_text = source.function_text(binding.stmt, binding.node)
                    helpers[name] = (binding, helper_text)
                    if binding.node.decorators:
                        problems.append(Problem("TPH215", f"helper '{name}' is decorated; "
                                                "decorators are not carried into the task's "
                                                "script: remove the decorator", loc.get()))
                    if binding.node.asynchronous is None:
                        work.append((binding.node, binding.stmt, helper_text))
            else:
                problems.append(Problem("TPH216", _other_message(fname, name, binding), loc.get()))
    order = sorted
    return _Carried(
        order(imports.values(), key=lambda b: (b.stmt, b.local)),
        order(constants.values(), key=lambda b: (b.stmt, b.name)),
        order(helpers.values(), key=lambda b: b[0].stmt),
        sorted(stubs),
    )


@dataclass(frozen=True, slots=True)
class _LazyLoc:
    """The position of a free name, found (by a libcst walk) only if it is reported."""

    source: SourceFile
    stmt: int
    func: cst.FunctionDef
    name: str

    def get(self) -> Loc:
        return Loc(self.source, self.stmt, first_read(self.func, self.name))


def _resolves(name: str, ctx: ModuleContext) -> bool:
    """The common, problem-free case: bound once at module level to an import or constant."""
    return name in ctx.bindings and ctx.bind_count.get(name, 0) == 1


def _other_message(fname: str, name: str, binding: OtherBinding) -> str:
    return (
        f"task '{fname}' uses the module {binding.what} '{name}', which is not a literal "
        "constant and will not exist in the task's pod: pass it as a task parameter, or "
        "compute it inside the task"
    )


def _is_task(fn: cst.FunctionDef, ctx: ModuleContext) -> bool:
    return any(
        ctx.dsl_name(_decorator_callee(d.decorator)) == "tiphys.task" for d in fn.decorators
    )


def function_code(module: cst.Module, fn: cst.FunctionDef) -> str:
    """The function as written, decorators removed. libcst renders a nested node at column
    0 with its body's relative indentation, which dedents it without touching the contents
    of multi-line strings (``textwrap.dedent`` would)."""
    bare = fn.with_changes(decorators=(), leading_lines=(), lines_after_decorators=())
    return module.code_for_node(bare)


def _script(
    code: str, fname: str, fn: cst.FunctionDef, inputs: tuple[ir.Input, ...],
    outs: tuple[ArtifactOutput, ...], returns: bool, carried: _Carried, module: cst.Module,
) -> str:
    parts: list[str] = []
    if carried.imports:
        parts.append("\n".join(b.statement for b in carried.imports) + "\n")
    if carried.stubs:
        # The DSL's annotation types are plain paths (str) in the pod.
        parts.append("\n".join(f"{name} = str" for name in carried.stubs) + "\n")
    if carried.constants:
        parts.append("\n".join(
            f"{c.name}{module.code_for_node(c.annotation) if c.annotation else ''} = "
            f"{module.code_for_node(c.value)}"
            for c in carried.constants
        ) + "\n")
    for _, text in carried.helpers:
        parts.append(text.rstrip("\n") + "\n")
    parts.append(code.rstrip("\n") + "\n")
    parts.append(_wrapper(fn, fname, inputs, outs, returns))
    # Line ends as Python reads them (it turns \r\n and \r into \n, in strings too): the
    # same script, and the same YAML, from a checkout with CRLF line ends.
    return "\n\n".join(parts).replace("\r\n", "\n").replace("\r", "\n")


def _wrapper(fn: cst.FunctionDef, fname: str, inputs: tuple[ir.Input, ...],
             outs: tuple[ArtifactOutput, ...], returns: bool) -> str:
    posonly = {p.name.value for p in fn.params.posonly_params}
    reads = {i.name: (f"_art('in/{i.name}', False)" if i.artifact
                      else f"_arg({i.name!r}, {i.decode!r})") for i in inputs}
    reads.update({o.name: f"_art('out/{o.name}', True)" for o in outs})
    order = [p.name.value for p in
             [*fn.params.posonly_params, *fn.params.params, *fn.params.kwonly_params]]
    args = [reads[n] if n in posonly else f"{n}={reads[n]}" for n in order if n in reads]
    params = tuple(i for i in inputs if not i.artifact)
    call = f"{fname}({', '.join(args)})"
    if len(call) > 80:
        call = f"{fname}(\n" + "".join(f"        {a},\n" for a in args) + "    )"
    lines = [
        "# --- tiphys: inputs come from the environment, the return value goes to a file ---",
        "def _tiphys_main():",
        "    import json as _json, os as _os, sys as _sys",
        "",
    ]
    if inputs != params or outs:
        lines += [
            "    def _art(rel, output):",
            f"        path = _os.path.join(_os.environ.get('TIPHYS_ARTIFACTS_DIR', {ARTIFACT_DIR!r}), rel)",
            "        if output:",
            "            _os.makedirs(_os.path.dirname(path), exist_ok=True)",
            "        return path",
            "",
        ]
    if params:
        lines += [
            "    def _arg(name, decode):",
            f"        raw = _os.environ.get({INPUT_ENV_PREFIX!r} + name)",
            "        if raw is None:",
            "            _sys.exit(f'tiphys: input {name!r} was not passed')",
        ]
        if any(i.decode == "str-or-null" for i in params):
            lines += [
                "        if decode == 'str-or-null':",
                "            return None if raw == 'null' else raw",
            ]
        if any(i.decode == "auto" for i in params):
            lines += [
                "        if decode == 'auto':",
                "            try:",
                "                return _json.loads(raw)",
                "            except ValueError:",
                "                return raw",
            ]
        lines += [
            "        try:",
            "            value = raw if decode == 'str' else _json.loads(raw)",
        ]
        if any(i.decode == "text-items" for i in params):
            lines += [
                "            if decode == 'text-items' and isinstance(value, list):",
                "                value = [None if v == 'null' else v for v in value]",
            ]
        if any(i.decode == "json-items" for i in params):
            lines += [
                "            if decode == 'json-items' and isinstance(value, list):",
                "                # a loop's aggregated outputs: a JSON list of encoded values",
                "                value = [_json.loads(v) if isinstance(v, str) else v for v in value]",
            ]
        lines += [
            "            return value",
            "        except ValueError as exc:",
            "            _sys.exit(f'tiphys: input {name!r} is not valid JSON ({exc}): {raw[:200]!r}')",
            "",
        ]
    if returns:
        lines += [
            f"    _result = {call}",
            "    try:",
            "        _text = _result if isinstance(_result, str) else _json.dumps(_result, ensure_ascii=False)",
            "    except (TypeError, ValueError) as exc:",
            f"        _sys.exit(f'tiphys: the return value of {fname} cannot be JSON-encoded: {{exc}}')",
            f"    _out = _os.environ.get('TIPHYS_OUTPUT_DIR', {OUTPUT_DIR!r})",
            "    _os.makedirs(_out, exist_ok=True)",
            "    with open(_os.path.join(_out, 'return'), 'w', encoding='utf-8') as _f:",
            "        _f.write(_text)",
        ]
    else:
        lines.append(f"    {call}")
    lines += ["", "", "if __name__ == '__main__':", "    _tiphys_main()", ""]
    return "\n".join(lines)
