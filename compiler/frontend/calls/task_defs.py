"""Task definitions: ``@task`` functions, ``task(fn)``, ``bash(...)`` and ``container(...)``."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from tiphys.compiler import ir
from tiphys.compiler.frontend.arguments import Signature, bind, call_args
from tiphys.compiler.frontend.options.declared import TASK_OPTIONS
from tiphys.compiler.frontend.scripts.python_script import build_python_task
from tiphys.compiler.frontend.source import NameOf
from tiphys.compiler.frontend.values import ParamVal, TaskVal
from tiphys.compiler.ir.artifacts import ArtifactOutput
from tiphys.compiler.ir.names import PARAM_NAME

if TYPE_CHECKING:
    from tiphys.compiler.frontend.calls.core import CallHandlers


def python_name(name: str) -> str:
    return name.replace("_", "-")


class TaskDefinitions:
    def __init__(self, calls: CallHandlers) -> None:
        self.calls = calls
        self.ev = calls.ev
        self.opts = calls.opts
        self.task_opts = calls.task_opts
        self.artifacts = calls.artifacts


    def python_task(self, fn: ast.FunctionDef | ast.AsyncFunctionDef,
                    decorator: ast.expr) -> TaskVal:
        ev = self.ev
        name = python_name(fn.name)
        options = ir.TaskOptions()
        params: list[ParamVal] = []  # read by f-strings in the template's own fields
        if isinstance(decorator, ast.Call):
            b = bind(decorator, Signature((), ("name", *TASK_OPTIONS, "artifacts")), "@task")
            self.calls.report(b.problems)
            if "name" in b.args:
                name = self.opts.string(b.args["name"], "name") or name
            options = self.task_opts.read(b.args, params)
            specs = self.artifacts.specs(b.args.get("artifacts"))
        else:
            specs = {}
        built = build_python_task(fn, ev.stmt, name, options, ev.ctx, ev.source,
                                  artifact_specs=specs)
        for p in built.problems:
            ev.error(p.code, p.message, p.loc)
        for p in built.warnings:
            ev.warning(p.code, p.message, p.loc)
        params += self.calls.loops.check_input_refs(built.task)  # timeout=/retries= param()
        if built.task is not None:
            ev.option_params[id(built.task)] = params
        return TaskVal(built.task, name, ev.loc(NameOf(fn)))

    def from_call(self, call: ast.Call) -> TaskVal:
        """``task(fn)`` or ``task(name=...)(fn)`` written as a call, not a decorator."""
        ev = self.ev
        args = call_args(call)
        if args and isinstance(args[0].value, ast.Lambda):
            ev.error("TPH208", "a lambda cannot be a task: its source is not a function that "
                     "can be shipped; write a 'def' and decorate it with @task",
                     ev.loc(args[0].value))
            return TaskVal(None, "lambda", ev.loc(call))
        if len(args) == 1 and args[0].keyword is None and not args[0].star and \
                isinstance(args[0].value, ast.Name):
            binding = ev.ctx.bindings.get(args[0].value.id)
            from tiphys.compiler.frontend.module_context import FunctionBinding

            if isinstance(binding, FunctionBinding):
                built = build_python_task(binding.node, binding.stmt,
                                          python_name(binding.node.name), ir.TaskOptions(),
                                          ev.ctx, ev.source)
                for p in built.problems:
                    ev.error(p.code, p.message, p.loc)
                return TaskVal(built.task, python_name(binding.node.name), ev.loc(call))
        ev.error("TPH105", "use @task as a decorator on a module-level function "
                 "(or task(function_name))", ev.loc(call))
        return TaskVal(None, "task", ev.loc(call))

    def script_task(self, call: ast.Call, kind: str) -> TaskVal:
        ev = self.ev
        art = ("input_artifacts", "output_artifacts", "artifacts")
        if kind == "bash":
            sig = Signature(("name", "source"), ("inputs", "shell", *TASK_OPTIONS, *art),
                            ("name", "source"))
        elif kind == "script":
            sig = Signature(("name", "source"), ("command", "inputs", *TASK_OPTIONS, *art),
                            ("name", "source", "image", "command"))
        else:
            sig = Signature(("name", "image"), ("command", "args", "inputs", "outputs",
                                                *[o for o in TASK_OPTIONS if o != "image"], *art),
                            ("name", "image"))
        b = bind(call, sig, f"{kind}()")
        self.calls.report(b.problems)
        name = self.opts.required_string(b.args.get("name"), "name") or kind
        inputs = tuple(
            ir.Input(n, "str") for n in self.opts.string_list(b.args.get("inputs"), "inputs")
        )
        self._check_param_names([i.name for i in inputs], b.args, "inputs", "input")
        params: list[ParamVal] = []  # read by f-strings in the template's own fields
        options = self.task_opts.read(b.args, params)
        loc = ev.loc(call)
        art_inputs, art_outputs = self._file_artifacts(b.args)
        inputs += art_inputs
        if b.problems:
            self.calls.loops.check_input_refs(None)
            return TaskVal(None, name, loc)
        # param() in timeout=/retries= is read like the f-strings of the template's fields.
        params += self.calls.loops.check_input_refs(
            ir.BashTask(name, "", inputs, options, loc, ()))
        if kind in ("bash", "script"):
            source = self.opts.required_string(b.args.get("source"), "source",
                                               empty_ok=True, params=params) or ""
            shell = self.calls.loops.shell(b.args.get("shell"))
            command = None
            if kind == "script":
                command = tuple(self.opts.optional_string_list(
                    b.args.get("command"), "command", params) or ())
                if not command or not all(command):
                    self.opts.bad(b.args["command"], "command", "the interpreter and its "
                                  "options, such as [\"node\"] or [\"ruby\", \"-w\"]")
                    return TaskVal(None, name, loc)
            bash = ir.BashTask(name, source, inputs, options, loc, art_outputs, shell, command)
            self.ev.option_params[id(bash)] = params
            return TaskVal(bash, name, loc)
        image = self.opts.image(b.args.get("image"), required=True, params=params) or ""
        command = self.opts.optional_string_list(b.args.get("command"), "command", params)
        args = self.opts.optional_string_list(b.args.get("args"), "args", params)
        outputs = self.opts.string_map(b.args.get("outputs"), "outputs")
        self._check_param_names([n for n, _ in outputs], b.args, "outputs", "output")
        if any(not path for _, path in outputs):
            self.opts.bad(b.args["outputs"], "outputs", "a dict of output names to the files "
                          "that hold them (not empty paths)")
        task = ir.ContainerTask(name, image, command, args, inputs, tuple(outputs), options,
                                loc, art_outputs)
        self.ev.option_params[id(task)] = params
        return TaskVal(task, name, loc)

    def _check_param_names(self, names: list[str], args: dict[str, ast.expr],
                           key: str, what: str) -> None:
        """Declared inputs and outputs become Argo parameter names."""
        for n in names:
            if not PARAM_NAME.match(n):
                self.ev.error("TPH450", f"{what} name {n!r} must be letters, digits, '-' and "
                              "'_'", self.ev.loc(args[key]))

    def _file_artifacts(
        self, args: dict[str, ast.expr]
    ) -> tuple[tuple[ir.Input, ...], tuple[ArtifactOutput, ...]]:
        """``input_artifacts``/``output_artifacts`` ({name: path}) and their settings."""
        specs = self.artifacts.specs(args.get("artifacts"))
        inputs = []
        for name, path in self.opts.string_map(args.get("input_artifacts"), "input_artifacts"):
            spec = specs.pop(name, None)
            inputs.append(ir.Input(name, "artifact", artifact=True, path=path,
                                   optional=bool(spec and spec[0].optional)))
        outputs = []
        for name, path in self.opts.string_map(args.get("output_artifacts"), "output_artifacts"):
            spec = specs.pop(name, None)
            outputs.append(ArtifactOutput(
                name, path, spec[0].archive if spec else None,
                spec[0].location if spec else None, bool(spec and spec[0].optional)))
        for name, (_, node) in specs.items():
            self.ev.error("TPH475", f"no artifact named '{name}' in input_artifacts or "
                          "output_artifacts", self.ev.loc(node))
        for paths, what in ((args.get("input_artifacts"), "input"),
                            (args.get("output_artifacts"), "output")):
            if paths is None:
                continue
            for name, path in self.opts.string_map(paths, f"{what}_artifacts"):
                if not path.startswith("/"):
                    self.ev.error("TPH476", f"{what} artifact '{name}' needs an absolute path",
                                  self.ev.loc(paths))
        return tuple(inputs), tuple(outputs)
