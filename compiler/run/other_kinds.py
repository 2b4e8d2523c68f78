"""Suspend and HTTP templates.

A suspend template resumes at once (its ``duration`` is not waited for): a local run has no
one to resume it. Its ``supplied`` output parameters take the values given with
``-s NAME=VALUE``, else the value of the input of the same name (an intermediate parameter:
its default, the value the Argo UI offers), else their ``default``, else the empty string (the
node's message says so). An HTTP template is called for real with its method, headers, body and
``timeoutSeconds``; it succeeds when ``successCondition`` holds (over ``response.statusCode``,
``response.body``, ``response.headers``) or, without one, on a 2xx status; the body is
``outputs.result``.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any

from tiphys.compiler.run.expressions import ExpressionError, evaluate
from tiphys.compiler.run.model import Node

if TYPE_CHECKING:
    from tiphys.compiler.run.engine import Engine

Outcome = tuple[str, str, dict[str, str]]


def suspend(engine: Engine, t: dict[str, Any], scope: dict[str, str], node: Node) -> Outcome:
    outputs: dict[str, str] = {}
    notes = []
    for p in t.get("outputs", {}).get("parameters", []):
        vf = p.get("valueFrom", {})
        if "supplied" not in vf and "default" not in vf:
            continue
        shown = f"inputs.parameters.{p['name']}"  # an intermediate parameter's input
        if p["name"] in engine.options.supplied:
            outputs[f"parameters.{p['name']}"] = value = engine.options.supplied[p["name"]]
            enum = next((i.get("enum") for i in t.get("inputs", {}).get("parameters", [])
                         if i.get("name") == p["name"]), None)
            if enum and value not in enum:
                notes.append(f"{p['name']} = {value!r} is not one of {enum}")
        elif "supplied" in vf and shown in scope:
            outputs[f"parameters.{p['name']}"] = scope[shown]
        elif "default" in vf:
            outputs[f"parameters.{p['name']}"] = str(vf["default"])
        else:
            outputs[f"parameters.{p['name']}"] = ""
            notes.append(f"{p['name']} = '' (pass -s {p['name']}=VALUE)")
    message = "resumed at once" + (f"; {', '.join(notes)}" if notes else "")
    return "Succeeded", message, outputs


def http(engine: Engine, t: dict[str, Any], scope: dict[str, str], node: Node) -> Outcome:
    spec = t["http"]
    headers = {}
    for h in spec.get("headers", []):
        if "value" in h:
            headers[h["name"]] = str(h["value"])
        elif h["name"] in os.environ:
            headers[h["name"]] = os.environ[h["name"]]
    body = spec.get("body")
    request = urllib.request.Request(
        str(spec.get("url", "")), method=str(spec.get("method", "GET")), headers=headers,
        data=body.encode() if isinstance(body, str) else None)
    timeout = float(spec.get("timeoutSeconds") or 30)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, text = response.status, response.read().decode(errors="replace")
            got_headers = dict(response.headers.items())
    except urllib.error.HTTPError as exc:
        status, text, got_headers = exc.code, exc.read().decode(errors="replace"), dict(exc.headers.items())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return "Failed", f"http request to {spec.get('url')} failed: {reason}", {}
    outputs = {"result": text}
    log = engine.options.workdir / "nodes" / node.id / "main.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(f"{spec.get('method', 'GET')} {spec.get('url')} -> {status}\n{text}", encoding="utf-8")
    node.log = log
    condition = spec.get("successCondition")
    if condition:
        env = {"response": {"statusCode": status, "body": text, "headers": got_headers}}
        try:
            ok = bool(evaluate(str(condition), env))
        except ExpressionError as exc:
            return "Error", f"successCondition {condition!r}: {exc}", outputs
        if not ok:
            return "Failed", f"successCondition {condition!r} is false (status {status})", outputs
    elif not 200 <= status < 300:
        return "Failed", f"http status {status}", outputs
    return "Succeeded", "", outputs
