"""Counted loops (Hera upstream/loops_sequence): ``sequence(...)`` is Argo's withSequence,
with a count, an inclusive start/end (counting down when end < start), a bound taken from a
workflow parameter, and a printf format."""

from tiphys import bash, parallel, param, pipeline, sequence, workflow

echo = bash("echo", 'echo "$msg"', inputs=["msg"])

count = echo.map(msg=sequence(count=5)).named("sequence-count")
start_end = echo.map(msg=sequence(start=100, end=105)).named("sequence-start-end")
from_param = echo.map(msg=sequence(start=200, count=param("count", default=3))) \
    .named("sequence-param")
negative = echo.map(msg=sequence(start=5, end=0)).named("sequence-negative")
formatted = echo.map(msg=sequence(count=5, format="testuser%02X")).named("sequence-format")

loops_sequence = workflow(
    "loops-sequence", pipeline(parallel(count, start_end, from_param, negative, formatted)))
