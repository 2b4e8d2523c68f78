"""Hera: dags/recursive_dag. Roll a die until it shows six: the dag composite calls itself on
any other number."""

from tiphys import Composite, composite, dag, task, workflow


@task
def random_roll() -> int:
    import random

    return random.randint(1, 6)


@composite
def roll_until_six() -> Composite:
    roll = random_roll().named("roll")
    return dag(roll, roll_until_six().when(roll.output != 6).named("recurse-if-not-six"))


recursive_dag = workflow("recursive-dag", roll_until_six())
