"""Hera: upstream/input_artifact_http. kubectl downloaded over HTTP as an input artifact."""

from tiphys import container, http_artifact, workflow

KUBECTL = http_artifact("https://storage.googleapis.com/kubernetes-release/release/v1.8.0/bin/linux/amd64/kubectl")

example = container("http-artifact-example", "debian:9.4", command=["sh", "-c"],
                    args=["kubectl version"], input_artifacts={"kubectl": "/bin/kubectl"})

input_artifact_http = workflow("input-artifact-http", example(kubectl=KUBECTL))
