"""The ``tiphys`` command line.

Each subcommand imports its machinery lazily, so ``tiphys compile`` never pays for the
validator's CRD converter or the language server, and ``tiphys --version`` is instant.
Exit codes: 0 clean, 1 problems found (or stale output with ``--check``), 2 usage or internal
error. Output goes to stdout; diagnostics and messages go to stderr.
"""

from __future__ import annotations

import sys

import click

from tiphys.compiler.commands.report import FORMATS
from tiphys.compiler.version import VERSION

KINDS = ("WorkflowTemplate", "Workflow", "ClusterWorkflowTemplate")


class ExitCode(click.exceptions.Exit):
    """Leave with a code; click turns it into ``sys.exit`` without a traceback."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(VERSION, "--version", prog_name="tiphys")
def main() -> None:
    """Compile Python workflow definitions into validated Argo Workflows YAML.

    tiphys reads your files statically (it never imports or runs them), checks them,
    and writes WorkflowTemplate YAML that Argo accepts as it is.
    """


@main.command("compile")
@click.argument("paths", nargs=-1, required=False, type=click.Path(exists=True))
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False),
              help="Write one file per workflow into this folder instead of stdout "
                   "(default: `output` in [tool.tiphys] when PATHS are omitted, or with "
                   "--check, --diff or --prune).")
@click.option("--kind", type=click.Choice(KINDS), default=None,
              help="Kind of document to emit (default: `kind` in [tool.tiphys], else "
                   "WorkflowTemplate; Workflow for CloudHarness operations).")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 if any file in the output folder would change "
                   "or is stale.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Write nothing; print a unified diff of what would change.")
@click.option("--prune", is_flag=True,
              help="Delete stale tiphys-owned files in the output folder.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="concise",
              help="Format of the diagnostics on stderr.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Read settings from this file ([tool.tiphys] of a pyproject.toml, or a "
                   "tiphys.toml) instead of searching for pyproject.toml.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the compile cache.")
@click.option("--image", default=None, help="Default image of Python tasks.")
@click.option("--bash-image", default=None, help="Default image of bash tasks.")
@click.option("--namespace", default=None, help="metadata.namespace of every document.")
@click.option("--service-account", default=None, help="Service account of the workflows.")
@click.option("--registry", default=None, help="Registry for images named without one.")
@click.option("--tag", default=None, help="Tag for images named without one.")
@click.option("--argo-version", default=None, help="Target Argo version, e.g. 3.6.")
def compile_cmd(
    paths: tuple[str, ...], outdir: str | None, kind: str | None, check: bool,
    show_diff: bool, prune: bool, fmt: str, config_path: str | None, no_cache: bool,
    image: str | None, bash_image: str | None, namespace: str | None,
    service_account: str | None, registry: str | None, tag: str | None,
    argo_version: str | None,
) -> None:
    """Compile DSL files (or folders of them) to Argo YAML.

    Without -o, print one multi-document YAML stream on stdout, ready for
    `kubectl apply -f -`. With -o, write one file per workflow, atomically;
    when anything fails, nothing is written. Settings come from [tool.tiphys]
    in pyproject.toml; flags override them.
    """
    from tiphys.compiler.commands.compile import run_compile

    overrides = {
        "python_image": image, "bash_image": bash_image, "namespace": namespace,
        "service_account": service_account, "registry": registry, "tag": tag,
        "argo_version": argo_version,
    }
    code = run_compile(
        paths, outdir=outdir, kind=kind, check=check, show_diff=show_diff, prune=prune,
        fmt=fmt, config_path=config_path, no_cache=no_cache, overrides=overrides,
    )
    raise ExitCode(code)


@main.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--schema", "schema_path", type=click.Path(exists=True, dir_okay=False),
              help="Also validate against this JSON schema: Argo's api/jsonschema/schema.json "
                   "or tiphys' schemas/argo-strict.schema.json.")
@click.option("--crd", "crd_paths", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Also validate against this CustomResourceDefinition (repeatable).")
@click.option("--no-strict", "no_strict", is_flag=True,
              help="As `argo lint --strict=false`: unknown fields and duplicate keys are "
                   "warnings, and field names match case-insensitively.")
@click.option("--max-size", "max_size", type=click.IntRange(min=1), default=None,
              help="Refuse files larger than this many bytes (default 67108864, or "
                   "TIPHYS_VALIDATE_MAX_BYTES).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="concise",
              help="Output format of the diagnostics.")
def validate_cmd(
    files: tuple[str, ...], schema_path: str | None, crd_paths: tuple[str, ...],
    no_strict: bool, max_size: int | None, fmt: str,
) -> None:
    """Check any Argo YAML offline: strict decoding and Argo's own validation rules."""
    from tiphys.compiler.commands.validate import run_validate

    raise ExitCode(run_validate(files, schema_path=schema_path, crd_paths=crd_paths, fmt=fmt,
                                strict=not no_strict, max_bytes=max_size))


@main.command("lint")
@click.argument("paths", nargs=-1, required=False, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="concise",
              help="Output format of the diagnostics (on stdout).")
@click.option("--select", "select", default="",
              help="Comma-separated codes or prefixes to report, e.g. TPH2,ARG (default: "
                   "`select` in [tool.tiphys.lint], else all).")
@click.option("--ignore", "ignore", default="",
              help="Comma-separated codes or prefixes not to report (added to `ignore` in "
                   "[tool.tiphys.lint]).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Read settings from this file instead of searching for pyproject.toml.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the compile cache.")
def lint_cmd(
    paths: tuple[str, ...], fmt: str, select: str, ignore: str, config_path: str | None,
    no_cache: bool,
) -> None:
    """Report every problem the compiler can find, writing nothing.

    DSL shape, task isolation (free names) and Argo's rules on the would-be output, mapped
    back to the Python source. A `# tiphys: ignore[CODE]` comment silences a line. Exit 0
    when nothing is reported, 1 on any error or warning, 2 on a usage or internal error.
    """
    from tiphys.compiler.commands.lint import run_lint

    raise ExitCode(run_lint(paths, fmt=fmt, select=select, ignore=ignore,
                            config_path=config_path, no_cache=no_cache))


@main.command("run")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--workflow", "workflow", default=None,
              help="The workflow to run when the files define several (its name).")
@click.option("-p", "--parameter", "parameters", multiple=True, metavar="NAME=VALUE",
              help="A workflow parameter (repeatable).")
@click.option("-s", "--supply", "supplied", multiple=True, metavar="NAME=VALUE",
              help="A value a suspend template asks for (repeatable); suspends resume at once.")
@click.option("--workdir", type=click.Path(file_okay=False), default=None,
              help="Folder for logs, outputs and artifacts (default: a new temporary folder).")
@click.option("--python", "python", default=None, metavar="PATH",
              help="Interpreter for Python scripts (default: the one running tiphys).")
@click.option("-j", "--jobs", type=int, default=None,
              help="Steps running at once (default: the CPU count; spec.parallelism lowers it).")
@click.option("--no-containers", is_flag=True,
              help="Do not run container templates: mark them Skipped.")
@click.option("--no-http", is_flag=True,
              help="Do not call http templates or fetch http artifacts: mark them Skipped.")
@click.option("--output", type=click.Choice(["auto", "tree", "plain", "json"]), default="auto",
              help="Live tree on a terminal, plain lines otherwise (auto); json: one JSON "
                   "document at the end.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Read settings from this file instead of searching for pyproject.toml.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="concise",
              help="Format of compile diagnostics on stderr.")
def run_cmd(
    paths: tuple[str, ...], workflow: str | None, parameters: tuple[str, ...],
    supplied: tuple[str, ...], workdir: str | None, python: str | None, jobs: int | None,
    no_containers: bool, no_http: bool, output: str, config_path: str | None, fmt: str,
) -> None:
    """Compile, then run a workflow on this machine as Argo would run it.

    What runs is the emitted document, not the Python source. Scripts run in local
    subprocesses, containers with docker or podman, in parallel where the workflow allows.
    Exit 0 when the workflow Succeeded, 1 when it Failed or Errored, 2 on usage errors.
    """
    from tiphys.compiler.run.command import run_run

    raise ExitCode(run_run(paths, workflow=workflow, parameters=parameters, supplied=supplied,
                           workdir=workdir, python=python, jobs=jobs,
                           no_containers=no_containers, no_http=no_http, output=output,
                           config_path=config_path, fmt=fmt))


@main.command("graph")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--workflow", "workflow", default=None,
              help="Only this workflow (default: every workflow of the files).")
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot"]), default="mermaid",
              help="Mermaid text (renders on GitHub) or Graphviz dot.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Read settings from this file instead of searching for pyproject.toml.")
def graph_cmd(paths: tuple[str, ...], workflow: str | None, fmt: str,
              config_path: str | None) -> None:
    """Draw each workflow: tasks, edges, conditions, loops, nested composites, exit handlers."""
    from tiphys.compiler.graph.command import run_graph

    raise ExitCode(run_graph(paths, workflow=workflow, fmt=fmt, config_path=config_path))


@main.command("lsp")
@click.option("--stdio", is_flag=True, hidden=True,
              help="Accepted for editors that pass it; stdio is the only transport.")
def lsp_cmd(stdio: bool) -> None:
    """Run the language server over stdio (needs the extra: pip install 'tiphys[lsp]')."""
    from tiphys.compiler.lsp import run_server

    raise ExitCode(run_server())


def run() -> None:  # pragma: no cover - console entry
    try:
        main(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    run()
