"""Hera: upstream/global_parameters. A global workflow parameter printed by the template.

Hera's template reads `{{workflow.parameters.message}}` itself; in tiphys a task takes what it
reads as an input, so the parameter is passed as an argument."""

from tiphys import container, param, workflow

whalesay = container("whalesay", "docker/whalesay:latest", command=["cowsay"], args=["$(message)"],
                     inputs=["message"])

global_parameters = workflow("global-parameters",
                             whalesay(message=param("message", default="hello world")))
