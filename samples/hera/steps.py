"""Hera: upstream/steps. A step, then two at once; one template called three times."""

from tiphys import container, parallel, pipeline, workflow

whalesay = container("whalesay", "docker/whalesay", command=["cowsay"], args=["$(message)"],
                     inputs=["message"])

hello1 = whalesay(message="hello1")
hello2a = whalesay(message="hello2a")
hello2b = whalesay(message="hello2b")

steps = workflow("steps", pipeline(hello1, parallel(hello2a, hello2b)))
