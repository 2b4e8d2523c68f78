"""Hera: misc/container_with_resources. Requests of CPU, memory and ephemeral storage."""

from tiphys import container, workflow

c = container("c", "alpine:3.7", command=["sh", "-c"], args=["echo Hello, world!"],
              resources={"requests": {"cpu": 1, "memory": "5Gi", "ephemeral-storage": "5Gi"}})

container_with_resources = workflow("container-with-resources", c)
