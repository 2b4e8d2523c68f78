"""Looping over another loop's outputs in steps (Hera upstream/parameter_aggregation): as
parameter_aggregation_dag.py, in a pipeline, so the aggregated outputs are read as
``{{steps.odd-or-even.outputs.parameters}}``."""

from tiphys import bash, container, each, pipeline, workflow

odd_or_even = container(
    "odd-or-even", "alpine:3.23", command=["sh", "-c"],
    args=['sleep 1 && echo "$num" > /tmp/num && '
          'if [ $((num % 2)) -eq 0 ]; then echo even; else echo odd; fi > /tmp/even'],
    inputs=["num"], outputs={"num": "/tmp/num", "evenness": "/tmp/even"},
)
divide_by_2 = bash("divide-by-2", "echo $((num / 2))", inputs=["num"], shell="sh",
                   image="alpine:3.23")
print_message = bash("print-message", 'echo "$message"', inputs=["message"], shell="sh",
                     image="busybox")

checked = odd_or_even.map(num=[1, 2, 3, 4]).named("odd-or-even")
runs = each(checked)
halves = divide_by_2.map(num=runs.num).when(runs.evenness == "even").named("divide-by-2")

aggregation = workflow("parameter-aggregation", pipeline(
    checked,
    print_message(message=checked.outputs["num"]).named("print-nums"),
    print_message(message=checked.outputs["evenness"]).named("print-evenness"),
    halves,
    print_message.map(message=halves).named("print"),
))
