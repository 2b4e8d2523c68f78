"""Hera: upstream/container_set_template__parallel_workflow. Two containers in one pod,
started together (neither waits for the other)."""

from tiphys import container_node, container_set, workflow

SAY = "argoproj/argosay:v2"

both = container_set("main", [container_node("a", SAY), container_node("b", SAY)])
parallel_workflow = workflow("container-set-parallel", both())
