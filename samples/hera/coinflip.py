"""Hera: upstream/coinflip. Flip a coin in Python, then say heads or tails."""

from tiphys import bash, parallel, pipeline, task, workflow


@task
def flip_coin() -> str:
    import random

    return "heads" if random.randint(0, 1) == 0 else "tails"


heads = bash("heads", 'echo "it was heads"', image="alpine:3.6")
tails = bash("tails", 'echo "it was tails"', image="alpine:3.6")

coin = flip_coin()
coinflip = workflow("coinflip-example", pipeline(
    coin,
    parallel(heads().when(coin.output == "heads"), tails().when(coin.output == "tails")),
))
