"""Hera: upstream/image_pull_secrets. The run's pods pull their images with the credentials of a
Secret (``imagePullSecrets``)."""

from tiphys import container, workflow

whalesay = container("whalesay", "docker/whalesay:latest", command=["cowsay"],
                     args=["hello world"])

image_pull_secrets = workflow("image-pull-secrets", whalesay(),
                              image_pull_secrets="docker-registry-secret")
