"""A parser for standard cron schedules: five fields, ``@hourly``-style descriptors,
``@every <duration>`` and a ``CRON_TZ=``/``TZ=`` prefix (the syntax Argo accepts)."""

from __future__ import annotations

import re

_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day of month", 1, 31, {}),
    ("month", 1, 12, {m: i + 1 for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}),
    ("day of week", 0, 6, {d: i for i, d in enumerate(
        ("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}),
)
DESCRIPTORS = frozenset({
    "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
})
_DURATION = re.compile(r"^((\d+(\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+\Z")


class CronError(ValueError):
    pass


def timezone_error(name: str) -> str | None:
    """Why ``time.LoadLocation(name)`` would fail, or None. "" and "UTC"/"Local" are valid."""
    if name in ("", "UTC", "Local"):
        return None
    import zoneinfo  # only for a CronWorkflow's timezone: 3 ms of start-up otherwise

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return f"unknown time zone '{name}'"
    return None


def _value(text: str, lo: int, hi: int, names: dict[str, int], field: str) -> int:
    v = names.get(text.lower())
    if v is None:
        if not text.isdigit():
            raise CronError(f"{field}: '{text}' is not a number")
        v = int(text)
    if not lo <= v <= hi:
        raise CronError(f"{field}: {v} is out of range {lo}-{hi}")
    return v


def _parse_field(text: str, lo: int, hi: int, names: dict[str, int], field: str) -> None:
    for part in text.split(","):
        if not part:
            raise CronError(f"{field}: empty list entry")
        rng, slash, step = part.partition("/")
        if slash and (not step.isdigit() or int(step) == 0):
            raise CronError(f"{field}: step '{step}' must be a positive number")
        if rng in ("*", "?"):
            continue
        a, dash, b = rng.partition("-")
        start = _value(a, lo, hi, names, field)
        if dash:
            end = _value(b, lo, hi, names, field)
            if start > end:
                raise CronError(f"{field}: range {rng} starts after it ends")


def parse_schedule(schedule: str) -> None:
    """Raise :class:`CronError` when *schedule* is not a valid standard cron schedule."""
    s = schedule.strip()
    if s.startswith(("CRON_TZ=", "TZ=")):
        tz, _, s = s.partition(" ")
        err = timezone_error(tz.split("=", 1)[1])
        if err:
            raise CronError(err)
        s = s.strip()
    if not s:
        raise CronError("empty schedule")
    if s.startswith("@"):
        if s.startswith("@every "):
            d = s[len("@every "):].strip()
            if not _DURATION.match(d):
                raise CronError(f"'@every {d}': not a duration such as 1h30m")
            return
        if s not in DESCRIPTORS:
            raise CronError(f"unknown descriptor '{s}'")
        return
    fields = s.split()
    if len(fields) != 5:
        raise CronError(f"expected 5 fields (minute hour day-of-month month day-of-week), "
                        f"found {len(fields)}")
    for text, (name, lo, hi, names) in zip(fields, _FIELDS, strict=True):
        _parse_field(text, lo, hi, names, name)
