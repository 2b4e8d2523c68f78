"""``retryStrategy``: a Retry node whose children are the attempts, ``name(0)``, ``name(1)``...

As in Argo: ``limit`` retries after the first attempt (no limit: until it succeeds or the
backoff's ``maxDuration`` runs out); ``retryPolicy`` Always, OnFailure (the default, or
Always when an ``expression`` is given), OnError, OnTransientError; ``expression`` over
``lastRetry.exitCode``, ``.status``, ``.duration`` and ``.message`` must hold for another try;
``backoff`` waits ``duration * factor^n``, at most ``cap``, and stops once ``maxDuration``
since the first attempt would pass. The Retry node ends in its last attempt's phase.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tiphys.compiler.run.durations import seconds
from tiphys.compiler.run.expressions import ExpressionError, evaluate
from tiphys.compiler.run.model import Node
from tiphys.compiler.run.substitution import Unresolved, substitute

if TYPE_CHECKING:
    from tiphys.compiler.run.engine import Call, Engine

#: Messages that count as transient for OnTransientError (none are produced locally but a
#: container runtime's connection failures).
_TRANSIENT = ("connection refused", "i/o timeout", "TLS handshake timeout")


def _policy_allows(policy: str, node: Node) -> bool:
    if policy == "Always":
        return node.phase in ("Failed", "Error")
    if policy == "OnError":
        return node.phase == "Error"
    if policy == "OnTransientError":
        return node.phase == "Error" and any(t in node.message for t in _TRANSIENT)
    return node.phase == "Failed"  # OnFailure


def _wait(backoff: dict[str, Any], attempt: int) -> float:
    if not backoff or "duration" not in backoff:
        return 0.0
    wait = seconds(backoff["duration"])
    factor = backoff.get("factor")
    if factor is not None:
        wait *= float(str(factor)) ** attempt
    if backoff.get("cap") is not None:
        wait = min(wait, seconds(backoff["cap"]))
    return wait


def run_with_retries(engine: Engine, call: Call, strategy: dict[str, Any]) -> Node:
    run = engine.run
    retry = run.add(Node(engine.new_id(), call.name, call.display, "Retry",
                         template=call.template.get("name", ""), parent=call.parent))
    run.update(retry, "Running")
    # The limit may read the template's own inputs (``{{inputs.parameters.tries}}``).
    scope = {**engine.snapshot(),
             **{f"inputs.parameters.{k}": v for k, v in call.parameters.items()}}
    try:
        raw_limit = strategy.get("limit")
        limit = None if raw_limit is None else int(substitute(str(raw_limit), scope))
        backoff = strategy.get("backoff") or {}
        max_duration = seconds(backoff["maxDuration"]) if backoff.get("maxDuration") else None
        _wait(backoff, 0)
    except (ValueError, Unresolved) as exc:
        run.update(retry, "Error", f"retryStrategy: {exc}")
        return retry
    policy = strategy.get("retryPolicy") or ("Always" if strategy.get("expression") else "OnFailure")
    attempt = 0
    message = ""
    while True:
        child = engine.attempt(call, f"{call.name}({attempt})", f"{call.display}({attempt})",
                               retry.id, attempt)
        retry.retries = attempt
        retry.inputs, retry.outputs = child.inputs, child.outputs
        message = child.message
        if child.phase in ("Succeeded", "Skipped") or engine.cancel.is_set():
            break
        if (limit is not None and attempt >= limit) or not _policy_allows(policy, child):
            message = f"No more retries left ({child.message})" if attempt else child.message
            break
        if strategy.get("expression"):
            last = {"exitCode": child.outputs.get("exitCode", "-1"), "status": child.phase,
                    "duration": f"{child.duration or 0:.0f}", "message": child.message}
            inputs = {f"inputs.parameters.{k}": v for k, v in child.inputs.items()}
            try:
                text = substitute(str(strategy["expression"]), {**scope, **inputs})
                again = evaluate(text, {"lastRetry": last})
            except (ExpressionError, Unresolved) as exc:
                run.update(retry, "Error", f"retryStrategy.expression: {exc}")
                return retry
            if not again:
                break
        wait = _wait(backoff, attempt)
        elapsed = run.nodes[retry.id].duration or 0.0
        if max_duration is not None and elapsed + wait > max_duration:
            message = f"Backoff would exceed max duration limit ({child.message})"
            break
        if engine.cancel.wait(wait * engine.options.time_scale):
            break
        attempt += 1
    run.update(retry, child.phase, message)
    return retry
