"""Hera: dags/conditional_dag_parameter_output. A coin is flipped; heads or tails runs; the
workflow's output is the result of whichever ran.

Hera writes the output as an expression on the coin's result (`hera.expr`); `choose(...)`
picks the first of the two outputs that exists, which is the same since exactly one runs."""

import random

from tiphys import choose, dag, task, workflow


@task
def flip_coin() -> str:
    return "heads" if random.randint(0, 1) == 0 else "tails"


@task
def heads() -> str:
    return "heads"


@task
def tails() -> str:
    return "tails"


coin = flip_coin().named("flip-coin")
h = heads().named("heads").when(coin.output == "heads")
t = tails().named("tails").when(coin.output == "tails")
conditional_dag_parameter_output = workflow(
    "dag-conditional-parameter-output", dag(coin, h, t),
    outputs={"stepresult": choose(h.output, t.output)})
