"""Hera: upstream/loops. One step per item of a literal list (withItems)."""

from tiphys import container, pipeline, workflow

whalesay = container("print-message", "docker/whalesay:latest", command=["cowsay"],
                     args=["$(message)"], inputs=["message"])

loops = workflow("loops-example", pipeline(
    whalesay.map(message=["hello world", "goodbye world"]).named("print-message-loop"),
))
