"""What Kubernetes refuses in a workflow's pod settings beyond their schema: rules across fields
(``dnsPolicy: None`` needs nameservers), IP addresses, object names, tolerations and the
PodDisruptionBudget Argo creates. The schema check (TPH174) has run before these."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from tiphys.compiler.ir.names import DNS_SUBDOMAIN

_PERCENT = re.compile(r"^([0-9]+)%\Z")


def pod_setting_problems(settings: dict[str, Any]) -> list[tuple[str, str]]:
    """(spec key, message) for each setting Kubernetes would refuse, in *settings* order."""
    out: list[tuple[str, str]] = []
    policy = settings.get("dnsPolicy")
    if policy == "None" and not (settings.get("dnsConfig") or {}).get("nameservers"):
        out.append(("dnsPolicy", "dns_policy=\"None\" leaves the pod no DNS but dns_config: give "
                                 "dns_config at least one of its nameservers"))
    for key in ("schedulerName", "podPriorityClassName"):
        name = settings.get(key)
        if isinstance(name, str) and "{{" not in name and (
                len(name) > 253 or not DNS_SUBDOMAIN.match(name)):
            out.append((key, f"{name!r} is not a Kubernetes object name: lower-case letters, "
                             "digits, '-' and '.', starting and ending with a letter or digit"))
    for alias in settings.get("hostAliases") or []:
        ip = alias.get("ip") if isinstance(alias, dict) else None
        if isinstance(ip, str) and "{{" not in ip and not _is_ip(ip):
            out.append(("hostAliases", f"host alias ip {ip!r} is not an IPv4 or IPv6 address"))
    for toleration in settings.get("tolerations") or []:
        if isinstance(toleration, dict) and toleration.get("operator") == "Exists" and \
                toleration.get("value"):
            out.append(("tolerations", "a toleration with operator \"Exists\" matches any "
                                       "value: leave its value out (Kubernetes refuses one)"))
    budget = settings.get("podDisruptionBudget")
    if isinstance(budget, dict):
        out += [("podDisruptionBudget", m) for m in _budget_problems(budget)]
    return out


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _budget_problems(budget: dict[str, Any]) -> list[str]:
    given = [k for k in ("minAvailable", "maxUnavailable") if k in budget]
    if len(given) != 1:
        return ["a pod disruption budget sets exactly one of minAvailable and maxUnavailable"]
    value = budget[given[0]]
    if isinstance(value, int) and not isinstance(value, bool):
        return [] if value >= 0 else [f"{given[0]} must be 0 or more; got {value}"]
    if isinstance(value, str):
        m = _PERCENT.match(value)
        if m and int(m.group(1)) <= 100:
            return []
        return [f"{given[0]} is a number of pods or a percentage from 0% to 100%; got {value!r}"]
    return []
