"""Environment from Secrets and ConfigMaps: values for a task's ``env=`` and ``env_from=``.

    @task(env={"DB_PASSWORD": secret("db", "password"), "MODE": config_map_key("app", "mode")},
          env_from=[config_map_env("app-settings", prefix="APP_")])

The compiler reads these calls statically; at run time they are plain records.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SecretKey:
    """One key of a Secret, as an environment variable (``valueFrom.secretKeyRef``)."""

    name: str
    key: str
    optional: bool = False


@dataclass(frozen=True)
class ConfigMapKey:
    """One key of a ConfigMap, as an environment variable (``valueFrom.configMapKeyRef``)."""

    name: str
    key: str
    optional: bool = False


@dataclass(frozen=True)
class EnvFrom:
    """Every key of a Secret or ConfigMap as an environment variable (``envFrom``)."""

    #: "secret" or "config_map".
    kind: str
    name: str
    prefix: str | None = None
    optional: bool = False


#: What an ``env=`` value may be.
EnvValue = str | int | float | bool | SecretKey | ConfigMapKey


def secret(name: str, key: str, *, optional: bool = False) -> SecretKey:
    """The value of *key* in the Secret *name*. With ``optional=True`` a missing Secret or key
    leaves the variable unset instead of failing the pod."""
    return SecretKey(name, key, optional)


def config_map_key(name: str, key: str, *, optional: bool = False) -> ConfigMapKey:
    """The value of *key* in the ConfigMap *name*."""
    return ConfigMapKey(name, key, optional)


def secret_env(name: str, *, prefix: str | None = None, optional: bool = False) -> EnvFrom:
    """Every key of the Secret *name* as a variable, each name prefixed with *prefix*."""
    return EnvFrom("secret", name, prefix, optional)


def config_map_env(name: str, *, prefix: str | None = None, optional: bool = False) -> EnvFrom:
    """Every key of the ConfigMap *name* as a variable, each name prefixed with *prefix*."""
    return EnvFrom("config_map", name, prefix, optional)
