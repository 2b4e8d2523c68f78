"""Hera: upstream/coinflip_recursive. Flip a coin until it lands heads: on tails the coinflip
composite calls itself."""

from tiphys import Composite, composite, container, parallel, pipeline, task, workflow


@task
def flip_coin() -> str:
    import random

    return "heads" if random.randint(0, 1) == 0 else "tails"


heads = container("heads", "alpine:3.6", command=["sh", "-c"], args=['echo "it was heads"'])


@composite
def coinflip() -> Composite:
    fc = flip_coin().named("flip-coin")
    return pipeline(fc, parallel(heads().when(fc.output == "heads"),
                                 coinflip().when(fc.output == "tails").named("tails")))


coinflip_recursive = workflow("coinflip-recursive", pipeline(coinflip()))
