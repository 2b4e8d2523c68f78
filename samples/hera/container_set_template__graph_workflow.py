"""Hera: upstream/container_set_template__graph_workflow. Four containers in one pod, in a
diamond: b and c start after a, d after both."""

from tiphys import container_node, container_set, workflow

SAY = "argoproj/argosay:v2"

a = container_node("a", SAY)
b = container_node("b", SAY, after=[a])
c = container_node("c", SAY, after=[a])
d = container_node("d", SAY, after=[b, c])
graph_workflow = workflow("container-set-graph", container_set("main", [a, b, c, d])())
