"""Hera: upstream/node_selector. Run on nodes of the architecture given as a parameter."""

from tiphys import container, param, workflow

print_arch = container("print-arch", "alpine:latest", command=["sh", "-c"], args=["uname -a"],
                       inputs=["arch"], node_selector={"beta.kubernetes.io/arch": "{{inputs.parameters.arch}}"})

node_selector = workflow("node-selector", print_arch(arch=param("arch", default="amd64")))
