"""Port of Hera's upstream/dag_conditional_parameters: a dag whose output is the output of
whichever of two conditional tasks ran."""

import random

from tiphys import choose, dag, task, workflow


@task
def flip_coin() -> str:
    return "heads" if random.randint(0, 1) == 0 else "tails"


@task
def call(side: str) -> str:
    return f"it was {side}"


coin = flip_coin().named("flip-coin")
heads = call(side="heads").named("heads").when(coin.output == "heads")
tails = call(side="tails").named("tails").when(coin.output == "tails")
conditional = workflow("hera-dag-conditional-parameter", dag(coin, heads, tails),
                       outputs={"stepresult": choose(heads.output, tails.output)})
