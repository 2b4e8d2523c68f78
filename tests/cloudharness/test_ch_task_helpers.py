"""The helpers CloudHarness task images call, and the queue behind ``notify_queue``.

Kafka is not reachable here: the queue tests put a recording ``kafka`` module in place of
kafka-python and check the calls tiphys makes (topics, serialisation, reading from the
start); they say nothing about a real broker.
"""

from __future__ import annotations

import json
import sys
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from tiphys.cloudharness import events, operations, tasks, utils


def test_get_shared_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("shared_directory", raising=False)
    assert utils.get_shared_directory() is None
    monkeypatch.setenv("shared_directory", "/mnt/shared")
    assert utils.get_shared_directory() == "/mnt/shared"


def test_get_workflow_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CH_WORKFLOW_NAME", "test-sync-op-x7k2p-3345623")
    assert utils.get_workflow_name() == "test-sync-op-x7k2p"
    monkeypatch.delenv("CH_WORKFLOW_NAME")
    with pytest.raises(KeyError, match="inside a workflow's pod"):
        utils.get_workflow_name()


def test_operation_volumes() -> None:
    task = tasks.BashTask("a", "ls")
    assert operations.SingleTaskOperation("v-", task).volumes == ()
    assert operations.SingleTaskOperation("v-", task, shared_directory=True).volumes == (
        "/mnt/shared",)
    assert operations.PipelineOperation("v-", [task], shared_directory=["c:/a", "/b"]).volumes \
        == ("c:/a", "/b")
    assert operations.DistributedSyncOperationWithResults("v-", task).volumes == ("/mnt/shared",)


def test_is_accounts_present() -> None:
    try:
        operations.configure(accounts=True)
        assert utils.is_accounts_present()
        operations.configure()
        assert not utils.is_accounts_present()
    finally:
        operations.configure()


def test_notify_queue_without_kafka_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "kafka", None)
    events.configure("broker:9092")
    try:
        with pytest.raises(events.EventsUnavailable, match=r"pip install 'tiphys\[events\]'"):
            utils.notify_queue("q", {"a": 1})
    finally:
        events.configure(None)


def test_notify_queue_without_a_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "kafka", _recording_kafka([]))
    monkeypatch.delenv(events.BOOTSTRAP_ENV, raising=False)
    with pytest.raises(events.EventsUnavailable, match="no Kafka broker"):
        utils.notify_queue("q", {"a": 1})


def _recording_kafka(calls: list[Any], stored: list[bytes] | None = None) -> ModuleType:
    kafka = ModuleType("kafka")

    class Producer:
        def __init__(self, **options: Any) -> None:
            self.options = options
            calls.append(("producer", options["bootstrap_servers"]))

        def send(self, topic: str, value: Any) -> None:
            calls.append(("send", topic, self.options["value_serializer"](value)))

        def flush(self) -> None:
            calls.append(("flush",))

        def close(self) -> None:
            pass

    class Consumer:
        def __init__(self, topic: str, **options: Any) -> None:
            calls.append(("consumer", topic, options["auto_offset_reset"]))
            self.records = [SimpleNamespace(value=options["value_deserializer"](b))
                            for b in stored or []]

        def __iter__(self) -> Any:
            return iter(self.records)

        def close(self) -> None:
            pass

    kafka.KafkaProducer = Producer  # type: ignore[attr-defined]
    kafka.KafkaConsumer = Consumer  # type: ignore[attr-defined]
    return kafka


def test_notify_queue_produces_json(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    monkeypatch.setitem(sys.modules, "kafka", _recording_kafka(calls))
    monkeypatch.setenv(events.BOOTSTRAP_ENV, "k1:9092, k2:9092")
    utils.notify_queue("my_queue", {"status": "Succeeded", "payload": {"n": 1}})
    assert calls == [("producer", ["k1:9092", "k2:9092"]),
                     ("send", "my_queue", json.dumps({"status": "Succeeded",
                                                      "payload": {"n": 1}}).encode()),
                     ("flush",)]


def test_results_are_read_from_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    stored = [b'{"result": "3"}', b'{"other.txt": "x"}']
    monkeypatch.setitem(sys.modules, "kafka", _recording_kafka(calls, stored))
    events.configure("broker:9092")
    try:
        assert events.EventClient("wf-abcde").consume_all() == [{"result": "3"},
                                                                {"other.txt": "x"}]
    finally:
        events.configure(None)
    assert calls == [("consumer", "wf-abcde", "earliest")]
