"""Dependency logic: run on failure, tolerate a failing step, and combine results."""

from tiphys import bash, dag, task, workflow


@task
def load(url: str) -> str:
    return f"loaded {url}"


@task
def report(text: str) -> None:
    print(text)


check = bash("flaky-check", "test $((RANDOM % 2)) -eq 0")

flaky = check().continue_on(failed=True)
primary = load(url="https://primary.example.com/data")
fallback = load(url="https://mirror.example.com/data").after(primary.failed)
summary = report(text="finished").after(primary.succeeded | fallback.succeeded)
always = report(text="checked").after(flaky)

deps = workflow("dependency-logic", dag(summary, always))
