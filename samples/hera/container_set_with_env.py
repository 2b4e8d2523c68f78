"""Hera: misc/container_set_with_env. A container set's one member gets its variables from a
literal, a Secret's key and a ConfigMap's key, and whole Secrets and ConfigMaps with a prefix.
Hera's member also reads a resource field (ResourceEnv r1); tiphys has no helper for that."""

from tiphys import (
    config_map_env,
    config_map_key,
    container_node,
    container_set,
    secret,
    secret_env,
    workflow,
)

node = container_node(
    "node", "argoproj/argosay:v2", command=["cowsay"],
    env={"test": "1", "s1": secret("abc", "s1"), "c1": config_map_key("abc", "c1")},
    env_from=[secret_env("secret", prefix="abc"), config_map_env("configmap", prefix="abc")],
)
container_set_with_env = workflow("container-set-with-env", container_set("whalesay", [node])())
