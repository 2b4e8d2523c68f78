"""``container_set(...)`` with its ``container_node(...)`` members, ``data(...)`` and
``plugin(...)``, read statically into their IR task kinds (TPH549-TPH553)."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tiphys.compiler import ir
from tiphys.compiler.frontend.arguments import Signature, bind
from tiphys.compiler.frontend.calls.artifacts import LocationVal
from tiphys.compiler.frontend.options.helper_values import read_env, read_resources
from tiphys.compiler.frontend.options.k8s_fragments import to_json
from tiphys.compiler.frontend.values import Lit, ParamVal, TaskVal, Unknown, Value, describe
from tiphys.compiler.ir.artifacts import ArtifactOutput
from tiphys.compiler.ir.loc import Loc
from tiphys.compiler.ir.names import PARAM_NAME

if TYPE_CHECKING:
    from tiphys.compiler.frontend.calls.core import CallHandlers

POD_KIND_FUNCTIONS = frozenset({"container_set", "container_node", "data", "plugin"})
#: Options a containerSet takes (it has no main container of its own).
SET_OPTIONS = ("volumes", "retries", "timeout", "active_deadline", "node_selector",
               "service_account", "labels", "annotations")
#: Names Argo gives containers of its own in every pod.
_RESERVED = ("init", "wait")
_DNS_LABEL = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z"


@dataclass(frozen=True, slots=True)
class ContainerNodeVal(Unknown):
    """What ``container_node(...)`` evaluates to: only ``container_set`` takes it."""

    node: ir.ContainerNode | None = None
    #: Dependencies written as other container_node values, by their names.
    loc: Loc | None = None
    #: Workflow parameters its f-strings read (image, env, ...): the set's template holds them.
    params: tuple[ParamVal, ...] = ()


class PodKindHandlers:
    def __init__(self, calls: CallHandlers) -> None:
        self.calls = calls
        self.ev = calls.ev
        self.opts = calls.opts

    def error(self, code: str, message: str, node: object) -> None:
        self.ev.error(code, message, node if isinstance(node, Loc) else self.ev.loc(node))

    def call(self, short: str, call: ast.Call) -> Value:
        handler = {"container_set": self._container_set, "container_node": self._node,
                   "data": self._data, "plugin": self._plugin}[short]
        return handler(call)

    def _inputs(self, args: dict[str, ast.expr]) -> tuple[ir.Input, ...]:
        names = self.opts.string_list(args.get("inputs"), "inputs")
        for n in names:
            if not PARAM_NAME.match(n):
                self.error("TPH450", f"input name {n!r} must be letters, digits, '-' and '_'",
                           args["inputs"])
        return tuple(ir.Input(n, "str") for n in names)

    # -- containerSet ------------------------------------------------------------------------

    def _node(self, call: ast.Call) -> Value:
        b = bind(call, Signature(("name", "image"), ("command", "args", "env", "env_from", "cpu",
                                                      "memory", "working_dir", "after"),
                                 ("name", "image")), "container_node()")
        self.calls.report(b.problems)
        name = self.opts.required_string(b.args.get("name"), "name") or ""
        params: list[ParamVal] = []  # read by f-strings in its image, command, args, env, ...
        image = self.opts.image(b.args.get("image"), required=True, params=params) or ""
        if name and (not re.match(_DNS_LABEL, name) or name in _RESERVED):
            self.error("TPH549", f"container name '{name}' must be a DNS label (lower-case "
                       "letters, digits and '-') and not 'init' or 'wait'", b.args["name"])
            name = ""
        after: list[str] = []
        if "after" in b.args:
            for el, at in self.ev.expr_list(b.args["after"]) or [
                    (self.ev.expr(b.args["after"]), b.args["after"])]:
                if isinstance(el, ContainerNodeVal) and el.node is not None:
                    after.append(el.node.name)
                elif isinstance(el, Lit) and isinstance(el.value, str):
                    after.append(el.value)
                else:
                    self.error("TPH549", "'after' lists the containers of the same set that "
                               "run first: container_node(...) values or their names; this is "
                               f"{describe(el)}", at)
        env = read_env(self.opts, b.args.get("env"), frozenset(), params=params)
        env_from = self.calls.task_opts.extras.env_sources(b.args.get("env_from"))
        resources = read_resources(self.opts, b.args)
        found, text = self.opts.fstring(b.args.get("working_dir"), "working_dir", params)
        working_dir = text if found else self.opts.string(b.args.get("working_dir"),
                                                          "working_dir")
        if working_dir is not None and not working_dir.startswith(("/", "{{")):
            self.error("TPH546", f"working_dir {working_dir!r} must be an absolute path",
                       b.args["working_dir"])
            working_dir = None
        if b.problems or not name or not image:
            return ContainerNodeVal("a broken container_node()")
        member = ir.ContainerNode(
            name, image, self.opts.optional_string_list(b.args.get("command"), "command", params),
            self.opts.optional_string_list(b.args.get("args"), "args", params), tuple(after),
            tuple(env.literals), resources, working_dir, env.refs, env_from)
        return ContainerNodeVal("container_node(...), a member of a container_set()", member,
                                self.ev.loc(call), tuple(params))

    def _container_set(self, call: ast.Call) -> Value:
        b = bind(call, Signature(("name", "containers"), ("inputs", "outputs", "output_artifacts",
                                                       *SET_OPTIONS),
                                 ("name", "containers")), "container_set()")
        self.calls.report(b.problems)
        name = self.opts.required_string(b.args.get("name"), "name") or "container-set"
        loc = self.ev.loc(call)
        nodes: list[tuple[ir.ContainerNode, Loc]] = []
        params: list[ParamVal] = []  # read by f-strings of its members, labels, ...
        broken = bool(b.problems)
        if "containers" in b.args:
            items = self.ev.expr_list(b.args["containers"])
            if not items:
                self.error("TPH549", "a container_set needs a non-empty list of "
                           "container_node(...) values", b.args["containers"])
                broken = True
            for value, node in items or []:
                if isinstance(value, ContainerNodeVal):
                    if value.node is None:
                        broken = True  # reported where it is written
                    else:
                        nodes.append((value.node, value.loc or self.ev.loc(node)))
                        params += value.params
                else:
                    self.error("TPH549", "a container_set's containers are container_node(...) "
                               f"values; this is {describe(value)}", node)
                    broken = True
        broken |= not self._check_graph(nodes)
        outputs = self.opts.string_map(b.args.get("outputs"), "outputs")
        for n, _ in outputs:
            if not PARAM_NAME.match(n) or n == "result":
                self.error("TPH450", f"output name {n!r} must be letters, digits, '-' and '_' "
                           "(and not 'result', the main container's output)", b.args["outputs"])
                broken = True
        options = self.calls.task_opts.read(b.args, params)
        artifacts = []
        for n, path in self.opts.string_map(b.args.get("output_artifacts"), "output_artifacts"):
            if not PARAM_NAME.match(n) or not path.startswith("/"):
                self.error("TPH476", f"output artifact '{n}' needs a name of letters, digits, "
                           "'-' and '_', and an absolute path", b.args["output_artifacts"])
                broken = True
            artifacts.append(ArtifactOutput(n, path))
        if broken:
            self.calls.loops.check_input_refs(None)
            return TaskVal(None, name, loc)
        task = ir.ContainerSetTask(name, tuple(n for n, _ in nodes), self._inputs(b.args),
                                   tuple(outputs), options, loc, tuple(artifacts))
        params += self.calls.loops.check_input_refs(task)  # from_input()/param() in options
        self.ev.option_params[id(task)] = params
        return TaskVal(task, name, loc)

    def _check_graph(self, nodes: list[tuple[ir.ContainerNode, Loc]]) -> bool:
        """Unique names, dependencies inside the set, no cycle."""
        ok = True
        seen: dict[str, ir.ContainerNode] = {}
        for n, at in nodes:
            if n.name in seen:
                self.error("TPH550", f"two containers of the set are named '{n.name}'", at)
                ok = False
            seen[n.name] = n
        for n, at in nodes:
            for dep in n.dependencies:
                if dep not in seen:
                    self.error("TPH550", f"container '{n.name}' runs after '{dep}', which is "
                               "not in the same container_set", at)
                    ok = False
        state: dict[str, int] = {}

        def visit(name: str) -> bool:
            if state.get(name) == 1:
                return False
            if state.get(name) == 2 or name not in seen:
                return True
            state[name] = 1
            good = all(visit(d) for d in seen[name].dependencies)
            state[name] = 2
            return good

        for n, at in nodes:
            if not visit(n.name):
                self.error("TPH550", f"the containers of the set wait for each other in a "
                           f"cycle, through '{n.name}'", at)
                return False
        return ok

    # -- data and plugin ---------------------------------------------------------------------

    def _data(self, call: ast.Call) -> Value:
        b = bind(call, Signature(("name", "source", "transformations"),
                                 ("source_name", "inputs"),
                                 ("name", "source", "transformations")), "data()")
        self.calls.report(b.problems)
        name = self.opts.required_string(b.args.get("name"), "name") or "data"
        loc = self.ev.loc(call)
        source = self.ev.expr(b.args["source"]) if "source" in b.args else None
        location = source.location if isinstance(source, LocationVal) else None
        if source is not None and not isinstance(source, LocationVal):
            self.error("TPH551", "a data template's source is a storage location such as "
                       f"s3_artifact(bucket, prefix); this is {describe(source)}",
                       b.args["source"])
        expressions = self.opts.string_list(b.args.get("transformations"), "transformations")
        if "transformations" in b.args and (not expressions or not all(e.strip()
                                                                     for e in expressions)):
            self.error("TPH551", "transformations is a non-empty list of expressions over "
                       "'data', such as 'filter(data, {# endsWith \".csv\"})'",
                       b.args["transformations"])
            expressions = []
        source_name = self.opts.string(b.args.get("source_name"), "source_name") or "source"
        if location is None or not expressions or b.problems:
            return TaskVal(None, name, loc)
        task = ir.DataTask(name, source_name, location, tuple(expressions),
                           self._inputs(b.args), ir.TaskOptions(), loc)
        return TaskVal(task, name, loc)

    def _plugin(self, call: ast.Call) -> Value:
        b = bind(call, Signature(("name", "plugin", "config"), ("inputs",),
                                 ("name", "plugin", "config")), "plugin()")
        self.calls.report(b.problems)
        name = self.opts.required_string(b.args.get("name"), "name") or "plugin"
        plugin = self.opts.required_string(b.args.get("plugin"), "plugin") or ""
        loc = self.ev.loc(call)
        if plugin and not re.match(_DNS_LABEL, plugin):
            self.error("TPH552", f"plugin name '{plugin}' must be a DNS label (lower-case "
                       "letters, digits and '-'), as the plugin's ConfigMap names it",
                       b.args["plugin"])
            plugin = ""
        config: Any = self.opts.lit(b.args.get("config"), "config", "a dict literal")
        if "config" in b.args and not isinstance(config, dict):
            if config is not None:
                self.error("TPH552", "a plugin's config is a dict literal (the plugin's own "
                           "fields)", b.args["config"])
            config = None
        inputs = self._inputs(b.args)
        if config is not None:
            self._check_tags(to_json(config), inputs, b.args["config"])
        if not plugin or config is None or b.problems:
            return TaskVal(None, name, loc)
        return TaskVal(ir.PluginTask(name, plugin, to_json(config), inputs, ir.TaskOptions(),
                                     loc), name, loc)

    def _check_tags(self, config: Any, inputs: tuple[ir.Input, ...], node: object) -> None:
        declared = {i.name for i in inputs}
        text = json.dumps(config)
        for used in re.findall(r"\{\{\s*inputs\.parameters\.([-a-zA-Z0-9_]+)\s*\}\}", text):
            if used not in declared:
                self.error("TPH553", f"the plugin's config reads {{{{inputs.parameters.{used}}}}}"
                           f", which is not declared: add '{used}' to inputs=[...]", node)
