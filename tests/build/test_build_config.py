"""[tool.tiphys]: discovery like black/ruff, the schema, diagnostics at the key, flags."""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from build_helpers import GOOD, make_project, own_cache_env, run

from tiphys.compiler.commands.config import discover, load_config
from tiphys.compiler.commands.config_schema import (
    ANNOTATIONS,
    FAST_KEYWORDS,
    SETTINGS_KEYS,
    conforms,
    load_schema,
    validate_table,
)
from tiphys.compiler.commands.toml_positions import key_positions, locate
from tiphys.compiler.lower.workflow import Settings

from conftest import REPO

__all__ = ["own_cache_env"]


def diags_for(tmp_path: Path, table: str) -> list[tuple[str, int, int, str]]:
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / "pyproject.toml").write_text(table, encoding="utf-8")
    _, diags = load_config([], cwd=str(tmp_path))
    return [(d.code, d.line, d.col, d.message) for d in diags]


# ------------------------------------------------------------------------------ discovery


def test_nearest_pyproject_with_a_tiphys_table(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.tiphys]\nnamespace = \"outer\"\n")
    inner = tmp_path / "pkg" / "flows"
    inner.mkdir(parents=True)
    # A pyproject.toml without [tool.tiphys] on the way up is skipped, like black and ruff.
    (tmp_path / "pkg" / "pyproject.toml").write_text("[tool.black]\nline-length = 90\n")
    found, root = discover([str(inner)], str(tmp_path))
    assert found == str(tmp_path / "pyproject.toml") and root == str(tmp_path)
    (tmp_path / "pkg" / "pyproject.toml").write_text("[tool.tiphys]\nnamespace = \"inner\"\n")
    config, diags = load_config([str(inner)], cwd=str(tmp_path))
    assert not diags and config.settings == {"namespace": "inner"}
    assert config.root == str(tmp_path / "pkg")


def test_search_starts_at_the_common_parent_of_the_paths(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.py").write_text(GOOD)
    (tmp_path / "a" / "pyproject.toml").write_text("[tool.tiphys]\ntag = \"a\"\n")
    (tmp_path / "pyproject.toml").write_text("[tool.tiphys]\ntag = \"top\"\n")
    config, _ = load_config(["a/x.py"], cwd=str(tmp_path))
    assert config.settings == {"tag": "a"}
    config, _ = load_config(["a/x.py", "b/x.py"], cwd=str(tmp_path))
    assert config.settings == {"tag": "top"}
    config, _ = load_config([], cwd=str(tmp_path / "a"))  # no paths: the working directory
    assert config.settings == {"tag": "a"}


@pytest.mark.parametrize("marker", [".git", ".hg"])
def test_search_stops_at_the_repository_root(tmp_path: Path, marker: str) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.tiphys]\ntag = \"outside\"\n")
    repo = tmp_path / "repo"
    (repo / marker).mkdir(parents=True)
    (repo / "flows").mkdir()
    found, root = discover(["flows"], str(repo))
    assert found is None and root == str(repo)
    config, diags = load_config(["flows"], cwd=str(repo))
    assert not diags and config.settings == {} and config.root == str(repo)


def test_git_file_of_a_worktree_stops_too(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.tiphys]\ntag = \"outside\"\n")
    repo = tmp_path / "wt"
    repo.mkdir()
    (repo / ".git").write_text("gitdir: /elsewhere\n")
    assert discover([], str(repo)) == (None, str(repo))


def test_explicit_config_wins(tmp_path: Path) -> None:
    make_project(tmp_path, table='[tool.tiphys]\nnamespace = "discovered"\n')
    (tmp_path / "ci.toml").write_text('namespace = "standalone"\n')
    (tmp_path / "other.toml").write_text('[tool.tiphys]\nnamespace = "other"\n')
    code, out, err = run(["compile", "flows", "--config", "ci.toml"], tmp_path)
    assert code == 0, err
    assert {d["metadata"]["namespace"] for d in yaml.safe_load_all(out)} == {"standalone"}
    code, out, _ = run(["compile", "flows", "--config", "other.toml"], tmp_path)
    assert {d["metadata"]["namespace"] for d in yaml.safe_load_all(out)} == {"other"}


def test_relative_paths_resolve_against_the_pyproject_folder(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    config, diags = load_config(["../proj/flows"], cwd=str(elsewhere))
    assert not diags
    assert config.paths == (os.path.join("..", "proj", "flows"),)
    assert config.output == os.path.join("..", "proj", "deploy", "argo")
    code, _, err = run(["compile", "--config", str(root / "pyproject.toml")], elsewhere)
    assert code == 0, err
    assert (root / "deploy" / "argo" / "hello.yaml").exists()
    assert not (elsewhere / "deploy").exists()


# ---------------------------------------------------------------------------- diagnostics


def test_unknown_key_names_it_at_its_position_and_suggests(tmp_path: Path) -> None:
    table = '[project]\nname = "x"\n\n[tool.tiphys]\npaths = ["flows"]\n  imgae = "python:3.12"\n'
    (tmp_path / "flows").mkdir()
    [(code, line, col, message)] = diags_for(tmp_path, table)
    assert (code, line, col) == ("TPH041", 6, 3)
    assert "'imgae'" in message and "did you mean 'image'?" in message


def test_snake_case_key_suggests_kebab_case(tmp_path: Path) -> None:
    [(code, line, col, message)] = diags_for(
        tmp_path, '[tool.tiphys]\nservice_account = "runner"\n')
    assert (code, line, col) == ("TPH041", 2, 1)
    assert "did you mean 'service-account'? (keys are kebab-case)" in message


def test_unknown_key_without_a_close_match_lists_the_keys(tmp_path: Path) -> None:
    [(code, _, _, message)] = diags_for(tmp_path, "[tool.tiphys]\nzzz = 1\n")
    assert code == "TPH041" and "valid keys: argo-version, bash-image" in message


def test_unknown_key_in_the_lint_subtable(tmp_path: Path) -> None:
    table = "[tool.tiphys]\nkind = \"Workflow\"\n\n[tool.tiphys.lint]\nselect = [\"TPH\"]\nignor = []\n"
    [(code, line, col, message)] = diags_for(tmp_path, table)
    assert (code, line, col) == ("TPH041", 6, 1)
    assert "[tool.tiphys.lint]" in message and "did you mean 'ignore'?" in message


def test_dotted_and_inline_table_positions(tmp_path: Path) -> None:
    table = '[tool]\ntiphys.lint = { select = ["TPH"], ignor = ["X"] }\n'
    [(code, line, col, _)] = diags_for(tmp_path, table)
    assert (code, line, col) == ("TPH041", 2, 35)
    table = '[tool.tiphys]\n"argo-version" = 3.6\n'
    [(code, line, col, message)] = diags_for(tmp_path, table)
    assert (code, line, col) == ("TPH042", 2, 1)
    assert 'must be a string, not a float; quote it: argo-version = "3.6"' in message


@pytest.mark.parametrize("line, expected", [
    ('paths = "flows"', "tool.tiphys.paths must be an array, not a string"),
    ('kind = "Workflows"', "'Workflows' is not a valid kind: expected one of WorkflowTemplate, "
                           "Workflow, ClusterWorkflowTemplate; did you mean 'Workflow'?"),
    ('argo-version = "3"', "'3' is not a valid argo-version: expected MAJOR.MINOR"),
    ('namespace = "Team_A"', "'Team_A' is not a valid namespace: expected a DNS-1123 label"),
    ('cache = 1', "tool.tiphys.cache must be a boolean (true or false) or a string, not an "
                  "integer"),
    ('output = ""', "tool.tiphys.output must not be empty"),
    ('cloudharness = "yes"', "tool.tiphys.cloudharness must be a table, not a string"),
])
def test_invalid_values(tmp_path: Path, line: str, expected: str) -> None:
    [(code, lineno, col, message)] = diags_for(tmp_path, f"# c\n[tool.tiphys]\n{line}\n")
    assert (code, lineno, col) == ("TPH042", 3, 1)
    assert message.startswith(expected), message


def test_array_item_position_is_its_key(tmp_path: Path) -> None:
    table = '[tool.tiphys.lint]\nselect = [\n  "TPH",\n  "tph9",\n]\n'
    [(code, line, col, message)] = diags_for(tmp_path, table)
    assert (code, line, col) == ("TPH042", 2, 1)
    assert "'tph9' is not a valid select" in message


def test_invalid_toml_is_reported_at_its_position(tmp_path: Path) -> None:
    [(code, line, col, message)] = diags_for(tmp_path, '[tool.tiphys]\npaths = ["a",\nkind = 3\n')
    assert code == "TPH040" and message.startswith("invalid TOML: ")
    assert (line, col) != (0, 0)


def test_missing_source_path(tmp_path: Path) -> None:
    (tmp_path / "flows").mkdir()
    [(code, line, col, message)] = diags_for(tmp_path, '[tool.tiphys]\npaths = ["flows", "gone"]\n')
    assert (code, line, col) == ("TPH043", 2, 1)
    assert "'gone'" in message


def test_explicit_pyproject_without_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = \"x\"\n")
    _, diags = load_config([], config_path="pyproject.toml", cwd=str(tmp_path))
    assert [d.code for d in diags] == ["TPH044"]


def test_config_errors_exit_2_in_the_chosen_format(tmp_path: Path) -> None:
    make_project(tmp_path, table="[tool.tiphys]\nimgae = \"x\"\n")
    code, out, err = run(["compile", "flows", "--format", "json"], tmp_path)
    assert code == 2 and out == ""
    [row] = json.loads(err)
    assert row["code"] == "TPH041" and row["path"] == "pyproject.toml" and row["line"] == 5


def test_every_position_points_at_the_key(tmp_path: Path) -> None:
    """Diagnostics for every key: the position holds the key's text."""
    schema = load_schema()
    lines = ["[tool.tiphys]"]
    for key in schema["properties"]:
        if key in ("lint", "cloudharness"):
            continue
        lines.append(f"{key} = {0 if key == 'max-input-size' else 12}")  # each one invalid
    lines += ["", "[tool.tiphys.lint]", "select = 1", "ignore = 2"]
    text = "\n".join(lines) + "\n"
    found = diags_for(tmp_path, text)
    assert len(found) == len(schema["properties"]) - 2 + 2
    text_lines = text.splitlines()
    names = set(schema["properties"]) | {"select", "ignore"}
    for code, line, col, message in found:
        assert code == "TPH042"
        name = re.match(r"[-a-z]+", text_lines[line - 1][col - 1:])
        assert name and name.group(0) in names, (line, col)
        assert name.group(0) in message, message


def test_key_positions_ignore_strings_and_arrays() -> None:
    text = ('[tool.tiphys]\n'
            'paths = [\n  "a",\n  "b = c",\n]\n'
            'notes = """\nkind = "x"\n"""\n'
            "kind = 'Workflow'  # kind = no\n"
            '[tool.tiphys."lint"]\n'
            '  select = []\n')
    pos = key_positions(text)
    assert pos[("tool", "tiphys", "kind")] == (9, 1)
    assert pos[("tool", "tiphys", "lint", "select")] == (11, 3)
    assert locate(pos, ("tool", "tiphys", "lint", "missing")) == (10, 2)
    assert locate(pos, ("nothing",)) == (0, 0)


# --------------------------------------------------------------------------------- schema


def _keywords(schema: Any) -> set[str]:
    out: set[str] = set()
    if isinstance(schema, dict):
        for k, v in schema.items():
            out.add(k)
            if k == "properties":
                for sub in v.values():
                    out |= _keywords(sub)
            elif k == "items":
                out |= _keywords(v)
    return out


def test_schema_is_valid_and_fast_path_understands_it() -> None:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert _keywords(schema) <= FAST_KEYWORDS | ANNOTATIONS


def _samples() -> list[Any]:
    """Valid and invalid values for every key, combined."""
    values: dict[str, list[Any]] = {
        "paths": [["flows"], [], "flows", [""], [1], ["a", "b"]],
        "output": ["deploy", "", 3],
        "image": ["python:3.12", "a b", 1],
        "bash-image": ["bash:5.2", ""],
        "registry": ["r.io/team", "/x", "r.io"],
        "tag": ["1.0", "-bad", "x" * 129, "x" * 128],
        "namespace": ["argo", "Argo", "a" * 64, "a" * 63, "-a"],
        "service-account": ["runner", "run.ner", "RUN"],
        "kind": ["Workflow", "workflow", "CronWorkflow", 1],
        "argo-version": ["3.6", "3", 3.6, "10.12"],
        "cache": [True, False, ".c", "", 0],
        "max-input-size": [1024, 1, 0, -5, "10", 1.5, True],
        "lint": [{}, {"select": ["TPH"]}, {"select": ["tph"]}, {"ignore": "TPH"},
                 {"bogus": []}, []],
        "cloudharness": [{}, {"anything": {"goes": 1}}, "x", []],
        "bogus": [1],
    }
    out: list[Any] = [{}]
    for key, options in values.items():
        out += [{key: v} for v in options]
    keys = list(values)
    for a, b in itertools.combinations(keys, 2):
        out.append({a: values[a][0], b: values[b][-1]})
    return out


def test_fast_check_agrees_with_jsonschema() -> None:
    schema = load_schema()
    validator = jsonschema.Draft202012Validator(schema)
    samples = _samples()
    assert any(validator.is_valid(s) for s in samples)
    assert any(not validator.is_valid(s) for s in samples)
    for s in samples:
        assert conforms(schema, s) == validator.is_valid(s), s
        assert bool(validate_table(s)) == (not validator.is_valid(s)), s


def test_settings_fields_all_have_a_key() -> None:
    """A new Settings field needs a config key (and a flag) or a decision here."""
    fields = {f.name for f in dataclasses.fields(Settings)}
    assert set(SETTINGS_KEYS.values()) == fields
    assert set(SETTINGS_KEYS) <= set(load_schema()["properties"])


def test_docs_describe_every_key_and_code() -> None:
    doc = (REPO / "docs" / "build.md").read_text(encoding="utf-8")
    for key in load_schema()["properties"]:
        assert f"`{key}`" in doc, key
    for sub in load_schema()["properties"]["lint"]["properties"]:
        assert f"`lint.{sub}`" in doc, sub
    for code in ("TPH040", "TPH041", "TPH042", "TPH043", "TPH044", "TPH050", "TPH051"):
        assert code in doc, code


# ------------------------------------------------------------------------ flags vs config


def test_flags_override_config_which_overrides_defaults(tmp_path: Path) -> None:
    make_project(tmp_path, table='[tool.tiphys]\nnamespace = "from-config"\nkind = "Workflow"\n'
                 'image = "python:3.13-slim"\nservice-account = "cfg-sa"\n')
    code, out, err = run(["compile", "flows/a.py"], tmp_path)
    assert code == 0, err
    doc = yaml.safe_load(out)
    assert doc["kind"] == "Workflow" and doc["metadata"]["namespace"] == "from-config"
    assert doc["spec"]["serviceAccountName"] == "cfg-sa"
    assert "python:3.13-slim" in out
    code, out, err = run(["compile", "flows/a.py", "--namespace", "from-flag", "--kind",
                          "WorkflowTemplate", "--image", "python:3.11", "--service-account",
                          "flag-sa"], tmp_path)
    assert code == 0, err
    doc = yaml.safe_load(out)
    assert doc["kind"] == "WorkflowTemplate" and doc["metadata"]["namespace"] == "from-flag"
    assert doc["spec"]["serviceAccountName"] == "flag-sa"
    assert "python:3.11" in out and "python:3.13-slim" not in out
    code, out, _ = run(["compile", "flows/a.py", "--no-cache"], tmp_path)
    assert yaml.safe_load(out)["metadata"]["namespace"] == "from-config"


def test_invalid_flag_values_are_usage_errors(tmp_path: Path) -> None:
    make_project(tmp_path)
    for flag, value in (("--argo-version", "3"), ("--namespace", "Bad_NS"), ("--tag", "-x")):
        code, out, err = run(["compile", "flows", flag, value], tmp_path)
        assert code == 2 and out == "" and flag in err and repr(value) in err


def test_paths_and_output_from_config(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    code, out, err = run(["compile"], root)
    assert code == 0 and out == "", err
    assert sorted(p.name for p in (root / "deploy" / "argo").iterdir()) == ["hello.yaml",
                                                                          "second.yaml"]
    assert run(["compile", "--check"], root)[0] == 0
    # Explicit PATHS print to stdout (so piping into kubectl keeps working) ...
    code, out, _ = run(["compile", "flows/a.py"], root)
    assert code == 0 and out.startswith("# Generated by tiphys from flows/a.py.")
    # ... but --check/--diff/--prune with PATHS use the configured output folder.
    assert run(["compile", "flows", "--check"], root)[0] == 0
    (root / "flows" / "b.py").unlink()
    code, _, err = run(["compile", "flows", "--check"], root)
    assert code == 1 and "stale" in err and "second.yaml" in err


def test_no_paths_anywhere_is_a_usage_error(tmp_path: Path) -> None:
    make_project(tmp_path, table="[tool.tiphys]\nnamespace = \"x\"\n")
    code, _, err = run(["compile"], tmp_path)
    assert code == 2 and "no paths given" in err and "pyproject.toml" in err
    code, _, err = run(["compile", "flows", "--check"], tmp_path)
    assert code == 2 and "-o DIR" in err


def test_make_settings_for_other_commands(tmp_path: Path) -> None:
    from tiphys.compiler.commands.config import make_settings

    make_project(tmp_path, table='[tool.tiphys]\nnamespace = "cfg"\nkind = "Workflow"\n'
                 '[tool.tiphys.lint]\nignore = ["TPH010"]\n')
    config, diags = load_config(["flows"], cwd=str(tmp_path))
    assert not diags and config.lint_ignore == ("TPH010",) and config.lint_select == ()
    s = make_settings(config, {"namespace": "flag", "kind": None})
    assert (s.namespace, s.kind, s.python_image) == ("flag", "Workflow", Settings().python_image)
