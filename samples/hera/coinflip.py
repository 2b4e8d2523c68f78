"""Hera: upstream/coinflip. Flip a coin in Python, then say heads or tails."""

from tiphys import container, parallel, pipeline, task, workflow


@task
def flip_coin() -> str:
    import random

    return "heads" if random.randint(0, 1) == 0 else "tails"


heads = container("heads", "alpine:3.6", command=["sh", "-c"], args=['echo "it was heads"'])
tails = container("tails", "alpine:3.6", command=["sh", "-c"], args=['echo "it was tails"'])

coin = flip_coin()
coinflip = workflow("coinflip-example", pipeline(
    coin,
    parallel(heads().when(coin.output == "heads"), tails().when(coin.output == "tails")),
))
