"""Hera: upstream/loops_param_result. A Python step makes a list; one sleep per item."""

from tiphys import container, pipeline, task, workflow


@task
def gen_number_list() -> list[int]:
    import random

    return [i for i in range(1, random.randint(3, 6))]


sleep_n_sec = container("sleep-n-sec", "alpine:latest", command=["sh", "-c"],
                        args=['echo "sleeping for $seconds seconds"; sleep "$seconds"; echo done'],
                        inputs=["seconds"])

numbers = gen_number_list().named("generate")
loop_param_result = workflow("loops-param-result", pipeline(
    numbers, sleep_n_sec.map(seconds=numbers).named("sleep")))
