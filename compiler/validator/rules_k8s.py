"""Kubernetes syntax: object names, label and annotation keys, label selectors, resources."""

from __future__ import annotations

import re
from typing import Any

from tiphys.compiler.validator.docctx import DocCtx
from tiphys.compiler.validator.findings import PathT, Reporter
from tiphys.compiler.validator.model import as_dict, as_list, as_str

_DNS_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS_SUBDOMAIN = re.compile(rf"^{_DNS_LABEL}(\.{_DNS_LABEL})*$")
_QNAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\Z")


def dns_subdomain_error(name: str) -> str | None:
    if len(name) > 253:
        return "is longer than 253 characters"
    if not DNS_SUBDOMAIN.match(name):
        return ("is not a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', starting "
                "and ending with a letter or digit)")
    return None


def qualified_name_error(key: str) -> str | None:
    prefix, sep, name = key.rpartition("/")
    if sep and (not prefix or dns_subdomain_error(prefix)):
        return f"prefix '{prefix}' must be a DNS-1123 subdomain"
    if not name or len(name) > 63 or not _QNAME.match(name):
        return ("name part must be 1-63 characters of letters, digits, '-', '_' and '.', "
                "starting and ending with a letter or digit")
    return None


def label_value_error(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a string; quote it"
    if value and (len(value) > 63 or not _QNAME.match(value)):
        return ("must be at most 63 characters of letters, digits, '-', '_' and '.', starting "
                "and ending with a letter or digit")
    return None


def check_labels(rep: Reporter, labels: Any, path: PathT) -> None:
    for k, v in as_dict(labels).items():
        err = qualified_name_error(k)
        if err:
            rep.add("ARG013", (*path, k), f"label key '{k}': {err}")
        verr = label_value_error(v)
        if verr:
            rep.add("ARG013", (*path, k), f"label '{k}' value {verr}")


def check_annotations(rep: Reporter, annotations: Any, path: PathT) -> None:
    total = 0
    for k, v in as_dict(annotations).items():
        err = qualified_name_error(k)
        if err:
            rep.add("ARG014", (*path, k), f"annotation key '{k}': {err}")
        total += len(k) + len(as_str(v))
    if total > 256 * 1024:
        rep.add("ARG014", path, "annotations exceed 256 KiB in total; shorten them")


def selector_errors(sel: dict[str, Any]) -> list[tuple[PathT, str]]:
    out: list[tuple[PathT, str]] = []
    for k, v in as_dict(sel.get("matchLabels")).items():
        err = qualified_name_error(k) or (
            f"value {ve}" if (ve := label_value_error(v)) else None)
        if err:
            out.append((("matchLabels", k), f"matchLabels '{k}': {err}"))
    for i, raw in enumerate(as_list(sel.get("matchExpressions"))):
        e = as_dict(raw)
        op = as_str(e.get("operator"))
        key = as_str(e.get("key"))
        values = as_list(e.get("values"))
        kerr = qualified_name_error(key)
        if kerr:
            out.append((("matchExpressions", i, "key"), f"key '{key}': {kerr}"))
        if op in ("In", "NotIn"):
            if not values:
                out.append((("matchExpressions", i), f"operator {op} needs values"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                out.append((("matchExpressions", i, "values"),
                            f"operator {op} takes no values"))
        else:
            out.append((("matchExpressions", i, "operator"),
                        f"operator '{op}' must be In, NotIn, Exists or DoesNotExist"))
    return out


_POD_RESOURCE = re.compile(r"^(cpu|memory|hugepages-.+)\Z")


def check_pod_resources(ctx: DocCtx, res: Any, path: PathT) -> None:
    r = as_dict(res)
    for part in ("limits", "requests"):
        for k in as_dict(r.get(part)):
            if not _POD_RESOURCE.match(k):
                ctx.rep.add("ARG114", (*path, part, k), f"podResources.{part} may only name "
                            f"cpu, memory and hugepages-*; remove '{k}'")
    if as_list(r.get("claims")):
        ctx.rep.add("ARG114", (*path, "claims"), "podResources cannot have claims; use "
                    "resourceClaims instead")
