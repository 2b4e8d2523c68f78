"""CronWorkflow-only checks (Argo's validate.CronWorkflow)."""

from __future__ import annotations

from typing import Any

from tiphys.compiler.validator.cron import CronError, parse_schedule, timezone_error
from tiphys.compiler.validator.findings import Reporter
from tiphys.compiler.validator.model import as_list, as_str

POLICIES = frozenset({"", "Allow", "Forbid", "Replace"})


def check_cron(rep: Reporter, spec: dict[str, Any]) -> None:
    scheds: list[tuple[tuple[str | int, ...], Any]] = []
    if spec.get("schedule") not in (None, ""):
        scheds.append((("spec", "schedule"), spec.get("schedule")))
    scheds += [(("spec", "schedules", i), s) for i, s in enumerate(as_list(spec.get("schedules")))]
    if not scheds:
        rep.add("ARG801", ("spec",), "CronWorkflow has no schedule; set spec.schedules, e.g. "
                "['0 * * * *']")
    for path, s in scheds:
        try:
            parse_schedule(as_str(s))
        except CronError as e:
            rep.add("ARG802", path, f"schedule '{as_str(s)}' does not parse: {e}; use a 5-field "
                    "cron expression such as '*/5 * * * *' or a descriptor such as @hourly")
    tz = spec.get("timezone")
    if isinstance(tz, str):
        err = timezone_error(tz)
        if err:
            rep.add("ARG803", ("spec", "timezone"), f"{err}; use an IANA name such as "
                    "'America/Los_Angeles'")
    pol = spec.get("concurrencyPolicy")
    if pol is not None and as_str(pol) not in POLICIES:
        rep.add("ARG804", ("spec", "concurrencyPolicy"), f"concurrencyPolicy '{pol}' is unknown; "
                "use Allow, Forbid or Replace")
    sds = spec.get("startingDeadlineSeconds")
    if isinstance(sds, int | float) and not isinstance(sds, bool) and sds < 0:
        rep.add("ARG805", ("spec", "startingDeadlineSeconds"), "startingDeadlineSeconds must be "
                "0 or more")
