"""Hera: upstream/hello_world. One container template: whalesay says hello."""

from tiphys import container, workflow

whalesay = container("whalesay", "docker/whalesay:latest", command=["cowsay"], args=["hello world"],
                     cpu="100m", memory="32Mi")

hello_world = workflow("hello-world", whalesay)
