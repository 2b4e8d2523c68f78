"""An f-string of workflow parameters as the run that takes the parameters' defaults sees it,
so that a field tiphys checks (a label, an image) is checked for that run too."""

from __future__ import annotations

import json
import re
from typing import Any

from tiphys.compiler.frontend.values import ParamVal

#: A workflow parameter's tag, as f-strings are lowered to.
_PARAM_TAG = re.compile(r"\{\{workflow\.parameters\.([-\w]+)\}\}")


def with_defaults(value: Any, params: list[ParamVal] | None) -> Any:
    """*value* (a text, or a dict of texts) as a run that takes the parameters' defaults
    sees it: each ``{{workflow.parameters.x}}`` replaced by x's default. None when it holds
    no tag, or one without a literal default (``workflow_name``, a parameter with none):
    then only the run can tell."""
    defaults = {p.name: p.default for p in params or () if p.has_default}
    texts = value.values() if isinstance(value, dict) else [value]
    if not any(isinstance(t, str) and "{{" in t for t in texts):
        return None

    def fill(text: Any) -> Any:
        if not isinstance(text, str):
            return text

        def one(m: re.Match[str]) -> str:
            d = defaults[m.group(1)]
            return d if isinstance(d, str) else json.dumps(d)
        return _PARAM_TAG.sub(one, text)

    if any(isinstance(t, str) and (set(_PARAM_TAG.findall(t)) - set(defaults) or
                                   "{{" in _PARAM_TAG.sub("", t)) for t in texts):
        return None
    return {k: fill(v) for k, v in value.items()} if isinstance(value, dict) else fill(value)


def with_defaults_deep(value: Any, params: list[ParamVal]) -> Any:
    """*value* with the parameters' defaults in its texts, dicts of texts one level down too."""
    if isinstance(value, dict) and any(isinstance(v, dict) for v in value.values()):
        return {k: with_defaults_deep(v, params) if isinstance(v, dict) else v for k, v in value.items()}
    filled = with_defaults(value, params)
    return value if filled is None else filled
