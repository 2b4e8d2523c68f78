"""The Kafka queue CloudHarness' task images and result operations talk through.

CloudHarness' ``send-result-event`` and ``notify-queue`` images produce JSON messages to a
topic (the workflow's name, or the queue named in ``on_exit_notify``), and
``DistributedSyncOperationWithResults`` reads every message of its workflow's topic once the
workflow finished. This module does the same with ``kafka-python``, an optional dependency
(``pip install 'tiphys[events]'``) imported only when a queue is used.

The brokers: :func:`configure`'s ``bootstrap_servers``, else the ``KAFKA_BOOTSTRAP_SERVERS``
environment variable (``host:port[,host:port]``).
"""

from __future__ import annotations

import json
import os
from typing import Any

__all__ = ["EventClient", "EventsUnavailable", "configure"]

BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS"
#: How long a reader waits for one more message before deciding the topic is drained
#: (CloudHarness waits 10 s).
CONSUME_TIMEOUT_MS = 10_000

_bootstrap: str | None = None


class EventsUnavailable(RuntimeError):
    """kafka-python is missing, or no broker is configured."""


def configure(bootstrap_servers: str | None) -> None:
    global _bootstrap
    _bootstrap = bootstrap_servers


def _kafka() -> Any:
    try:
        import kafka  # type: ignore[import-not-found]
    except ImportError as exc:
        raise EventsUnavailable(
            "queues (notify_queue, DistributedSyncOperationWithResults) need kafka-python: "
            "pip install 'tiphys[events]'") from exc
    return kafka


def bootstrap_servers() -> list[str]:
    servers = _bootstrap or os.environ.get(BOOTSTRAP_ENV)
    if not servers:
        raise EventsUnavailable(
            f"no Kafka broker: call tiphys.cloudharness.events.configure(bootstrap_servers="
            f"'host:9092') or set {BOOTSTRAP_ENV}")
    return [s.strip() for s in servers.split(",") if s.strip()]


class EventClient:
    """One topic: create it, produce to it, read all of it, delete it."""

    def __init__(self, topic: str) -> None:
        self.topic = topic

    def create_topic(self) -> None:
        kafka = _kafka()
        admin = kafka.KafkaAdminClient(bootstrap_servers=bootstrap_servers())
        try:
            admin.create_topics([kafka.admin.NewTopic(name=self.topic, num_partitions=1,
                                                      replication_factor=1)])
        except kafka.errors.TopicAlreadyExistsError:
            pass
        finally:
            admin.close()

    def delete_topic(self) -> None:
        kafka = _kafka()
        admin = kafka.KafkaAdminClient(bootstrap_servers=bootstrap_servers())
        try:
            admin.delete_topics([self.topic])
        finally:
            admin.close()

    def produce(self, message: Any) -> None:
        kafka = _kafka()
        producer = kafka.KafkaProducer(
            bootstrap_servers=bootstrap_servers(),
            value_serializer=lambda v: json.dumps(v).encode("utf-8"))
        try:
            producer.send(self.topic, message)
            producer.flush()
        finally:
            producer.close()

    def consume_all(self) -> list[Any]:
        """Every message of the topic from the start, JSON-decoded, in order."""
        kafka = _kafka()
        consumer = kafka.KafkaConsumer(
            self.topic, bootstrap_servers=bootstrap_servers(), auto_offset_reset="earliest",
            enable_auto_commit=False, consumer_timeout_ms=CONSUME_TIMEOUT_MS,
            value_deserializer=lambda b: json.loads(b.decode("utf-8")))
        try:
            return [record.value for record in consumer]
        finally:
            consumer.close()
