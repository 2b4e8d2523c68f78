"""Hera: upstream/dag_diamond_steps. The diamond as steps: A, then B and C at once, then D."""

from tiphys import container, parallel, pipeline, workflow

echo = container("echo", "alpine:3.7", command=["echo", "$(message)"], inputs=["message"])

diamond_steps = workflow("dag-diamond-steps", pipeline(
    echo(message="A").named("A"),
    parallel(echo(message="B").named("B"), echo(message="C").named("C")),
    echo(message="D").named("D"),
))
