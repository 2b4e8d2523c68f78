"""The connection to the Kubernetes API, through the official ``kubernetes`` client.

The client is an optional dependency (``pip install 'tiphys[cluster]'``), imported only when
something talks to a cluster. Credentials are found the way CloudHarness finds them: the
pod's service account when running in a cluster, else the local kubeconfig
(``~/.kube/config`` or ``$KUBECONFIG``). :func:`connect` overrides either.

The namespace, first match: :func:`connect`'s ``namespace``; the ``namespace`` key of the
CloudHarness configuration (``operations.configure``); the pod's own namespace in a cluster;
the kubeconfig context's namespace; ``default``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["ClusterUnavailable", "connect", "disconnect", "namespace"]

#: Argo's custom resource, as the Kubernetes API addresses it.
GROUP = "argoproj.io"
VERSION = "v1alpha1"
PLURAL = "workflows"
_SERVICE_ACCOUNT_NAMESPACE = Path("/var/run/secrets/kubernetes.io/serviceaccount/namespace")


class ClusterUnavailable(RuntimeError):
    """The ``kubernetes`` client is not installed, or no credentials were found."""


@dataclass
class _Connection:
    api_client: Any
    namespace: str | None


_current: _Connection | None = None


def kubernetes_module() -> Any:
    try:
        import kubernetes
    except ImportError as exc:
        raise ClusterUnavailable(
            "talking to a cluster needs the official Kubernetes client: "
            "pip install 'tiphys[cluster]'") from exc
    return kubernetes


def connect(host: str | None = None, namespace: str | None = None, *,
            kubeconfig: str | None = None, context: str | None = None,
            token: str | None = None, verify_ssl: bool = True) -> None:
    """Use *host* (with an optional bearer *token*), or the given kubeconfig/context, instead
    of the automatic in-cluster-then-kubeconfig discovery; *namespace* for every call."""
    k8s = kubernetes_module()
    if host is not None:
        cfg = k8s.client.Configuration()
        cfg.host = host
        cfg.verify_ssl = verify_ssl
        if token:
            cfg.api_key = {"authorization": token}
            cfg.api_key_prefix = {"authorization": "Bearer"}
        client = k8s.client.ApiClient(cfg)
    elif kubeconfig is not None or context is not None:
        client = k8s.config.new_client_from_config(config_file=kubeconfig, context=context)
    else:
        client = _discover(k8s)
    global _current
    _current = _Connection(client, namespace)


def disconnect() -> None:
    """Forget the connection: the next call discovers credentials again."""
    global _current
    _current = None


def _discover(k8s: Any) -> Any:
    try:
        k8s.config.load_incluster_config()
    except k8s.config.ConfigException:
        try:
            # The client reads $KUBECONFIG once, when imported; read it now.
            return k8s.config.new_client_from_config(config_file=_kubeconfig())
        except (k8s.config.ConfigException, OSError) as exc:
            raise ClusterUnavailable(
                "no Kubernetes credentials: not running in a cluster (no service account) "
                f"and no usable kubeconfig ({exc})") from exc
    return k8s.client.ApiClient()


def _kubeconfig() -> str | None:
    return os.environ.get("KUBECONFIG") or None


def api_client() -> Any:
    global _current
    if _current is None:
        _current = _Connection(_discover(kubernetes_module()), None)
    return _current.api_client


def namespace() -> str:
    if _current is not None and _current.namespace:
        return _current.namespace
    from tiphys.cloudharness.operations import configured

    table = configured()
    if table and isinstance(table.get("namespace"), str):
        return str(table["namespace"])
    try:
        found = _SERVICE_ACCOUNT_NAMESPACE.read_text(encoding="utf-8").strip()
    except OSError:
        found = ""
    if found:
        return found
    try:
        k8s = kubernetes_module()
        _, active = k8s.config.list_kube_config_contexts(config_file=_kubeconfig())
        ns = (active or {}).get("context", {}).get("namespace")
    except Exception:  # no kubeconfig: not an error here, the default applies
        ns = None
    return str(ns) if ns else "default"


def custom_objects() -> Any:
    return kubernetes_module().client.CustomObjectsApi(api_client())


def core() -> Any:
    return kubernetes_module().client.CoreV1Api(api_client())
