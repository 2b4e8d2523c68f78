"""Reading the literal options of DSL calls: task resources, env, volumes, workflow settings."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Any

from tiphys.compiler import ir
from tiphys.compiler.frontend.arguments import Signature, bind
from tiphys.compiler.frontend.options.param_defaults import with_defaults
from tiphys.compiler.frontend.values import (
    InterpVal,
    Lit,
    MountVal,
    ParamVal,
    Unknown,
    Value,
    VolumeClaimVal,
    VolumeVal,
    WorkflowVarVal,
    describe,
)

if TYPE_CHECKING:
    from tiphys.compiler.frontend.evaluate import Evaluator

#: A Go duration (``time.ParseDuration``) as Argo accepts for ``timeout``.
DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+\Z")
_DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}


def duration_seconds(text: str) -> float:
    return sum(float(n) * _UNIT_SECONDS[u] for n, u in _DURATION_PART.findall(text))


class OptionReader:
    def __init__(self, ev: Evaluator) -> None:
        self.ev = ev
        #: id(f-string node) -> its value, as :meth:`template_text` evaluated it.
        self._fstrings: dict[int, Value] = {}

    def lit(self, node: ast.expr | None, what: str, expected: str) -> Any:
        if node is None:
            return None
        value = self.ev.expr(node)
        if isinstance(value, Lit):
            return value.value
        if isinstance(value, InterpVal):
            self.no_fstring(node, what)
        else:
            self.ev.error("TPH130", f"'{what}' must be {expected} written in the file; this "
                          f"is {describe(value)}", self.ev.loc(node))
        return None

    def no_fstring(self, node: ast.expr, what: str, why: str = "") -> None:
        """TPH519: an f-string of template values in a field that takes none."""
        self.ev.error("TPH519", f"'{what}' takes no f-string of template values: " + (
            why or "write it out. f-strings of param(...) and workflow_name work in the text "
            "fields of a template (a task's image, command, args, source, env values, "
            "working_dir, labels, annotations, node_selector values, pod_spec_patch, sidecars, "
            "init containers, memoize key and mutex names; a container_set's members; a "
            "resource manifest; an http call) and in a workflow's image, run_metadata and "
            "mutex names"), self.ev.loc(node))

    def template_text(self, node: ast.expr, params: list[ParamVal],
                      scope: str = "template") -> str | None:
        """An f-string of ``param(...)``, ``workflow_name`` or ``workflow_status`` written in a
        template's own field (a container's args, a bash source): the text with Argo's global
        tags, each parameter recorded in *params*; None when *node* is no such f-string.
        With *scope* "workflow" (a field of the workflow's spec, which Argo fills in before
        the run has a status), ``workflow_status`` is not one."""
        if not self.fstring_node(node):
            value = self.ev.expr(node)  # a plain string beside the f-strings of a list
            return value.value if isinstance(value, Lit) and isinstance(value.value, str) \
                else None
        value = self._fstrings[id(node)] = self.ev.expr(node)  # once: it may report TPH508
        if isinstance(value, (ParamVal, WorkflowVarVal)):
            value = InterpVal((value,))  # a bare parameter is the f-string of it alone
        if isinstance(value, Lit) and isinstance(value.value, str):
            return value.value
        if not isinstance(value, InterpVal) or not all(
                isinstance(p, (str, ParamVal, WorkflowVarVal)) for p in value.parts):
            return None
        if scope == "workflow" and any(isinstance(p, WorkflowVarVal) and
                                       p.variable != "workflow.name" for p in value.parts):
            return None
        text: list[str] = []
        for part in value.parts:
            if isinstance(part, ParamVal):
                params.append(part)
                text.append(f"{{{{workflow.parameters.{part.name}}}}}")
            elif isinstance(part, WorkflowVarVal):
                text.append(f"{{{{{part.variable}}}}}")
            elif isinstance(part, str):
                text.append(part)
        return "".join(text)

    def fstring_node(self, node: ast.expr) -> bool:
        """An f-string written here, or a name bound to one (``greeting = f"hi {who}"``), to
        a ``param(...)`` or to ``workflow_name``/``workflow_status`` (the f-string of it)."""
        return isinstance(node, ast.JoinedStr) or (
            isinstance(node, ast.Name) and
            isinstance(self.ev.expr(node), (InterpVal, ParamVal, WorkflowVarVal)))

    def not_global(self, node: ast.expr, what: str, scope: str = "template") -> None:
        value = self._fstrings.get(id(node))
        if isinstance(value, Unknown) and value.reason == "a broken f-string":
            return  # TPH508, said where it is written
        if scope == "workflow":
            self.ev.error("TPH511", f"an f-string in the workflow's '{what}' may hold only "
                          "param(...) and workflow_name: Argo fills in the workflow's own "
                          "fields when the run starts, before any task has run (and before "
                          "workflow_status means anything)", self.ev.loc(node))
            return
        self.ev.error("TPH511", f"an f-string in '{what}' may hold only param(...), "
                      "workflow_name and workflow_status (Argo fills them in anywhere); pass "
                      "anything else as an input of the task and write "
                      "'{{inputs.parameters.NAME}}'", self.ev.loc(node))

    def fstring(self, node: ast.expr | None, what: str, params: list[ParamVal] | None,
                scope: str = "template") -> tuple[bool, str | None]:
        """(True, text) when *node* is an f-string and the field takes one (*params* given):
        the text with Argo's tags, or None after TPH511/TPH508 said why not. (False, None)
        for anything else, which the field's own reader reads."""
        if params is None or node is None or not self.fstring_node(node):
            return False, None
        found: list[ParamVal] = []
        text = self.template_text(node, found, scope)
        if text is None:
            self.not_global(node, what, scope)
            return True, None
        params += found
        return True, text

    def bad(self, node: object, what: str, expected: str) -> None:
        self.ev.error("TPH131", f"'{what}' must be {expected}", self.ev.loc(node))

    def string(self, node: ast.expr | None, what: str) -> str | None:
        value = self.lit(node, what, "a string literal")
        if value is None or isinstance(value, str):
            return value
        assert node is not None
        self.bad(node, what, "a string")
        return None

    def required_string(self, node: ast.expr | None, what: str,
                        empty_ok: bool = False,
                        params: list[ParamVal] | None = None) -> str | None:
        """A string the call cannot do without: ``None`` (or, unless *empty_ok*, ``""``)
        written for it is TPH131. A missing argument is the binder's to report. With
        *params*, an f-string of workflow values is accepted (:meth:`template_text`)."""
        if node is None:
            return None
        if params is not None and self.fstring_node(node):
            text = self.template_text(node, params)
            if text is None:
                self.not_global(node, what)
            return text
        value = self.lit(node, what, "a string literal")
        if isinstance(value, str) and (value or empty_ok):
            return value
        if value is not None or isinstance(self.ev.expr(node), Lit):  # not reported yet
            self.bad(node, what, "a string" if empty_ok else "a non-empty string")
        return None

    def image(self, node: ast.expr | None, required: bool = False,
              params: list[ParamVal] | None = None, scope: str = "template") -> str | None:
        """An image reference: not empty, no white space (outside Argo's ``{{...}}`` tags);
        with *required*, ``None`` is not one either. With *params*, an f-string of workflow
        values (``f"python:{py}"``) is one too."""
        found, text = self.fstring(node, "image", params, scope)
        value = text if found else self.string(node, "image")
        if found and text is None:
            return None
        if node is None:
            return value
        if value is None and not (required and isinstance(self.ev.expr(node), Lit)):
            return None
        if not value or re.search(r"\s", re.sub(r"\{\{.*?\}\}", "", value)):
            self.bad(node, "image", "an image reference such as \"python:3.12-slim\"")
            return None
        filled = with_defaults(value, params) if found else None
        if isinstance(filled, str) and (not filled or re.search(r"\s", filled)):
            self.bad(node, "image", "an image reference with the parameters' defaults "
                     f"filled in; it would be {filled!r}")
            return None
        return value

    def integer(self, node: ast.expr | None, what: str, minimum: int = 0) -> int | None:
        value = self.lit(node, what, "an integer literal")
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
            return value
        assert node is not None
        self.bad(node, what, f"an integer >= {minimum}")
        return None

    def string_list(self, node: ast.expr | None, what: str) -> list[str]:
        return list(self.optional_string_list(node, what) or ())

    def optional_string_list(self, node: ast.expr | None, what: str,
                             params: list[ParamVal] | None = None) -> tuple[str, ...] | None:
        if params is not None and isinstance(node, (ast.List, ast.Tuple)) and \
                any(self.fstring_node(e) for e in node.elts):
            found: list[ParamVal] = []
            texts = [self.template_text(e, found) for e in node.elts]
            for e, t in zip(node.elts, texts, strict=True):
                if t is None and self.fstring_node(e):
                    self.not_global(e, what)
                    return None
            if all(t is not None for t in texts):
                params += found
                return tuple(t for t in texts if t is not None)
        value = self.lit(node, what, "a list of strings")
        if value is None:
            return None
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return tuple(value)
        if isinstance(value, str) and node is not None:
            self.bad(node, what, "a list of strings, not one string (write [\"...\"])")
            return None
        assert node is not None
        self.bad(node, what, "a list of strings")
        return None

    def string_map(self, node: ast.expr | None, what: str, stringify: bool = False,
                   params: list[ParamVal] | None = None) -> list[tuple[str, str]]:
        """A dict of strings to strings (or, with *stringify*, to literals written as text).
        With *params*, a value may be an f-string of workflow values (:meth:`fstring`)."""
        texts = self.fstring_values(node, what, params)
        if texts is not None:
            value: Any = texts
        else:
            value = self.lit(node, what, "a dict literal")
        if value is None:
            return []
        ok = isinstance(value, dict) and all(isinstance(k, str) for k in value)
        if ok and stringify:
            ok = all(isinstance(v, (str, int, float, bool)) for v in value.values())
        elif ok:
            ok = all(isinstance(v, str) for v in value.values())
        if not ok:
            assert node is not None
            self.bad(node, what, "a dict of strings to " +
                      ("strings or numbers" if stringify else "strings"))
            return []
        return [(k, _stringify(v)) for k, v in sorted(value.items())]

    def fstring_values(self, node: ast.expr | None, what: str, params: list[ParamVal] | None,
                       scope: str = "template") -> dict[str, Any] | None:
        """A dict literal whose values include f-strings, for a field that takes them (*params*
        given): {key: literal or text with Argo's tags}; an f-string that is no such text is
        reported and left out. None for anything else, which :meth:`lit` reads."""
        if params is None or not isinstance(node, ast.Dict) or None in node.keys or \
                not any(self.fstring_node(v) for v in node.values):
            return None
        out: dict[str, Any] = {}
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            assert key_node is not None
            key = self.lit(key_node, what, "a string key")
            found, text = self.fstring(value_node, what, params, scope)
            value = text if found else self.lit(value_node, what, "a literal")
            if key is not None and value is not None:
                out[key] = value
        return out

    # -- tasks -------------------------------------------------------------------------------

    # -- volumes, parameters, workflows ----------------------------------------------------

    def _bool(self, node: ast.expr | None, what: str) -> bool | None:
        value = self.lit(node, what, "True or False")
        if value is None or isinstance(value, bool):
            return value
        assert node is not None
        self.bad(node, what, "True or False")
        return None

    def volume_call(self, short: str, call: ast.Call) -> Value:
        ev = self.ev
        sigs = {
            "mount": Signature(("volume",), ("read_only", "sub_path"), ("volume",)),
            "pvc": Signature(("name", "claim"), ("read_only",), ("name", "claim")),
            "empty_dir": Signature(("name",), (), ("name",)),
            "config_map_volume": Signature(("name", "config_map"), (), ("name", "config_map")),
            "secret_volume": Signature(("name", "secret"), (), ("name", "secret")),
            "volume_claim": Signature(("name", "size"), ("access_modes", "storage_class"),
                                      ("name", "size")),
        }
        b = bind(call, sigs[short], f"{short}()")
        for node, message in b.problems:
            ev.error("TPH100", message, ev.loc(node))
        if b.problems:
            return Unknown(f"a broken {short}()")
        read_only = bool(self.lit(b.args.get("read_only"), "read_only", "True or False"))
        if short == "mount":
            return MountVal(self.required_string(b.args["volume"], "volume") or "", read_only,
                            self.string(b.args.get("sub_path"), "sub_path"))
        name = self._volume_name(b.args["name"])
        if short == "volume_claim":
            modes = self.optional_string_list(b.args.get("access_modes"), "access_modes")
            bad_modes = [m for m in modes or () if m not in ACCESS_MODES]
            if bad_modes:
                self.bad(b.args["access_modes"], "access_modes",
                         "a list of " + ", ".join(ACCESS_MODES))
            size = self.required_string(b.args["size"], "size")
            if size is not None and not _quantity().match(size):
                self.bad(b.args["size"], "size", "a Kubernetes quantity such as \"5Gi\"")
            return VolumeClaimVal(ir.VolumeClaim(
                name, size or "", modes or ("ReadWriteOnce",),
                self.string(b.args.get("storage_class"), "storage_class"),
            ))
        kind = {"pvc": "pvc", "empty_dir": "empty_dir", "config_map_volume": "config_map",
                "secret_volume": "secret"}[short]
        source_arg = {"pvc": "claim", "config_map_volume": "config_map",
                      "secret_volume": "secret"}.get(short)
        source = self.required_string(b.args[source_arg], source_arg, empty_ok=True) \
            if source_arg else None
        if source is not None and source_arg is not None:
            from tiphys.compiler.frontend.options.helper_values import object_name_problem

            problem = object_name_problem(source)
            if problem:
                self.bad(b.args[source_arg], source_arg,
                         f"the name of an existing {source_arg.replace('_', ' ')}; "
                         f"'{source}' {problem}")
        return VolumeVal(ir.Volume(name, kind, source, read_only))

    def _volume_name(self, node: ast.expr) -> str:
        """A volume's name (a DNS label: Kubernetes' rule for pod volumes)."""
        name = self.required_string(node, "name", empty_ok=True)
        if name is not None and not (len(name) <= 63 and _DNS_LABEL.match(name)):
            self.bad(node, "name", "a volume name: at most 63 lower-case letters, digits and "
                     "'-', starting and ending with a letter or digit")
        return name or ""

    def _items(self, node: ast.expr | None, what: str) -> list[tuple[Value, ast.expr]]:
        if node is None:
            return []
        items = self.ev.expr_list(node)
        if items is None:
            self.bad(node, what, "a list written in the file")
            return []
        return items

    def workflow_options(self, args: dict[str, ast.expr], params: list[ParamVal] | None = None,
                         ) -> tuple[ir.WorkflowOptions, str | None]:
        from tiphys.compiler.frontend.options.workflow_options import WorkflowOptionReader

        return WorkflowOptionReader(self).read(args, params)

    def param_list(self, node: ast.expr | None) -> list[ParamVal]:
        out = []
        for value, el in self._items(node, "params"):
            if isinstance(value, ParamVal):
                out.append(value)
            else:
                self.bad(el, "params", "a list of param(...) declarations")
        return out

    def _service_account(self, node: ast.expr | None) -> str | None:
        from tiphys.compiler.frontend.options.helper_values import object_name_problem

        name = self.string(node, "service_account")
        if name is None or node is None:
            return None
        problem = object_name_problem(name)
        if problem:
            self.ev.error("TPH175", f"service account '{name}' {problem}", self.ev.loc(node))
            return None
        return name


ACCESS_MODES = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")


def _quantity() -> re.Pattern[str]:
    from tiphys.compiler.frontend.options.k8s_fragments import schema_pattern

    return schema_pattern("Quantity")


def _stringify(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
