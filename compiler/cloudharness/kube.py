"""Kubernetes pieces of CloudHarness documents: label checks, merging."""

from __future__ import annotations

import copy
import re
from typing import Any

HOSTNAME = "kubernetes.io/hostname"
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\Z")
_LABEL_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\Z")


def label_key_ok(key: str) -> bool:
    name = key.rsplit("/", 1)[-1]
    return len(name) <= 63 and bool(_LABEL_NAME.match(name))


def label_value_ok(value: str) -> bool:
    return len(value) <= 63 and bool(_LABEL_VALUE.match(value))


def merge(base: dict[str, Any], over: dict[str, Any]) -> None:
    """Deep merge of *over* into *base*; None values leave *base* alone (CloudHarness'
    ``dict_merge(..., merge_none=False)``)."""
    for k, v in over.items():
        if v is None:
            continue
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            merge(base[k], v)
        else:
            base[k] = copy.deepcopy(v)
