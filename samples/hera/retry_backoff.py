"""Hera: upstream/retry_backoff. Retries with an exponential backoff: 1s, 2s, 4s, ... for at most a minute."""

from tiphys import backoff, container, retry, workflow

retry_backoff = container(
    "retry-backoff", "python:alpine3.6", command=["python", "-c"],
    args=["import random; import sys; exit_code = random.choice([0, 1, 1]); sys.exit(exit_code)"],
    retries=retry(10, backoff=backoff(1, factor=2, max_duration="1m")),
)

backoff_wf = workflow("retry-backoff", retry_backoff)
