"""Hera: upstream/retry_container. A container that fails two times in three, retried up to 10 times."""

from tiphys import container, workflow

retry_container = container(
    "retry-container", "python:alpine3.6", command=["python", "-c"],
    args=["import random; import sys; exit_code = random.choice([0, 1, 1]); sys.exit(exit_code)"],
    retries=10,
)

retry = workflow("retry-container", retry_container)
