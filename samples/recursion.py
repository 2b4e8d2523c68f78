"""A composite that calls itself: a loop whose length is known only at run time.

Inside its body, the composite's own name runs its own template again. The recursive call must
be conditional (`.when(...)`), or it could never end (TPH513); Argo, and `tiphys run`, stop a
run nested more than 150 templates deep. Each level exposes the deepest level's count: the
level below may be skipped, so it is read with `choose()`.
"""

from tiphys import Composite, choose, composite, param, pipeline, task, workflow


@task
def next_batch(batch: int, size: int) -> int:
    print(f"processing items {batch * size} to {(batch + 1) * size - 1}")
    return batch + 1


@composite
def process_from(batch: int, batches: int, size: int = 10) -> Composite:
    """Process one batch, then the rest, one level deeper, while batches remain."""
    done = next_batch(batch=batch, size=size)
    rest = process_from(batch=done.output, batches=batches, size=size).when(
        done.output < batches)
    return pipeline(done, rest, outputs={"processed": choose(rest.outputs["processed"],
                                                             done.output)})


@task
def report(processed: int) -> None:
    print(f"{processed} batches processed")


process = process_from(batch=0, batches=param("batches", default=3)).named("process")
batches = workflow("recursion", pipeline(process, report(processed=process.outputs["processed"])))
