"""Hera: upstream/conditionals. Steps that run only when a workflow parameter says so."""

from tiphys import container, param, pipeline, workflow

print_hello = container("print-hello", "alpine:3.6", command=["sh", "-c"], args=["echo hello"])

should_print = param("should-print", default="true")
conditionals = workflow("conditionals", pipeline(
    print_hello().named("print-hello-govaluate").when(should_print == "true"),
    print_hello().named("print-hello-expr").when(should_print == "true"),
))
