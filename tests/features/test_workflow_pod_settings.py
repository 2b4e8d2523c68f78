"""``workflow(...)`` options that set every pod of the run (``spec.podMetadata``,
``imagePullSecrets``, ``dnsConfig``, ...): written where Argo reads them, each checked against
the strict schema at the literal that is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tiphys.compiler.cli import main

HEAD = '''\
from tiphys import container, workflow, workflow_status

hello = container("hello", "busybox", command=["echo"], args=["hi"])
flow = workflow("pods", hello(),
'''


def _compile(tmp_path: Path, options: str) -> tuple[int, str]:
    src = tmp_path / "flow.py"
    src.write_text(HEAD + options + ")\n")
    result = CliRunner().invoke(main, ["compile", str(src)])
    return result.exit_code, result.output


@pytest.mark.parametrize(("option", "key", "value"), [
    ('pod_metadata={"labels": {"team": "data"}}', "podMetadata", {"labels": {"team": "data"}}),
    ('node_selector={"disktype": "ssd"}', "nodeSelector", {"disktype": "ssd"}),
    ('tolerations=[{"key": "gpu", "operator": "Exists"}]', "tolerations",
     [{"key": "gpu", "operator": "Exists"}]),
    ('affinity={"podAntiAffinity": {}}', "affinity", {"podAntiAffinity": {}}),
    ('security_context={"runAsNonRoot": True}', "securityContext", {"runAsNonRoot": True}),
    ('image_pull_secrets="registry"', "imagePullSecrets", [{"name": "registry"}]),
    ('image_pull_secrets=["a", "b", "a"]', "imagePullSecrets", [{"name": "a"}, {"name": "b"}]),
    ('priority_class="high"', "podPriorityClassName", "high"),
    ('scheduler_name="volcano"', "schedulerName", "volcano"),
    ('host_aliases=[{"ip": "10.0.0.1", "hostnames": ["db"]}]', "hostAliases",
     [{"ip": "10.0.0.1", "hostnames": ["db"]}]),
    ('dns_policy="Default"', "dnsPolicy", "Default"),
    ('dns_config={"nameservers": ["1.2.3.4"], "options": [{"name": "ndots", "value": "2"}]}',
     "dnsConfig", {"nameservers": ["1.2.3.4"], "options": [{"name": "ndots", "value": "2"}]}),
    ('pod_disruption_budget={"minAvailable": 1}', "podDisruptionBudget", {"minAvailable": 1}),
])
def test_each_setting_lands_in_the_spec(tmp_path: Path, option: str, key: str,
                                        value: object) -> None:
    code, out = _compile(tmp_path, "    " + option)
    assert code == 0, out
    spec = next(d for d in yaml.safe_load_all(out) if d)["spec"]
    assert spec[key] == value
    # The settings are the run's, not a template's.
    assert all(key not in t for t in spec["templates"])


@pytest.mark.parametrize(("option", "col", "message"), [
    ('image_pull_secrets=["Bad_Name"]', 24, "'image_pull_secrets' must be the name of a Secret"),
    ('image_pull_secrets=[]', 24, "'image_pull_secrets' must be the name of a Secret"),
    ('dns_policy="Sometimes"', 16, "'dns_policy' must be one of ClusterFirst, "),
    ('dns_config={"nameserver": ["1.2.3.4"]}', 17,
     "workflow dns_config: unknown field 'nameserver' (did you mean 'nameservers'?)"),
    ('pod_metadata={"notes": {}}', 18, "'pod_metadata' must be a dict with 'labels'"),
    ('pod_metadata={"labels": {"team": "data!"}}', 38, "workflow pod_metadata: 'data!' is not "
     "valid here"),
    ('security_context={"runAsUser": "me"}', 36,
     "workflow security_context: expected integer, got string 'me'"),
    ('host_aliases=[{"ip": 10}]', 26, "workflow host_aliases: expected string, got integer 10"),
    ('pod_disruption_budget={"minAvailabl": 1}', 28,
     "unknown field 'minAvailabl' (did you mean 'minAvailable'?)"),
    ('node_selector=3', 19, "workflow node_selector: expected object, got integer 3"),
    ('scheduler_name=f"{x}"', 20, "'scheduler_name'"),
])
def test_a_wrong_setting_is_reported_where_it_is_written(tmp_path: Path, option: str, col: int,
                                                          message: str) -> None:
    code, out = _compile(tmp_path, "    " + option)
    assert code == 1, out
    assert f"flow.py:5:{col}: " in out, out
    assert message in out, out
    assert "Traceback" not in out


def test_label_values_may_be_f_strings_of_workflow_values(tmp_path: Path) -> None:
    src = tmp_path / "flow.py"
    src.write_text('''\
from tiphys import container, param, workflow, workflow_name

team = param("team", "data")
hello = container("hello", "busybox", command=["echo"], args=["hi"])
flow = workflow("pods", hello(),
    pod_metadata={"labels": {"team": f"{team}"}, "annotations": {"run": f"run-{workflow_name}"}},
    node_selector={"pool": f"{team}-pool"})
''')
    result = CliRunner().invoke(main, ["compile", str(src)])
    assert result.exit_code == 0, result.output
    spec = next(d for d in yaml.safe_load_all(result.output) if d)["spec"]
    assert spec["podMetadata"] == {"labels": {"team": "{{workflow.parameters.team}}"},
                                   "annotations": {"run": "run-{{workflow.name}}"}}
    assert spec["nodeSelector"] == {"pool": "{{workflow.parameters.team}}-pool"}
    assert spec["arguments"]["parameters"] == [{"name": "team", "value": "data"}]


def test_the_run_status_is_not_known_when_pod_settings_are_filled_in(tmp_path: Path) -> None:
    code, out = _compile(tmp_path, '    pod_metadata={"labels": {"s": f"{workflow_status}"}}')
    assert code == 1
    assert "TPH511" in out and "flow.py:5:" in out


@pytest.mark.parametrize(("option", "want"), [
    ('pod_spec_patch={"terminationGracePeriodSeconds": 5}', '{"terminationGracePeriodSeconds": 5}'),
    ('pod_spec_patch="priority: 3\\n"', "priority: 3\n"),
])
def test_a_pod_spec_patch_of_every_pod(tmp_path: Path, option: str, want: str) -> None:
    code, out = _compile(tmp_path, "    " + option)
    assert code == 0, out
    spec = next(d for d in yaml.safe_load_all(out) if d)["spec"]
    assert spec["podSpecPatch"] == want
    assert all("podSpecPatch" not in t for t in spec["templates"])


def test_a_pod_spec_patch_may_read_workflow_parameters(tmp_path: Path) -> None:
    src = tmp_path / "flow.py"
    src.write_text('''\
from tiphys import container, param, workflow

sched = param("sched", "volcano")
hello = container("hello", "busybox", command=["echo"], args=["hi"])
flow = workflow("pods", hello(), pod_spec_patch=f\'{{"schedulerName": "{sched}"}}\')
''')
    result = CliRunner().invoke(main, ["compile", str(src)])
    assert result.exit_code == 0, result.output
    spec = next(d for d in yaml.safe_load_all(result.output) if d)["spec"]
    assert spec["podSpecPatch"] == '{"schedulerName": "{{workflow.parameters.sched}}"}'
    assert spec["arguments"]["parameters"] == [{"name": "sched", "value": "volcano"}]


def test_a_broken_patch_is_reported(tmp_path: Path) -> None:
    code, out = _compile(tmp_path, '    pod_spec_patch="a: [1"')
    assert code == 1
    assert "flow.py:5:20: TPH173 pod_spec_patch is not valid YAML or JSON" in out


@pytest.mark.parametrize(("option", "message"), [
    ('dns_policy="None", dns_config={"searches": ["a.local"]}',
     "'dns_policy': dns_policy=\"None\" leaves the pod no DNS but dns_config"),
    ('dns_policy="None"', "'dns_policy': dns_policy=\"None\" leaves the pod no DNS"),
    ('scheduler_name="Bad Name"', "'scheduler_name': 'Bad Name' is not a Kubernetes object name"),
    ('priority_class="High"', "'priority_class': 'High' is not a Kubernetes object name"),
    ('host_aliases=[{"ip": "10.0.0.300", "hostnames": ["x"]}]',
     "'host_aliases': host alias ip '10.0.0.300' is not an IPv4 or IPv6 address"),
    ('tolerations=[{"key": "k", "operator": "Exists", "value": "v"}]',
     "'tolerations': a toleration with operator \"Exists\" matches any value"),
    ('pod_disruption_budget={"minAvailable": 1, "maxUnavailable": 1}',
     "sets exactly one of minAvailable and maxUnavailable"),
    ('pod_disruption_budget={"maxUnavailable": "150%"}',
     "maxUnavailable is a number of pods or a percentage from 0% to 100%; got '150%'"),
    ('pod_disruption_budget={"minAvailable": "x%"}', "got 'x%'"),
    ('pod_disruption_budget={"minAvailable": -1}', "minAvailable must be 0 or more; got -1"),
])
def test_settings_kubernetes_refuses_are_reported(tmp_path: Path, option: str,
                                                  message: str) -> None:
    code, out = _compile(tmp_path, "    " + option)
    assert code == 1, out
    assert "flow.py:5:" in out and "TPH131" in out and message in out, out


@pytest.mark.parametrize("option", [
    'dns_policy="None", dns_config={"nameservers": ["1.1.1.1"]}',
    'host_aliases=[{"ip": "fe80::1", "hostnames": ["x"]}]',
    'pod_disruption_budget={"maxUnavailable": "25%"}',
    'pod_disruption_budget={"minAvailable": 0}',
    'tolerations=[{"key": "k", "operator": "Exists"}]',
])
def test_settings_kubernetes_takes_compile(tmp_path: Path, option: str) -> None:
    code, out = _compile(tmp_path, "    " + option)
    assert code == 0, out


def test_a_task_toleration_with_exists_and_a_value_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "flow.py"
    src.write_text('''\
from tiphys import task, workflow

@task(tolerations=[{"key": "k", "operator": "Exists", "value": "v"}])
def foo() -> None:
    print("x")

wf = workflow("w", foo())
''')
    result = CliRunner().invoke(main, ["compile", str(src)])
    assert result.exit_code == 1
    assert "flow.py:3:19: TPH180 a toleration with operator \"Exists\" matches any value" in \
        result.output


@pytest.mark.parametrize(("option", "at", "message"), [
    ('pod_spec_patch={"containerz": []}', '"containerz"',
     "TPH173 pod_spec_patch: 'containerz' is not a field of a Kubernetes PodSpec (did you mean "
     "'containers'?)"),
    ('pod_spec_patch={"containers": [{"name": "main", "resources": {"limits": {"cpu": "lots"}}}]}',
     '"lots"', "TPH173 pod_spec_patch: 'lots' is not valid here: use a Kubernetes quantity"),
    ('pod_spec_patch="containers:\\n- name: main\\n  bogus: 1\\n"', '"containers',
     "TPH173 pod_spec_patch: unknown field 'bogus'"),
])
def test_a_patch_argo_would_drop_or_fail_on_is_reported(tmp_path: Path, option: str, at: str,
                                                         message: str) -> None:
    code, out = _compile(tmp_path, "    " + option)
    assert code == 1, out
    line = "    " + option
    assert f"flow.py:5:{line.index(at) + 1}: {message}" in out, out
