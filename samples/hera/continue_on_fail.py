"""Hera: upstream/continue_on_fail. A failing step does not stop the steps after it."""

from tiphys import bash, container, parallel, pipeline, workflow

whalesay = container("whalesay", "docker/whalesay:latest", command=["cowsay"], args=["hello world"])
# A script, so that `tiphys run` runs it and sees it fail (Hera's is a container running sh).
intentional_fail = bash("intentional-fail", "echo intentional failure; exit 1", image="bash:5.2")

continue_on_fail = workflow("continue-on-fail", pipeline(
    whalesay().named("hello1"),
    parallel(whalesay().named("hello2a"),
             intentional_fail().named("hello2b").continue_on(failed=True)),
    whalesay().named("hello3"),
))
