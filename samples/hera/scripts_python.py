"""Hera: upstream/scripts_python. A Python script prints a random number; the next step prints it."""

from tiphys import container, pipeline, task, workflow


@task(name="gen-random-int", image="python:alpine3.6")
def gen_random_int() -> int:
    import random

    i = random.randint(1, 100)
    return i


print_message = container("print-message", "alpine:latest", command=["sh", "-c"],
                          args=["echo result was: $(message)"], inputs=["message"])

generate = gen_random_int().named("generate")
scripts_python = workflow("scripts-python", pipeline(
    generate, print_message(message=generate.output).named("print")))
