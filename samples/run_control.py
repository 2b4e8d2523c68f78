"""Run control: retries with a policy and a backoff, deadlines, memoization and locks.

A nightly import from a flaky partner API: the fetch is retried with a growing wait and its
result cached per day; only one load writes to the warehouse at a time, and at most as many
loads run at once as the ConfigMap ``etl-limits`` allows.
"""

from tiphys import backoff, memoize, mutex, param, pipeline, retry, semaphore, task, workflow


@task(
    retries=retry(4, policy="OnFailure", backoff=backoff("15s", factor=2, cap="2m",
                                                          max_duration="10m")),
    active_deadline="5m",                    # each attempt
    timeout="20m",                           # all attempts together
    memoize=memoize("orders-{{inputs.parameters.day}}", max_age="24h",
                    cache="partner-api-cache"),
)
def fetch_orders(day: str) -> list[dict[str, int]]:
    # Stand-in for the partner API: deterministic orders for the day.
    seed = sum(ord(c) for c in day)
    return [{"id": i, "cents": (seed * (i + 3)) % 5000} for i in range(12)]


@task(
    retries=retry(2, policy="OnError",
                  expression="lastRetry.status == \"Error\" || asInt(lastRetry.exitCode) == 75"),
    synchronization=[mutex("warehouse-writer"), semaphore("etl-limits", "loaders")],
)
def load_orders(orders: list[dict[str, int]], table: str) -> int:
    total = sum(o["cents"] for o in orders)
    print(f"{table}: {len(orders)} orders, {total / 100:.2f} EUR")
    return total


orders = fetch_orders(day=param("day", default="2024-06-01"))
loaded = load_orders(orders=orders, table="partner_orders")

nightly = workflow("nightly-orders", pipeline(orders, loaded), active_deadline="1h")
