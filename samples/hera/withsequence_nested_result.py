"""Hera: upstream/withsequence_nested_result. Nested counted loops whose bounds are results:
hello-a's number says how many times the inner steps template runs, and in each run hello-b's
number says how many times hello-c runs (Argo counts down when the end is below the start).
The inner template is a ``@composite`` looped with ``.map(sequence(...))``."""

from tiphys import Composite, composite, pipeline, sequence, task, workflow


@task
def hello() -> int:
    import random

    result = random.randint(0, 5)
    print(result)
    return result


@composite
def hello_hello() -> Composite:
    hello_b = hello()
    hello_c = hello.map(sequence(start=1, end=hello_b))
    return pipeline(hello_b, hello_c)


hello_a = hello()
hello_b = hello_hello.map(sequence(start=1, end=hello_a))

withsequence_nested_result = workflow("withsequence-nested-result",
                                      pipeline(hello_a, hello_b))
