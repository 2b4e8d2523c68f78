"""Ports of Hera's example gallery (samples/hera/<example>.py): each compiles clean, matches
its golden file (tests/golden/hera/<example>.yaml), passes the strict and official schemas and
Argo's rules, runs in ``tiphys run``'s engine, and has the structure the Hera example has
(tests/hera/expected/<example>.yaml, written here from reading the example).

A port dropped into samples/hera/ is picked up by every test here; it needs its expectation
and its golden file (``python -m pytest tests/hera --update-goldens``, review the diff).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hera_structure import mismatches, summarise
from jsonschema import Draft202012Validator

from tiphys.compiler.commands.compile import compile_paths
from tiphys.compiler.lower.workflow import Settings
from tiphys.compiler.run import Run
from tiphys.compiler.run.model import Node
from tiphys.compiler.strict_schema import check_strict
from tiphys.compiler.validator import check_documents

from compile_helpers import compile_sample, load_all
from conftest import GOLDEN, REPO, SAMPLES, require_shared
from run_helpers import run_doc

HERA = SAMPLES / "hera"
EXPECTED = Path(__file__).resolve().parent / "expected"
HERA_GOLDEN = GOLDEN / "hera"
PORTS = sorted(HERA.glob("*.py"))
IDS = [p.stem for p in PORTS]
INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def expectation(port: Path) -> dict[str, Any]:
    path = EXPECTED / f"{port.stem}.yaml"
    assert path.exists(), f"no expectation {path.relative_to(REPO)} for {port.name}"
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


_COMPILED: dict[Path, str] = {}


def compiled(port: Path) -> str:
    """Compile once per session: the same text feeds every check below."""
    if port not in _COMPILED:
        _COMPILED[port] = compile_sample(port)
    return _COMPILED[port]


def test_there_are_ports() -> None:
    assert len(PORTS) >= 40, [p.name for p in PORTS]


@pytest.mark.parametrize("port", PORTS, ids=IDS)
def test_compiles_clean(port: Path) -> None:
    _, diags = compile_paths([str(port)], Settings())
    got = sorted(d.code for d in diags.sorted())
    assert got == sorted(expectation(port).get("warnings", [])), [str(d) for d in diags.sorted()]


@pytest.mark.parametrize("port", PORTS, ids=IDS)
def test_golden(port: Path, update_goldens: bool) -> None:
    text = compiled(port)
    golden = HERA_GOLDEN / f"{port.stem}.yaml"
    if update_goldens:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run pytest --update-goldens"
    assert text == golden.read_text(encoding="utf-8"), (
        f"{port.name} compiles differently from {golden.name}; if intended, rerun with "
        "--update-goldens and review the diff")


@pytest.mark.parametrize("port", PORTS, ids=IDS)
def test_strict_schema_and_argo_rules(port: Path) -> None:
    docs = load_all(compiled(port))
    for doc in docs:
        assert check_strict(doc) == []
    assert [f for f in check_documents(docs) if f.severity.value == "error"] == []


@pytest.fixture(scope="module")
def official() -> dict[str, Any]:
    shared = require_shared()
    schema: dict[str, Any] = json.loads((shared / "argo" / "schema.json").read_text())
    if INT_OR_STRING in schema["definitions"]:  # as Kubernetes decodes it
        schema["definitions"][INT_OR_STRING] = {"type": ["integer", "string"]}
    return schema


@pytest.mark.parametrize("port", PORTS, ids=IDS)
def test_official_schema(port: Path, official: dict[str, Any]) -> None:
    for doc in load_all(compiled(port)):
        wrapper = {"$ref": f"#/definitions/io.argoproj.workflow.v1alpha1.{doc['kind']}",
                   "definitions": official["definitions"]}
        errors = [f"{list(e.absolute_path)}: {e.message}"
                  for e in Draft202012Validator(wrapper).iter_errors(doc)]
        assert errors == []


@needs_bash
@pytest.mark.parametrize("port", PORTS, ids=IDS)
def test_runs_in_the_engine(port: Path) -> None:
    docs = load_all(compiled(port))
    want = expectation(port).get("run", "Succeeded")
    for doc in docs:
        run = run_doc(doc, library=docs)
        assert run.phase == want, [(n.name, n.phase, n.message) for n in run.nodes.values()
                                   if n.phase in ("Failed", "Error")]
        if want == "Succeeded":
            _check_scripts_ran(doc, run)


def _check_scripts_ran(doc: dict[str, Any], run: Run) -> None:
    """Every Python template ran (its pod ended, successfully or not: a port may fail on
    purpose), or was left out by the workflow's own logic (a condition, a dependency's
    result), or was reported as needing what only a cluster has. At least one ran unless
    all needed a cluster."""
    spec = doc["spec"].get("workflowSpec", doc["spec"])
    python = {t["name"] for t in spec["templates"]
              if t.get("script", {}).get("command") == ["python"]}
    ran = {n.template for n in run.nodes.values() if n.type == "Pod"
           and n.phase in ("Succeeded", "Failed", "Error")} | {c[0] for c in run.calls}
    steps = [s for t in spec["templates"] for s in
             [s for g in t.get("steps") or [] for s in g] + t.get("dag", {}).get("tasks", [])]
    by_step = {step["name"]: step.get("template", "") for step in steps}
    # A node left out has no template of its own; a step's exit handler shows as
    # "<step>.onExit" (compiler/run/hooks.py).
    by_step.update({f"{step['name']}.onExit": (step.get("hooks") or {}).get("exit", {}).get(
        "template", step.get("onExit", "")) for step in steps})

    def template(node: Node) -> str:
        return node.template or by_step.get(node.display.split("(")[0], "")

    left_out = {template(n) for n in run.nodes.values() if n.phase in ("Omitted", "Skipped")}
    needs_cluster = {template(n) for n in run.nodes.values() if n.message.startswith("not run: ")}
    assert python <= ran | left_out | needs_cluster, python - ran - left_out - needs_cluster
    if python and not python <= needs_cluster:
        assert python & ran, "no Python task ran"


@pytest.mark.parametrize("port", PORTS, ids=IDS)
def test_structure_matches_the_hera_example(port: Path) -> None:
    want = expectation(port)
    assert want.get("hera", "").startswith("examples/workflows/"), "name the Hera example"
    docs = load_all(compiled(port))
    problems = mismatches(want, summarise(docs[0]))
    # A port of several documents (WorkflowTemplates calling each other) lists each one.
    subs = want.get("documents", [])
    assert not subs or len(subs) == len(docs), f"{len(docs)} documents, {len(subs)} expected"
    for index, sub in enumerate(subs):
        problems += [f"document {index}: {p}" for p in mismatches(sub, summarise(docs[index]))]
    assert problems == []


def test_no_stale_expectations_or_goldens() -> None:
    stems = set(IDS)
    assert {p.stem for p in EXPECTED.glob("*.yaml")} <= stems
    assert {p.stem for p in HERA_GOLDEN.glob("*.yaml")} <= stems


def test_workflow_names_are_unique_across_samples() -> None:
    """`tiphys compile samples -o out` writes one file per workflow name: no two may clash."""
    names: dict[str, str] = {}
    for path in sorted(SAMPLES.rglob("*.py")):
        results, _ = compile_paths([str(path)], Settings())
        for result in results:
            for wf in result.workflows:
                meta = wf.document["metadata"]
                name = meta.get("name") or meta.get("generateName")
                assert name not in names, f"{path} and {names[name]} both define {name}"
                names[name] = str(path)


def test_the_guide_lists_every_port() -> None:
    guide = (REPO / "docs" / "hera.md").read_text(encoding="utf-8")
    missing = [p.stem for p in PORTS if f"samples/hera/{p.name}" not in guide]
    assert missing == []


def test_the_guides_links_resolve() -> None:
    guide = REPO / "docs" / "hera.md"
    text = guide.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(((?!https?:)[^)#]+)", text)
    assert targets
    missing = [t for t in targets if not (guide.parent / t).exists()]
    assert missing == []


def test_a_wrong_expectation_is_caught() -> None:
    """The comparison can fail: a port checked against another example's expectation."""
    diamond = HERA / "dag_diamond.py"
    coinflip = yaml.safe_load((EXPECTED / "coinflip.yaml").read_text(encoding="utf-8"))
    assert mismatches(coinflip, summarise(load_all(compiled(diamond))[0]))
    wrong_edge = dict(expectation(diamond), edges={"entry": ["a -> d"]})
    assert mismatches(wrong_edge, summarise(load_all(compiled(diamond))[0]))
