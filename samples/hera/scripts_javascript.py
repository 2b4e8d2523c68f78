"""Hera: upstream/scripts_javascript. A script in JavaScript (run by node in its image) prints a
random number; the next step echoes it."""

from tiphys import container, pipeline, script, workflow

gen_random_int = script(
    "gen-random-int",
    "var rand = Math.floor(Math.random() * 100);\nconsole.log(rand);\n",
    image="node:9.1-alpine", command=["node"],
)
print_message = container("print-message", "alpine:latest", command=["sh", "-c"],
                          args=["echo result was: $(message)"], inputs=["message"])

generate = gen_random_int().named("generate")
scripts_javascript = workflow("scripts-javascript", pipeline(
    generate,
    print_message(message=generate.output).named("print"),
))
