"""Hera: upstream/container_set_template__outputs_result_workflow. A container set whose
container named main prints "hi", which is the set's result; the next task checks it.

Hera's check is a Python script asserting on its input; here it is a bash test of the input
variable, so that a wrong result fails the run."""

from tiphys import bash, container_node, container_set, dag, workflow

group = container_set("group", [
    container_node("main", "python:alpine3.6", command=["python", "-c"], args=['print("hi")']),
])
verify = bash("verify", '[ "$x" = "hi" ]', inputs=["x"])

a = group().named("a")
b = verify(x=a).named("b")
outputs_result_workflow = workflow("container-set-outputs-result", dag(a, b))
