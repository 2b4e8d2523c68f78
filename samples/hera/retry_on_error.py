"""Hera: upstream/retry_on_error. Retry twice, whatever the kind of failure (policy Always)."""

from tiphys import container, retry, workflow

error_container = container(
    "error-container", "python", command=["python", "-c"],
    args=["import random; import sys; exit_code = random.choice(range(0, 5)); sys.exit(exit_code)"],
    retries=retry(2, policy="Always"))

retry_on_error = workflow("retry-on-error", error_container)
