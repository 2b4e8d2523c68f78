"""Fan-out / fan-in: one input split into shards processed in parallel, then merged."""

from tiphys import parallel, pipeline, task, workflow


@task
def make_text() -> str:
    return "the quick brown fox jumps over the lazy dog " * 3


@task
def count_words(text: str, shard: int, shards: int) -> int:
    words = text.split()
    return len(words[shard::shards])


@task
def total(a: int, b: int, c: int) -> int:
    result = a + b + c
    print(f"total words: {result}")
    return result


text = make_text()
s0 = count_words(text=text, shard=0, shards=3)
s1 = count_words(text=text, shard=1, shards=3)
s2 = count_words(text=text, shard=2, shards=3)
merged = total(a=s0, b=s1, c=s2)

fan = workflow("fan-out-fan-in", pipeline(text, parallel(s0, s1, s2), merged), parallelism=2)
