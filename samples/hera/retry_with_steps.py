"""Hera: upstream/retry_with_steps. A flaky template with retries, called by three steps."""

from tiphys import container, parallel, pipeline, workflow

random_fail = container(
    "random-fail", "python:alpine3.6", command=["python", "-c"],
    args=["import random; import sys; print('retries: {{retries}}'); "
          "exit_code = random.choice([0, 1, 1]); sys.exit(exit_code)"],
    retries=10,
)

retry_with_steps = workflow("retry-with-steps", pipeline(
    random_fail().named("hello1"),
    parallel(random_fail().named("hello2a"), random_fail().named("hello2b")),
))
