"""Hera: misc/env_from. Every key of a Secret and of a ConfigMap as environment variables, prefixed."""

from tiphys import config_map_env, container, secret_env, workflow

whalesay = container("whalesay", "docker/whalesay:latest", command=["cowsay"],
                     env_from=[secret_env("secret", prefix="abc"),
                               config_map_env("configmap", prefix="abc")])

env_from = workflow("secret-env-from", whalesay)
