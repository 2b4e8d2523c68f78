"""``suspend(...)``, ``resource(...)``, ``http(...)`` and ``template_ref(...)``, read
statically into their IR task kinds, with their misuse reported at its position."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Any

from tiphys.compiler import ir
from tiphys.compiler.frontend.arguments import Signature, bind
from tiphys.compiler.frontend.options.read import DURATION
from tiphys.compiler.frontend.values import Lit, ParamVal, TaskVal
from tiphys.compiler.ir.names import FIELD_NAME, PARAM_NAME

if TYPE_CHECKING:
    from tiphys.compiler.frontend.calls.core import CallHandlers

KIND_FUNCTIONS = frozenset({"suspend", "resource", "http", "template_ref"})
RESOURCE_ACTIONS = ("get", "create", "apply", "delete", "replace", "patch")
MERGE_STRATEGIES = ("strategic", "merge", "json")
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_INPUT_TAG = re.compile(r"\{\{\s*inputs\.parameters\.([-a-zA-Z0-9_]+)\s*\}\}")
#: Any of Argo's tags, which it replaces before it parses a manifest.
_ANY_TAG = re.compile(r"\{\{.*?\}\}")


class KindHandlers:
    def __init__(self, calls: CallHandlers) -> None:
        self.calls = calls
        self.ev = calls.ev
        self.opts = calls.opts

    def error(self, code: str, message: str, node: object) -> None:
        self.ev.error(code, message, self.ev.loc(node))

    def _inputs(self, args: dict[str, ast.expr]) -> tuple[ir.Input, ...]:
        names = self.opts.string_list(args.get("inputs"), "inputs")
        self._check_names(names, args, "inputs", "input")
        return tuple(ir.Input(n, "str") for n in names)

    def _check_names(self, names: list[str], args: dict[str, ast.expr], key: str,
                     what: str) -> None:
        """Input and output names become Argo parameter names."""
        for n in names:
            if not PARAM_NAME.match(n):
                self.error("TPH450", f"{what} name {n!r} must be letters, digits, '-' and '_'",
                           args[key])

    def _check_tags(self, text: str, inputs: tuple[ir.Input, ...], node: object,
                    what: str) -> None:
        declared = {i.name for i in inputs}
        for used in _INPUT_TAG.findall(text):
            if used not in declared:
                self.error("TPH451", f"{what} reads {{{{inputs.parameters.{used}}}}}, which is "
                           f"not declared: add '{used}' to inputs=[...]", node)

    def call(self, short: str, call: ast.Call) -> TaskVal:
        handler = {"suspend": self._suspend, "resource": self._resource, "http": self._http,
                   "template_ref": self._template_ref}[short]
        return handler(call)

    def _suspend(self, call: ast.Call) -> TaskVal:
        b = bind(call, Signature(("name",), ("duration", "outputs", "inputs"), ("name",)),
                 "suspend()")
        self.calls.report(b.problems)
        name = self.opts.required_string(b.args.get("name"), "name") or "suspend"
        duration: str | None = None
        if "duration" in b.args:
            value = self.opts.lit(b.args["duration"], "duration", "a duration or seconds")
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                duration = str(value)
            elif isinstance(value, str) and DURATION.match(value):
                duration = value
            elif value is not None:
                self.error("TPH452", "a suspend duration is a positive number of seconds or a "
                           "duration such as \"10m\"", b.args["duration"])
        supplied, prompts = self._supplied(b.args.get("outputs"))
        self._check_names(list(supplied), b.args, "outputs", "output")
        inputs = self._inputs(b.args)
        for prompt in prompts:
            if prompt.default is not None and prompt.name in {i.name for i in inputs}:
                self.error("TPH457", f"output '{prompt.name}' has a default, which Argo shows "
                           "as an input of the same name; the template already has that input",
                           b.args["outputs"])
        loc = self.ev.loc(call)
        task = ir.SuspendTask(name, duration, supplied, inputs, ir.TaskOptions(), loc,
                              tuple(prompts))
        return TaskVal(task, name, loc)

    def _supplied(self, node: ast.expr | None) -> tuple[tuple[str, ...], list[ir.Prompt]]:
        """A suspend's ``outputs=[...]``: names, or ``supplied(name, default=, enum=)``."""
        from tiphys.compiler.frontend.nodes import unstarred
        from tiphys.compiler.frontend.options.helper_values import HelperVal, helper

        if node is None:
            return (), []
        if not isinstance(node, (ast.List, ast.Tuple)):
            return tuple(self.opts.string_list(node, "outputs")), []
        names: list[str] = []
        prompts: list[ir.Prompt] = []
        for el in node.elts:
            el = unstarred(el)
            value = self.ev.expr(el)
            found = helper(value, ("supplied",))
            if found is not None:
                if found.value is not None:
                    prompts.append(found.value)
                    names.append(found.value.name)
                continue
            if isinstance(value, HelperVal):  # another helper: said where it belongs
                self.opts.bad(el, "outputs", "output names or supplied(...)")
                continue
            if isinstance(value, Lit) and isinstance(value.value, str):
                names.append(value.value)
            else:
                self.opts.bad(el, "outputs", "output names or supplied(...)")
        for n in sorted({n for n in names if names.count(n) > 1}):
            self.error("TPH457", f"output '{n}' is listed twice", node)
        return tuple(dict.fromkeys(names)), prompts

    def _resource(self, call: ast.Call) -> TaskVal:
        b = bind(call, Signature(
            ("name", "action", "manifest"),
            ("inputs", "success_condition", "failure_condition", "set_owner_reference",
             "merge_strategy", "outputs"),
            ("name", "action"),
        ), "resource()")
        self.calls.report(b.problems)
        name = self.opts.required_string(b.args.get("name"), "name") or "resource"
        action = self.opts.required_string(b.args.get("action"), "action") or "create"
        if "action" in b.args and action not in RESOURCE_ACTIONS:
            self.error("TPH453", f"resource action '{action}' is not one of " +
                       ", ".join(RESOURCE_ACTIONS), b.args["action"])
        inputs = self._inputs(b.args)
        manifest: str | None = None
        params: list[ParamVal] = []  # read by an f-string manifest
        if "manifest" in b.args:
            found, text = self.opts.fstring(b.args["manifest"], "manifest", params)
            value = text if found else self.opts.lit(b.args["manifest"], "manifest",
                                                     "a dict or YAML text")
            if isinstance(value, dict):
                import yaml  # only for manifests: a compile otherwise never loads PyYAML

                manifest = yaml.safe_dump(value, sort_keys=False, default_flow_style=False)
            elif isinstance(value, str):
                manifest = value
            elif value is not None:
                self.error("TPH454", "a manifest is a dict literal or YAML text",
                           b.args["manifest"])
            if manifest is not None:
                doc = self._check_manifest(manifest, b.args["manifest"])
                self._check_tags(manifest, inputs, b.args["manifest"], "the manifest")
                meta = doc.get("metadata") if doc is not None else None
                if action != "create" and isinstance(meta, dict) and \
                        meta.get("generateName") and not meta.get("name"):
                    # kubectl apply/replace/patch/get/delete find the object by its name.
                    self.error("TPH453", f"resource action '{action}' needs metadata.name; a "
                               "manifest with only generateName can only be created: use "
                               "action 'create'", b.args["action"])
        elif action not in ("get", "delete"):
            self.error("TPH454", f"resource action '{action}' needs a manifest", call)
        merge = self.opts.string(b.args.get("merge_strategy"), "merge_strategy")
        if merge is not None and merge not in MERGE_STRATEGIES:
            self.error("TPH453", "merge_strategy is one of " + ", ".join(MERGE_STRATEGIES),
                       b.args["merge_strategy"])
        outputs = self.opts.string_map(b.args.get("outputs"), "outputs")
        self._check_names([n for n, _ in outputs], b.args, "outputs", "output")
        if any(not path for _, path in outputs):
            self.opts.bad(b.args["outputs"], "outputs", "a dict of output names to JSON paths "
                          "such as \"{.metadata.name}\" (not empty)")
        owner = self.opts.lit(b.args.get("set_owner_reference"), "set_owner_reference",
                              "True or False")
        loc = self.ev.loc(call)
        task = ir.ResourceTask(
            name, action, manifest,
            self.opts.string(b.args.get("success_condition"), "success_condition"),
            self.opts.string(b.args.get("failure_condition"), "failure_condition"),
            owner is True, merge, tuple(outputs), inputs, ir.TaskOptions(), loc,
        )
        self.ev.option_params[id(task)] = params
        return TaskVal(task, name, loc)

    def _check_manifest(self, text: str, node: object) -> dict[str, Any] | None:
        """The manifest as data (tags replaced), or None when it is not one object."""
        import yaml  # only for manifests: a compile otherwise never loads PyYAML

        try:
            doc: Any = yaml.safe_load(_ANY_TAG.sub("x", text))
        except yaml.YAMLError as exc:
            self.error("TPH455", f"the manifest is not valid YAML: {str(exc).splitlines()[0]}",
                       node)
            return None
        if not (isinstance(doc, dict) and doc.get("apiVersion") and doc.get("kind")):
            self.error("TPH455", "a manifest is one Kubernetes object, with apiVersion and kind",
                       node)
            return None
        return doc

    def _http(self, call: ast.Call) -> TaskVal:
        b = bind(call, Signature(
            ("name", "url"),
            ("method", "headers", "body", "success_condition", "timeout", "insecure", "inputs"),
            ("name", "url"),
        ), "http()")
        self.calls.report(b.problems)
        name = self.opts.required_string(b.args.get("name"), "name") or "http"
        params: list[ParamVal] = []  # read by f-strings in the url, headers and body
        url = self.opts.required_string(b.args.get("url"), "url", params=params) or ""
        inputs = self._inputs(b.args)
        if url and not re.match(r"^(https?://|\{\{)", url):
            self.error("TPH456", f"'{url}' is not an http(s) URL", b.args["url"])
        if "url" in b.args:
            self._check_tags(url, inputs, b.args["url"], "the URL")
        method = (self.opts.string(b.args.get("method"), "method") or "GET").upper()
        if method not in HTTP_METHODS:
            self.error("TPH456", f"HTTP method '{method}' is not one of " +
                       ", ".join(HTTP_METHODS), b.args["method"])
        found, text = self.opts.fstring(b.args.get("body"), "body", params)
        body = text if found else self.opts.string(b.args.get("body"), "body")
        if body is not None:
            self._check_tags(body, inputs, b.args["body"], "the body")
        timeout = self.opts.integer(b.args.get("timeout"), "timeout", 1) \
            if "timeout" in b.args else None
        insecure = self.opts.lit(b.args.get("insecure"), "insecure", "True or False")
        loc = self.ev.loc(call)
        task = ir.HttpTask(
            name, url, method,
            tuple(self.opts.string_map(b.args.get("headers"), "headers", params=params)),
            body, self.opts.string(b.args.get("success_condition"), "success_condition"),
            timeout, insecure is True, inputs, ir.TaskOptions(), loc,
        )
        self.ev.option_params[id(task)] = params
        return TaskVal(task, name, loc)

    def _template_ref(self, call: ast.Call) -> TaskVal:
        b = bind(call, Signature(
            ("workflow_template", "template"), ("cluster", "inputs", "outputs", "name"),
            ("workflow_template", "template"),
        ), "template_ref()")
        self.calls.report(b.problems)
        wft = self.opts.required_string(b.args.get("workflow_template"),
                                        "workflow_template") or ""
        template = self.opts.required_string(b.args.get("template"), "template") or ""
        if template and not FIELD_NAME.match(template):
            self.error("TPH460", f"'{template}' is not a valid template name",
                       b.args["template"])
        name = self.opts.string(b.args.get("name"), "name") or template or "ref"
        cluster = self.opts.lit(b.args.get("cluster"), "cluster", "True or False")
        outputs = tuple(self.opts.string_list(b.args.get("outputs"), "outputs"))
        self._check_names(list(outputs), b.args, "outputs", "output")
        loc = self.ev.loc(call)
        task = ir.TemplateRefTask(name, wft, template, cluster is True, self._inputs(b.args),
                                  outputs, ir.TaskOptions(), loc)
        return TaskVal(task, name, loc)
