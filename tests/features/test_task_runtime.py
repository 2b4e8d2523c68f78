"""The runtime side of the task-level helpers: plain records users can build and inspect in
unit tests, with the signatures the compiler binds calls against."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

import tiphys
from tiphys.compiler.frontend.options.declared import TASK_OPTIONS
from tiphys.compiler.frontend.options.helpers import HELPERS


def test_every_compiler_helper_is_exported_with_the_same_parameters() -> None:
    for name, sig in HELPERS.items():
        fn = getattr(tiphys, name)
        assert name in tiphys.__all__
        params = inspect.signature(fn).parameters
        assert set(params) == set(sig.positional) | set(sig.keyword), name
        positional = [p for p, v in params.items()
                      if v.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
        assert tuple(positional) == sig.positional, name


def _keywords(fn: Any) -> set[str]:
    """Named parameters, plus the keys of a ``**options: Unpack[TypedDict]``."""
    from typing import Unpack, get_args, get_origin, get_type_hints

    names = set(inspect.signature(fn).parameters)
    hints = get_type_hints(fn, include_extras=True)
    for name, hint in hints.items():
        if get_origin(hint) is Unpack:
            names.discard(name)
            names |= set(get_type_hints(get_args(hint)[0]))
    return names


@pytest.mark.parametrize("fn", [tiphys.task, tiphys.bash, tiphys.container])
def test_task_functions_take_every_task_option(fn: object) -> None:
    if fn is tiphys.task:
        # The keyword overload of @task(...).
        from typing import get_overloads

        params = _keywords(get_overloads(tiphys.task)[1])
    else:
        params = _keywords(fn)
    expected = set(TASK_OPTIONS) - ({"image"} if fn is tiphys.container else set())
    assert expected <= params


def test_records() -> None:
    assert tiphys.secret("db", "pw") == tiphys.SecretKey("db", "pw", False)
    assert tiphys.config_map_env("c", prefix="C_").prefix == "C_"
    r = tiphys.retry(3, policy="OnError", backoff=tiphys.backoff("5s", factor=2))
    assert (r.limit, r.policy, r.backoff) == (3, "OnError", tiphys.Backoff("5s", 2))
    assert tiphys.semaphore(key="k", database=True).database is True
    assert tiphys.sidecar("s", "nginx", mirror_volume_mounts=True).mirror_volume_mounts
    assert isinstance(tiphys.init_container("i", "alpine"), tiphys.InitContainer)


def test_semaphore_needs_a_key() -> None:
    with pytest.raises(TypeError):
        tiphys.semaphore("cm")  # type: ignore[call-overload]


def test_options_are_kept_on_the_task() -> None:
    @tiphys.task(retries=tiphys.retry(2), daemon=True, labels={"a": "b"})
    def t() -> int:
        return 1

    assert t.options.daemon is True
    assert t.options.labels == {"a": "b"}
    assert t.local() == 1
    b = tiphys.bash("b", "echo", sidecars=[tiphys.sidecar("s", "nginx")])
    assert b.options.sidecars == [tiphys.sidecar("s", "nginx")]
