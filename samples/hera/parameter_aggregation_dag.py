"""Looping over another loop's outputs (Hera upstream/parameter_aggregation_dag).

``odd_or_even`` runs once per number and writes two named outputs; ``each(checked)`` is the
list of its runs' outputs (``{{tasks.checked.outputs.parameters}}``), whose fields are the
output names, checked statically. ``.when(runs.evenness == "even")`` skips the odd runs of
the second loop, and a third loop prints what the second computed.
"""

from tiphys import bash, container, dag, each, workflow

odd_or_even = container(
    "odd-or-even", "alpine:3.23", command=["sh", "-c"],
    args=['sleep 1 && echo "$num" > /tmp/num && '
          'if [ $((num % 2)) -eq 0 ]; then echo even; else echo odd; fi > /tmp/even'],
    inputs=["num"], outputs={"num": "/tmp/num", "evenness": "/tmp/even"},
)
# Both run in images without bash: their scripts are POSIX sh.
divide_by_2 = bash("divide-by-2", "echo $((num / 2))", inputs=["num"], shell="sh",
                   image="alpine:3.23")
print_message = bash("print-message", 'echo "$message"', inputs=["message"], shell="sh",
                     image="busybox")

checked = odd_or_even.map(num=[1, 2, 3, 4]).named("odd-or-even")
runs = each(checked)
print_nums = print_message(message=checked.outputs["num"]).named("print-nums")
print_evenness = print_message(message=checked.outputs["evenness"]).named("print-evenness")
halves = divide_by_2.map(num=runs.num).when(runs.evenness == "even").named("divide-by-2")
printed = print_message.map(message=halves).named("print")

aggregation = workflow("parameter-aggregation-dag",
                       dag(print_nums, print_evenness, printed))
