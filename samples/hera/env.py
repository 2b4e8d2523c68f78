"""Hera: misc/env. Environment variables: a literal, a Secret key, a ConfigMap key, and whole
Secrets and ConfigMaps with a prefix.

Hera's example also sets r1 from a resource field (resourceFieldRef); tiphys has no such env
value yet."""

from tiphys import config_map_env, config_map_key, container, secret, secret_env, workflow

whalesay = container("whalesay", "docker/whalesay:latest", command=["cowsay"],
                     env={"test": "1", "s1": secret("abc", "s1"), "c1": config_map_key("abc", "c1")},
                     env_from=[secret_env("secret", prefix="abc"),
                               config_map_env("configmap", prefix="abc")])

env = workflow("env-values", whalesay)
