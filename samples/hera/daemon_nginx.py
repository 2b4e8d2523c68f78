"""Hera: upstream/daemon_nginx. A web server runs as a daemon, ready once "/" answers; the
next step fetches its page at the daemon's pod address."""

from tiphys import container, http_probe, pipeline, workflow

nginx_server = container("nginx-server", "nginx:1.13", daemon=True,
                         readiness_probe=http_probe("/", 80, initial_delay=2, timeout=1))
nginx_client = container(
    "nginx-client", "appropriate/curl:latest", command=["/bin/sh", "-c"],
    args=["echo curl --silent -G http://$(server_ip):80/ && curl --silent -G http://$(server_ip):80/"],
    inputs=["server_ip"])

server = nginx_server().named("nginx-server")
daemon_nginx = workflow("hera-daemon-nginx", pipeline(server, nginx_client(server_ip=server.ip)))
