"""Hera: upstream/dag_coinflip. A diamond of four recursive coin flips: each flips until it
lands heads, calling itself on tails."""

from tiphys import Composite, composite, container, dag, parallel, pipeline, task, workflow


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


a = coinflip()
b = coinflip().after(a)
c = coinflip().after(a)
d = coinflip().after(b, c)
dag_coinflip = workflow("dag-diamond-coinflip", dag(a, b, c, d),
                        annotations={"workflows.argoproj.io/description":
                                     "This is an example of coin flip defined as a DAG.\n"})
