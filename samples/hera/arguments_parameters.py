"""Hera: upstream/arguments_parameters. A workflow argument feeds the template's input."""

from tiphys import container, param, workflow

whalesay = container("whalesay", "docker/whalesay:latest", command=["cowsay"], args=["$(message)"],
                     inputs=["message"])

arguments_parameters = workflow("arguments-parameters",
                                whalesay(message=param("message", default="hello world")))
