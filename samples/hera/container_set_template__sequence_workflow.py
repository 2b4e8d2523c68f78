"""Hera: upstream/container_set_template__sequence_workflow. Three containers in one pod, one
after the other."""

from tiphys import container_node, container_set, workflow

SAY = "argoproj/argosay:v2"

a = container_node("a", SAY)
b = container_node("b", SAY, after=[a])
c = container_node("c", SAY, after=[b])
sequence_workflow = workflow("container-set-sequence", container_set("main", [a, b, c])())
