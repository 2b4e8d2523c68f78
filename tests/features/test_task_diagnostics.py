"""Misuse of the task-level options (run control, secrets and config, volumes, pods): each gets
a diagnostic with a stable code at the line and column of what is wrong, and nothing is
emitted for an error.

Each case marks the expected position with ``⟦`` in its source; the marker is removed before
compiling, so the expected line:col is where the marked node starts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compile_helpers import compile_text

MARK = "⟦"
HEAD = """from tiphys import (task, bash, container, pipeline, workflow, param, retry, backoff,
    memoize, mutex, semaphore, secret, config_map_key, secret_env, config_map_env, sidecar,
    init_container, node_affinity, pod_affinity, pod_anti_affinity, mount, empty_dir)
"""


def on_task(options: str) -> str:
    """A Python task with *options*, placed in a workflow that declares the volume 'v'."""
    return f"""
@task({options})
def t(x: str = "a") -> str:
    return x
wf = workflow("w", t(), volumes=[empty_dir("v")])
"""


CASES: list[tuple[str, str, str]] = [
    # -- run control ------------------------------------------------------------------------
    ("retry-policy-unknown", on_task('retries=retry(3, policy=⟦"on_failure")'), "TPH140"),
    ("retry-limit-negative", on_task("retries=retry(⟦-1)"), "TPH141"),
    ("retries-negative", on_task("retries=⟦-2"), "TPH141"),
    ("retries-string", on_task('retries=⟦"3"'), "TPH141"),
    ("retries-wrong-helper", on_task('retries=⟦mutex("m")'), "TPH141"),
    ("retry-expression-empty", on_task('retries=retry(1, expression=⟦" ")'), "TPH141"),
    ("backoff-factor-below-one", on_task('retries=retry(2, backoff=backoff("5s", factor=⟦0))'),
     "TPH142"),
    ("backoff-factor-float", on_task('retries=retry(2, backoff=backoff("5s", factor=⟦1.5))'),
     "TPH142"),
    ("backoff-wrong-kind", on_task("retries=retry(2, backoff=⟦[5])"), "TPH142"),
    ("backoff-duration", on_task('retries=retry(2, backoff=backoff(⟦"soon"))'), "TPH143"),
    ("backoff-cap", on_task('retries=retry(2, backoff=backoff("1s", cap=⟦"1 minute"))'),
     "TPH143"),
    ("backoff-shorthand", on_task('retries=retry(2, backoff=⟦"5 seconds")'), "TPH143"),
    ("active-deadline-zero", on_task('active_deadline=⟦"0s"'), "TPH143"),
    ("active-deadline-negative", on_task("active_deadline=⟦-5"), "TPH143"),
    ("memoize-max-age", on_task('memoize=memoize("k", max_age=⟦"forever", cache="c")'),
     "TPH143"),
    ("memoize-empty-key", on_task('memoize=memoize(⟦"", max_age="1h", cache="c")'), "TPH144"),
    ("memoize-cache-name", on_task('memoize=memoize("k", max_age="1h", cache=⟦"My_Cache")'),
     "TPH144"),
    ("memoize-wrong-kind", on_task('memoize=⟦{"key": "k"}'), "TPH144"),
    ("memoize-missing-cache", on_task('memoize=⟦memoize("k", max_age="1h")'), "TPH100"),
    ("mutex-twice", on_task('synchronization=[mutex("m"), ⟦mutex("m")]'), "TPH145"),
    ("semaphore-no-source", on_task('synchronization=⟦semaphore(key="k")'), "TPH145"),
    ("semaphore-both-sources",
     on_task('synchronization=semaphore(⟦"cm", "k", database=True)'), "TPH145"),
    ("semaphore-bad-key", on_task('synchronization=semaphore("cm", ⟦"a key")'), "TPH145"),
    ("mutex-bad-namespace", on_task('synchronization=mutex("m", namespace=⟦"Team A")'),
     "TPH145"),
    ("synchronization-wrong-kind", on_task('synchronization=[⟦"my-mutex"]'), "TPH145"),
    # -- secrets and config -----------------------------------------------------------------
    ("secret-without-key", on_task('env={"TOKEN": ⟦secret("api")}'), "TPH100"),
    ("secret-bad-name", on_task('env={"TOKEN": secret(⟦"API_Keys", "token")}'), "TPH151"),
    ("config-map-bad-key", on_task('env={"C": config_map_key("app", ⟦"a/b")}'), "TPH151"),
    ("env-value-param", on_task('env={"DAY": ⟦param("day")}'), "TPH150"),
    ("env-value-none", on_task('env={"X": ⟦None}'), "TPH150"),
    ("env-value-list", on_task('env={"X": ⟦["a"]}'), "TPH150"),
    ("env-value-env-from-helper", on_task('env={"X": ⟦secret_env("s")}'), "TPH150"),
    ("env-not-a-dict", on_task('env=⟦["A=1"]'), "TPH150"),
    ("env-reserved-name", on_task('env={⟦"TIPHYS_INPUT_x": "1"}'), "TPH153"),
    ("env-name-with-equals", on_task('env={⟦"A=B": "1"}'), "TPH153"),
    ("env-name-twice", on_task('env={"A": "1", ⟦"A": secret("s", "k")}'), "TPH153"),
    ("env-shadows-bash-input", """
b = bash("b", "echo $who", inputs=["who"], env={⟦"who": "me"})
wf = workflow("w", b(who="x"))
""", "TPH153"),
    ("env-from-wrong-kind", on_task('env_from=[⟦secret("s", "k")]'), "TPH152"),
    ("env-from-twice", on_task('env_from=[secret_env("s"), ⟦secret_env("s", prefix="X_")]'),
     "TPH152"),
    ("env-from-bad-prefix", on_task('env_from=[config_map_env("c", prefix=⟦"A=")]'), "TPH152"),
    ("env-from-bad-name", on_task('env_from=[config_map_env(⟦"Settings")]'), "TPH152"),
    # -- volumes ----------------------------------------------------------------------------
    ("mount-relative-path", on_task('volumes={⟦"data": "v"}'), "TPH160"),
    ("mount-path-dotdot", on_task('volumes={⟦"/data/../etc": "v"}'), "TPH160"),
    ("mount-path-colon", on_task('volumes={⟦"/data:rw": "v"}'), "TPH160"),
    ("mount-root", on_task('volumes={⟦"/": "v"}'), "TPH160"),
    ("mount-path-not-string", on_task("volumes={⟦3: \"v\"}"), "TPH160"),
    ("mount-path-twice", on_task('volumes={"/data": "v", ⟦"/data/": mount("v")}'), "TPH161"),
    ("sub-path-absolute", on_task('volumes={"/data": ⟦mount("v", sub_path="/x")}'), "TPH162"),
    ("sub-path-dotdot", on_task('volumes={"/data": ⟦mount("v", sub_path="a/../../b")}'),
     "TPH162"),
    ("mount-undeclared", on_task('volumes={⟦"/data": "missing"}'), "TPH314"),
    ("mirror-without-mounts",
     on_task('sidecars=[sidecar("s", "nginx", mirror_volume_mounts=⟦True)]'), "TPH163"),
    # -- pods -------------------------------------------------------------------------------
    ("cpu-quantity", on_task('cpu=⟦"lots"'), "TPH181"),
    ("memory-quantity", on_task('memory=⟦"1 GB"'), "TPH181"),
    ("resources-name", on_task('resources={"limits": {⟦"ephemeral storage": "1Gi"}}'),
     "TPH181"),
    ("resources-quantity", on_task('resources={"requests": {"ephemeral-storage": ⟦"2 gigs"}}'),
     "TPH181"),
    ("sidecar-memory", on_task('sidecars=[sidecar("s", "nginx", memory=⟦"lots")]'), "TPH181"),
    ("toleration-operator", on_task('tolerations=[{"key": "gpu", "operator": ⟦"Exist"}]'),
     "TPH180"),
    ("toleration-unknown-field", on_task('tolerations=[{⟦"effects": "NoSchedule"}]'), "TPH180"),
    ("node-selector-key", on_task('node_selector={⟦"bad key!": "x"}'), "TPH180"),
    ("affinity-unknown-key", on_task('affinity={⟦"podAfinity": {}}'), "TPH170"),
    ("affinity-bad-operator", on_task(
        'affinity={"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": '
        '{"nodeSelectorTerms": [{"matchExpressions": [{"key": "a", "operator": ⟦"Inn"}]}]}}}'),
     "TPH170"),
    ("affinity-missing-field", on_task(
        'affinity={"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": '
        '[⟦{"labelSelector": {}}]}}'), "TPH170"),
    ("pod-affinity-bad-label", on_task('affinity=pod_affinity(⟦{"bad key!": "x"})'), "TPH170"),
    ("node-affinity-empty", on_task("affinity=⟦node_affinity()"), "TPH171"),
    ("node-affinity-weight", on_task(
        'affinity=node_affinity(preferred={"zone": "a"}, weight=⟦0)'), "TPH171"),
    ("node-affinity-values", on_task('affinity=node_affinity(required={"zone": ⟦[]})'),
     "TPH171"),
    ("node-affinity-twice", on_task(
        'affinity=[node_affinity(required={"a": "b"}), ⟦node_affinity(preferred={"c": "d"})]'),
     "TPH171"),
    ("affinity-wrong-kind", on_task('affinity=⟦"amd64"'), "TPH171"),
    ("security-context-snake-case", on_task('security_context={⟦"run_as_user": 1000}'),
     "TPH172"),
    ("security-context-type", on_task('security_context={"runAsUser": ⟦"root"}'), "TPH172"),
    ("container-security-unknown", on_task(
        'container_security_context={"capabilities": {⟦"remove": ["ALL"]}}'), "TPH172"),
    ("security-context-pod-field-on-container", on_task(
        'container_security_context={⟦"fsGroup": 1000}'), "TPH172"),
    ("security-context-not-dict", on_task("security_context=⟦[1000]"), "TPH172"),
    ("pod-spec-patch-yaml", on_task('pod_spec_patch=⟦"containers: ["'), "TPH173"),
    ("pod-spec-patch-list", on_task('pod_spec_patch=⟦"- a\\n- b"'), "TPH173"),
    ("pod-spec-patch-empty", on_task("pod_spec_patch=⟦{}"), "TPH173"),
    ("pod-spec-patch-unknown-container", on_task(
        'pod_spec_patch={"containers": [{"name": ⟦"mian", "image": "x"}]}'), "TPH179"),
    ("pod-label-value", on_task('labels={"team": ⟦"data team"}'), "TPH174"),
    ("pod-label-key", on_task('labels={⟦"-team": "data"}'), "TPH174"),
    ("pod-annotations-not-strings", on_task('annotations=⟦{"replicas": 3}'), "TPH174"),
    ("service-account-name", on_task('service_account=⟦"Data_Runner"'), "TPH175"),
    ("sidecar-named-main", on_task('sidecars=[sidecar(⟦"main", "nginx")]'), "TPH176"),
    ("sidecar-named-wait", on_task('sidecars=sidecar(⟦"wait", "nginx")'), "TPH176"),
    ("sidecar-bad-name", on_task('sidecars=[sidecar(⟦"Proxy_1", "nginx")]'), "TPH176"),
    ("container-names-clash", on_task(
        'sidecars=[sidecar("proxy", "nginx")], init_containers=[init_container(⟦"proxy", '
        '"alpine")]'), "TPH176"),
    ("sidecars-wrong-kind", on_task('sidecars=[⟦init_container("i", "alpine")]'), "TPH177"),
    ("sidecars-dict", on_task('sidecars=[⟦{"name": "s", "image": "nginx"}]'), "TPH177"),
    ("sidecar-empty-image", on_task('sidecars=[sidecar("s", ⟦"")]'), "TPH177"),
    ("daemon-output-argument", """
@task(daemon=True)
def serve() -> str:
    return "never"
@task
def use(address: str) -> None:
    print(address)
s = serve()
wf = workflow("w", pipeline(s, use(address=⟦s)))
""", "TPH178"),
    ("daemon-output-attribute", """
cache = bash("cache", "redis-server", daemon=True)
c = cache()
b = bash("b", "echo $x", inputs=["x"])
wf = workflow("w", pipeline(c, b(x=⟦c.output)))
""", "TPH178"),
    ("daemon-named-output", """
srv = container("srv", "nginx", daemon=True)
s = srv()
b = bash("b", "echo $x", inputs=["x"])
wf = workflow("w", pipeline(s, b(x=⟦s.outputs["result"])))
""", "TPH178"),
    ("daemon-with-outputs", """
srv = container("srv", "nginx", outputs={"port": "/tmp/port"}, daemon=⟦True)
wf = workflow("w", srv())
""", "TPH178"),
    ("helper-as-task-argument", """
@task
def t(x: str) -> str:
    return x
wf = workflow("w", t(x=⟦secret("s", "k")))
""", "TPH111"),
]


def _unmark(source: str) -> tuple[str, int, int]:
    index = source.index(MARK)
    before = source[:index]
    line = before.count("\n") + 1
    col = index - (before.rfind("\n") + 1) + 1
    return source.replace(MARK, "", 1), line, col


@pytest.mark.parametrize("source,code", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_misuse_is_reported_where_it_is(tmp_path: Path, source: str, code: str) -> None:
    text, line, col = _unmark(HEAD + source)
    docs, diags = compile_text(tmp_path, text)
    found = [(d.line, d.col) for d in diags if d.code == code]
    assert found, f"expected {code}; got {[(d.code, d.line, d.col, d.message) for d in diags]}"
    assert "TPH900" not in {d.code for d in diags}, "a user's mistake is not an internal error"
    assert (line, col) in found, (code, found, [(d.code, d.message) for d in diags])
    mine = next(d for d in diags if d.code == code and (d.line, d.col) == (line, col))
    if mine.is_error:
        assert docs == [], "nothing may be emitted when there are errors"
    else:
        assert docs, "a warning alone does not stop the output"


def test_every_problem_of_a_task_is_reported_at_once(tmp_path: Path) -> None:
    text = HEAD + on_task(
        'retries=retry(-1, policy="Sometimes"), memoize=memoize("", max_age="1h", cache="c"), '
        'env={"A": param("p")}, security_context={"runAsUser": -1}, '
        'sidecars=[sidecar("main", "nginx")]'
    )
    _, diags = compile_text(tmp_path, text)
    assert {"TPH140", "TPH141", "TPH144", "TPH150", "TPH172", "TPH176"} <= {d.code for d in diags}


def test_messages_say_how_to_fix(tmp_path: Path) -> None:
    text = HEAD + on_task('retries=retry(2, policy="on_error"), security_context={"fs_group": 1}')
    _, diags = compile_text(tmp_path, text)
    messages = {d.code: d.message for d in diags}
    assert "did you mean 'OnError'" in messages["TPH140"]
    assert "did you mean 'fsGroup'" in messages["TPH172"]
    assert "camelCase" in messages["TPH172"]


def test_a_helper_call_is_checked_once_even_when_reused(tmp_path: Path) -> None:
    """A broken helper bound to a name is reported at its call, not at every use."""
    text = HEAD + """
TOKEN = secret("Bad_Name", "token")
@task(env={"A": TOKEN})
def a() -> str:
    return "a"
@task(env={"B": TOKEN})
def b() -> str:
    return "b"
wf = workflow("w", pipeline(a(), b()))
"""
    _, diags = compile_text(tmp_path, text)
    assert [(d.code, d.line) for d in diags] == [("TPH151", 5)]
