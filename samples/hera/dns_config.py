"""Hera: upstream/dns_config. The run's pods resolve names through their own nameserver, with
``ndots`` lowered to 2 (a Kubernetes ``PodDNSConfig``)."""

from tiphys import container, workflow

hello_world = container("hello-world", "busybox", command=["echo"], args=["hello world"],
                        resources={"limits": {"memory": "32Mi", "cpu": "100m"}})

dns_config = workflow(
    "test-dns-config",
    hello_world(),
    dns_config={"nameservers": ["1.2.3.4"], "options": [{"name": "ndots", "value": "2"}]},
)
