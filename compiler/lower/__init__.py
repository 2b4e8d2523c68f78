"""Lowering: an IR workflow → one Argo document (a plain dict) plus a source map.

:func:`.workflow.lower_workflow` is the entry point. :mod:`.placement` puts invocations into
templates and resolves data across them, :mod:`.depends` writes DAG ``depends`` strings, and
one module per part renders tasks, control flow, task kinds and artifacts. May import the IR
and diagnostics; never the front end.
"""
