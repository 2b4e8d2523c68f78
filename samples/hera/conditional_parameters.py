"""Port of Hera's upstream/conditional_parameters: the steps version, as a reusable composite
whose output is chosen by which branch ran."""

import random

from tiphys import Composite, choose, composite, parallel, pipeline, task, workflow


@task
def flip_coin() -> str:
    return "heads" if random.randint(0, 1) == 0 else "tails"


@task
def call(side: str) -> str:
    return f"it was {side}"


@task
def show(result: str) -> None:
    print(result)


@composite
def coin_game() -> Composite:
    coin = flip_coin().named("flip-coin")
    heads = call(side="heads").named("heads").when(coin.output == "heads")
    tails = call(side="tails").named("tails").when(coin.output == "tails")
    return pipeline(coin, parallel(heads, tails),
                    outputs={"stepresult": choose(heads.output, tails.output)})


game = coin_game()
conditional = workflow("hera-conditional-parameter",
                       pipeline(game, show(result=game.outputs["stepresult"])))
