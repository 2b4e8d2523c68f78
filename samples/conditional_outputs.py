"""Outputs chosen by expression, and an exit handler made of a composite.

A task that may be skipped has no output to read (TPH407) unless the reader says what to use
instead: `choose(a.output, b.output)` takes the output of whichever succeeded, and
`a.output.or_default(x)` falls back to a value. Both lower to an Argo expression over the
tasks' status. `on_exit=` takes a parallel() of handlers that test `workflow_status`.
"""

import random

from tiphys import (
    choose,
    dag,
    or_default,
    parallel,
    task,
    workflow,
    workflow_name,
    workflow_status,
)


@task
def flip() -> str:
    return random.choice(["heads", "tails"])


@task
def call(side: str) -> str:
    return f"it was {side}"


@task
def announce(text: str) -> None:
    print(text)


coin = flip()
on_heads = call(side="heads").when(coin.output == "heads")
on_tails = call(side="tails").when(coin.output == "tails")
summary = announce(text=or_default(on_tails.output, "no tails this time"))

celebrate = announce(text=f"{workflow_name} succeeded").when(workflow_status == "Succeeded")
regret = announce(text=f"{workflow_name} ended {workflow_status}").when(
    workflow_status != "Succeeded")

coin_game = workflow(
    "conditional-outputs",
    dag(coin, on_heads, on_tails, summary),
    outputs={"result": choose(on_heads.output, on_tails.output)},
    on_exit=parallel(celebrate, regret, name="exit-handler"),
)
