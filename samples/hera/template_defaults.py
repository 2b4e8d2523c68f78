"""Hera: upstream/template_defaults. Every template of the run retries twice and times out after
30 seconds unless it says otherwise (Argo's ``templateDefaults``, merged into each template)."""

from tiphys import container, pipeline, workflow

retry_backoff = container(
    "retry-backoff", "python:alpine3.6", command=["python", "-c"],
    args=["import random; import sys; exit_code = random.choice([0, 1, 1]); sys.exit(exit_code)"])
hello_world = container("hello-world", "busybox", command=["echo"], args=["hello world"])

template_defaults = workflow(
    "template-defaults",
    pipeline(retry_backoff(), hello_world()),
    template_defaults={"retries": 2, "timeout": "30s"},
)
