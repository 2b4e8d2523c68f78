"""Prometheus metrics of a workflow or a template."""

from __future__ import annotations

import re
from typing import Any

from tiphys.compiler.validator.docctx import DocCtx
from tiphys.compiler.validator.findings import PathT
from tiphys.compiler.validator.model import as_dict, as_list, as_str, has, named_items

_METRIC_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*\Z")


def check_metrics(ctx: DocCtx, metrics: Any, path: PathT) -> None:
    rep = ctx.rep
    prom = as_list(as_dict(metrics).get("prometheus"))
    pp = (*path, "prometheus")
    if len(prom) > 100:
        rep.add("ARG901", pp, f"{len(prom)} metrics; the CRD allows at most 100")
    for i, m in named_items(prom):
        mp = (*pp, i)
        name = as_str(m.get("name"))
        if not _METRIC_NAME.match(name):
            rep.add("ARG219", (*mp, "name"), f"metric name '{name}' is invalid; use letters, "
                    "digits and '_' (not starting with a digit, no ':')")
        if not as_str(m.get("help")):
            rep.add("ARG219", mp, f"metric '{name}' needs a help string; set help")
        for j, lab in named_items(m.get("labels")):
            key = as_str(lab.get("key"))
            if not _METRIC_NAME.match(key):
                rep.add("ARG219", (*mp, "labels", j, "key"), f"metric '{name}': label key "
                        f"'{key}' is invalid; use letters, digits and '_'")
            if not as_str(lab.get("value")):
                rep.add("ARG219", (*mp, "labels", j), f"metric '{name}': label '{key}' has an "
                        "empty value; set value")
        kinds = [k for k in ("gauge", "counter", "histogram") if has(m, k)]
        if not kinds:
            rep.add("ARG219", mp, f"metric '{name}' needs one of gauge, counter or histogram")
        for k in kinds:
            body = as_dict(m.get(k))
            value = as_str(body.get("value"))
            if not value:
                rep.add("ARG219", (*mp, k), f"metric '{name}': {k}.value is required; set it")
            if k == "gauge":
                if len(value) > 256:
                    rep.add("ARG901", (*mp, k, "value"), f"metric '{name}': gauge.value is "
                            f"{len(value)} characters; the CRD allows at most 256")
                if body.get("realtime") is True and "resourcesDuration." in value:
                    rep.add("ARG219", (*mp, k, "value"), f"metric '{name}': "
                            "'resourcesDuration.*' cannot be used in a real-time gauge; set "
                            "realtime: false or use another value")
