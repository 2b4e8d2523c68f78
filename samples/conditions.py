"""Conditions: a coin flip decides which branch runs (Argo `when`)."""

from tiphys import dag, param, task, workflow


@task
def flip(seed: int) -> str:
    import random

    random.seed(seed)
    return "heads" if random.random() < 0.5 else "tails"


@task
def measure(side: str) -> int:
    return len(side) * 10


@task
def announce(message: str) -> None:
    print(message)


coin = flip(seed=param("seed", default=7))
size = measure(side=coin)
heads = announce(message="it was heads").when(coin.output == "heads")
tails = announce(message="it was tails").when(coin.output == "tails")
big = announce(message="a big result").when((size.output >= 50) and (coin.output == "tails"))

coinflip = workflow("coinflip", dag(heads, tails, big))
