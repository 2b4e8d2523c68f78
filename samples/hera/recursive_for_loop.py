"""Hera: upstream/recursive_for_loop. Count up to a limit by recursion: the loop composite runs
one iteration, then calls itself while the counter is below the limit."""

from tiphys import Composite, composite, pipeline, task, workflow


@task
def counter_iteration(counter: int) -> int:
    return counter + 1


@composite
def loop(counter: int, limit: int) -> Composite:
    iterate = counter_iteration(counter=counter).named("iterate-counter")
    again = loop(counter=iterate.output, limit=limit).when(iterate.output < limit)
    return pipeline(iterate, again.named("continue"))


recursive_loop = workflow("recursive-loop", pipeline(loop(counter=0, limit=10).named("recurse")))
