"""Hera: upstream/scripts_bash. A bash script prints a random number; the next step prints it."""

from tiphys import bash, container, pipeline, workflow

gen_random_int = bash(
    "gen-random-int",
    "cat /dev/urandom | od -N2 -An -i | awk -v f=1 -v r=100 '{printf \"%i\\n\", f + r * $1 / 65536}'",
    image="debian:9.4")
print_message = container("print-message", "alpine:latest", command=["sh", "-c"],
                          args=["echo result was: $(message)"], inputs=["message"])

generate = gen_random_int().named("generate")
scripts_bash = workflow("scripts-bash", pipeline(
    generate, print_message(message=generate.output).named("print")))
