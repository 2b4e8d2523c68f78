"""A task body that uses a module import, module constants and same-file helpers.

tiphys ships them with the task: `statistics`, `ROUND_TO`, `UNITS`, `normalise` and, because
`normalise` calls it, `clip`. Nothing else from this file goes into the script.
"""

import statistics

from tiphys import task, workflow

ROUND_TO = 2
UNITS = {"c": "celsius", "f": "fahrenheit"}
NOT_SHIPPED = "only used at compile time"


def clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def normalise(values: list[float]) -> list[float]:
    top = max(values) or 1
    return [clip(v / top, 0.0, 1.0) for v in values]


@task
def summarise(readings: list[float], unit: str = "c") -> dict[str, object]:
    scaled = normalise(readings)
    return {
        "unit": UNITS[unit],
        "mean": round(statistics.mean(readings), ROUND_TO),
        "scaled": [round(s, ROUND_TO) for s in scaled],
    }


stats = workflow("module-names", summarise(readings=[12.5, 20.0, 17.25, 30.0]))
