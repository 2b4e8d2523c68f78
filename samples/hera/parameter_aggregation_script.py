"""Hera: upstream/parameter_aggregation_script. A Python loop reports each number and its
evenness; a second loop runs over those reports and halves the even numbers only.

Hera's script prints a JSON object and the next loop reads the aggregated `result`; here the
task returns a record, whose fields the second loop reads as `runs.num` and `runs.evenness`."""

from typing import NamedTuple

from tiphys import bash, each, pipeline, task, workflow


class Parity(NamedTuple):
    num: int
    evenness: str


@task
def odd_or_even(num: int) -> Parity:
    return Parity(num=num, evenness="even" if num % 2 == 0 else "odd")


divide_by_2 = bash("divide-by-2", "echo $((num / 2))", inputs=["num"], shell="sh",
                   image="alpine:latest")

checked = odd_or_even.map(num=[1, 2, 3, 4]).named("odd-or-even")
runs = each(checked)
parameter_aggregation_script = workflow("parameter-aggregation-script", pipeline(
    checked,
    divide_by_2.map(num=runs.num).when(runs.evenness == "even").named("divide-by-2"),
))
