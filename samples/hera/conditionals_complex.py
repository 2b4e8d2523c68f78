"""Complex conditions (Hera upstream/conditionals_complex): comparisons combined with and/or,
and a regular-expression test, ``matches(value, r"...")`` (Argo's ``=~``), whose pattern is
checked when compiling."""

from tiphys import bash, matches, parallel, pipeline, task, workflow


@task
def flip_coin() -> str:
    import random

    return "heads" if random.randint(0, 1) == 0 else "tails"


heads = bash("heads", 'echo "it was heads"')
tails = bash("tails", 'echo "it was tails"')
either = bash("heads-tails-or-twice-tails",
              'echo "it was heads the first flip and tails the second. Or it was two times tails."')

first = flip_coin().named("flip-coin")
again = flip_coin().named("flip-again")

coinflip = workflow("conditionals-complex", pipeline(
    first,
    parallel(heads().when(first.output == "heads"), tails().when(first.output == "tails")),
    again,
    parallel(
        either().named("complex-condition").when(
            (first.output == "heads" and again.output == "tails")
            or (first.output == "tails" and again.output == "tails")),
        heads().named("heads-regex").when(matches(again.output, r"hea")),
        tails().named("tails-regex").when(matches(again.output, r"tai")),
    ),
))
