"""The ingest against a real Mosquitto on 127.0.0.1:1883 (wire format, decision 0014): JSON and binary messages
become rows and alarms; messages published while the ingest is down arrive when it is back, messages it
received but did not acknowledge are delivered again, and neither writes anything twice."""

import json
import socket
import threading
import time
import uuid
from datetime import timedelta

import paho.mqtt.client as mqtt
import pytest
from django.db import OperationalError
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.monitoring import rulebook
from shouye.monitoring.choices import AlarmKind
from shouye.monitoring.ingest.runner import Ingest
from shouye.monitoring.models import Alarm, Reading

from . import kit, kit_ingest

BROKER = ("127.0.0.1", 1883)


def _broker_listens() -> bool:
    try:
        socket.create_connection(BROKER, timeout=1).close()
        return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not _broker_listens(), reason="no MQTT broker listens on 127.0.0.1:1883"),
]


@pytest.fixture(autouse=True)
def _quiet(monkeypatch, cast):
    kit_ingest.seed_rules()
    rulebook.forget()
    monkeypatch.setattr("shouye.monitoring.ingest.writer.announce", lambda ids: None)
    yield
    rulebook.forget()


@pytest.fixture
def setup(cast):
    code = f"t-{uuid.uuid4().hex[:12]}"
    point = kit.point(kit.gateway(cast["inside"], code=code))
    client_id = f"test-ingest-{uuid.uuid4().hex}"
    yield {"point": point, "topic": f"shouye/v1/{code}/readings", "client_id": client_id}
    # The broker keeps a persistent session until a clean connection with its client id discards it.
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True)
    client.connect(*BROKER)
    client.disconnect()


class Running:
    """An ingest in a thread, stopped (and joined) on leaving."""

    def __init__(self, setup, tmp_path, ingest_class=Ingest):
        self.ingest = ingest_class(url=f"mqtt://{BROKER[0]}:{BROKER[1]}", client_id=setup["client_id"],
                                   topic=setup["topic"], status_file=tmp_path / "status.json", batch_seconds=0.05,
                                   sweep_seconds=3600)
        self.thread = threading.Thread(target=self.ingest.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        assert self.ingest.subscribed.wait(15), "the ingest did not subscribe"
        return self.ingest

    def __exit__(self, *exc):
        self.ingest.stop()
        self.thread.join(20)
        assert not self.thread.is_alive()


def publish(topic, *payloads):
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-pub-{uuid.uuid4().hex}")
    client.connect(*BROKER)
    client.loop_start()
    try:
        for payload in payloads:
            client.publish(topic, payload, qos=1).wait_for_publish(10)
    finally:
        client.disconnect()
        client.loop_stop()


def wait_for(condition, seconds=20):
    """Poll ``condition``; SQLite's shared in-memory test database refuses a read while the ingest's thread
    writes the table ("table is locked"), which only means "not yet"."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:
            pass
        time.sleep(0.1)
    return condition()


#: The readings' times are fixed when the module is imported: a test comparing a time it wrote with a time
#: it computes again must not see the clock pass a second in between.
BASE = timezone.now().replace(microsecond=0) - timedelta(minutes=5)


def at(seconds):
    return BASE + timedelta(seconds=seconds)


def test_json_and_binary_messages_become_rows_and_an_alarm_and_a_restart_writes_nothing_twice(setup, tmp_path):
    p, topic = setup["point"], setup["topic"]
    first = kit_ingest.json_payload((p, at(0), 1.0), (p, at(10), 1.7))
    second = kit_ingest.binary_payload((p, at(20), 1.8), (p, at(30), 1.9))
    with Running(setup, tmp_path) as ingest:
        publish(topic, first, second, b"not a payload")
        assert wait_for(lambda: Reading.objects.filter(point=p).count() == 4)
        assert wait_for(lambda: ingest.counters.unparseable == 1)
    alarm = Alarm.objects.get(point=p)
    assert alarm.condition == "h"
    # The alarm's audit event is linked into the chain (on PostgreSQL by the ingest's aftercare thread).
    assert AuditEvent.objects.get(target_id=str(alarm.pk), verb="alarm.raise").seq is not None
    status = json.loads((tmp_path / "status.json").read_text())
    assert (status["messages"], status["written"], status["unparseable"], status["alarms_raised"]) == (3, 4, 1, 1)

    # While it is down: the first message again, and a new one. Its persistent session keeps both.
    publish(topic, first, kit_ingest.json_payload((p, at(40), 1.95)))
    with Running(setup, tmp_path) as ingest:
        assert wait_for(lambda: ingest.counters.messages == 2 and ingest.counters.batches >= 1)
        assert wait_for(lambda: Reading.objects.filter(point=p).count() == 5)
    assert (ingest.counters.written, ingest.counters.duplicates) == (1, 2)
    assert Alarm.objects.filter(point=p).count() == 1


class NeverAcks(Ingest):
    """An ingest that dies between its commit and its acknowledgements."""

    def _client(self):
        client = super()._client()
        client.ack = lambda mid, qos: None
        return client


def test_a_message_written_but_not_acknowledged_is_delivered_again_and_changes_nothing(setup, tmp_path):
    p, topic = setup["point"], setup["topic"]
    with Running(setup, tmp_path, NeverAcks) as ingest:
        publish(topic, kit_ingest.json_payload((p, at(0), 2.2), (p, at(10), 2.3)))
        assert wait_for(lambda: ingest.counters.written == 2)
    alarm = Alarm.objects.get(point=p, kind=AlarmKind.PROCESS)
    with Running(setup, tmp_path) as ingest:
        assert wait_for(lambda: ingest.counters.messages == 1 and ingest.counters.batches == 1)
    assert (ingest.counters.written, ingest.counters.duplicates) == (0, 2)
    assert Reading.objects.filter(point=p).count() == 2
    assert list(Alarm.objects.filter(point=p).values_list("pk", flat=True)) == [alarm.pk]


@pytest.mark.parametrize("step", ["judge", "store"])
def test_a_batch_whose_transaction_failed_is_written_again(setup, tmp_path, monkeypatch, step):
    """The database went away mid-batch (a PostgreSQL restart) while the batch was judged, or while its
    readings were stored: the step is retried, the batch acknowledged once, one alarm raised."""
    from shouye.monitoring.ingest import writer

    real, failures = getattr(writer.Writer, step), []

    def flaky(self, *args):
        if not failures:
            failures.append(1)
            raise OperationalError("server closed the connection unexpectedly")
        return real(self, *args)

    monkeypatch.setattr(writer.Writer, step, flaky)
    p = setup["point"]
    with Running(setup, tmp_path) as ingest:
        publish(setup["topic"], kit_ingest.json_payload((p, at(0), 1.0), (p, at(10), 2.2)))
        assert wait_for(lambda: ingest.counters.batches == 1)
    assert ingest.counters.failed_batches == 1 and ingest.counters.written == 2
    assert Reading.objects.filter(point=p).count() == 2
    assert Alarm.objects.filter(point=p, kind=AlarmKind.PROCESS).count() == 1


def test_a_failing_readings_lane_stops_the_ingest_and_the_next_run_writes_the_batch(setup, tmp_path, monkeypatch):
    """A fault that is not the database's (a defect) stops the ingest with an error rather than leaving it
    judging batches nobody stores; nothing was acknowledged, so the next run stores them."""
    from django.db import connection

    from shouye.monitoring.ingest import writer

    if connection.vendor != "postgresql":
        pytest.skip("SQLite stores the readings in the loop: there is no lane")
    real = writer.Writer.store
    monkeypatch.setattr(writer.Writer, "store", lambda self, *args: 1 / 0)
    p = setup["point"]
    failed = []
    crashing = Running(setup, tmp_path)
    crashing.thread = threading.Thread(target=lambda: failed.append(_raised(crashing.ingest.run)), daemon=True)
    with crashing:
        publish(setup["topic"], kit_ingest.json_payload((p, at(0), 1.0)))
        crashing.thread.join(20)
    assert failed and isinstance(failed[0], RuntimeError) and Reading.objects.filter(point=p).count() == 0

    monkeypatch.setattr(writer.Writer, "store", real)
    with Running(setup, tmp_path) as ingest:
        assert wait_for(lambda: Reading.objects.filter(point=p).count() == 1)
    assert ingest.counters.written == 1


def test_alarms_are_raised_while_the_storage_stalls_and_the_judging_waits_beyond_its_bound(
        setup, tmp_path, monkeypatch):
    """The readings' storage stalls (a checkpoint's full-page images, a slow disk): the alarm is still raised
    and on the board at once; the loop judges on until ``LANE_BEHIND_READINGS`` readings wait to be stored, then
    waits; when the storage comes back everything is stored and nothing was written twice."""
    from django.db import connection

    from shouye.monitoring.ingest import runner, writer

    if connection.vendor != "postgresql":
        pytest.skip("SQLite stores the readings in the loop: there is no lane")
    monkeypatch.setattr(runner, "LANE_BEHIND_READINGS", 3)
    storage_back, real = threading.Event(), writer.Writer.store

    def stalled(self, *args):
        storage_back.wait(30)
        return real(self, *args)

    monkeypatch.setattr(writer.Writer, "store", stalled)
    p = setup["point"]
    try:
        with Running(setup, tmp_path) as ingest:
            publish(setup["topic"], kit_ingest.json_payload((p, at(0), 1.0), (p, at(10), 2.2)))
            assert wait_for(lambda: Alarm.objects.filter(point=p, kind=AlarmKind.PROCESS).count() == 1)
            assert Reading.objects.filter(point=p).count() == 0
            publish(setup["topic"], kit_ingest.json_payload((p, at(20), 2.3), (p, at(30), 2.4)))
            assert wait_for(lambda: ingest.counters.messages == 2)
            publish(setup["topic"], kit_ingest.json_payload((p, at(40), 2.5)))  # judged, then the loop waits
            assert wait_for(lambda: ingest.counters.messages == 3)
            publish(setup["topic"], kit_ingest.json_payload((p, at(50), 2.6)))
            time.sleep(1)
            assert ingest.counters.messages == 3, "the loop judged on beyond its bound"
            storage_back.set()
            assert wait_for(lambda: Reading.objects.filter(point=p).count() == 6)
    finally:
        storage_back.set()
    assert (ingest.counters.written, ingest.counters.duplicates) == (6, 0)
    assert Alarm.objects.filter(point=p, kind=AlarmKind.PROCESS).count() == 1


def _raised(work):
    try:
        work()
    except Exception as error:  # noqa: BLE001 - the test looks at what it was
        return error
    return None


def test_a_point_configured_while_the_ingest_runs_is_picked_up(setup, tmp_path, monkeypatch):
    """The points are read again when their configuration changed (on PostgreSQL by the side thread, for the
    loop to adopt): a reading of a point added after the start is written, not refused."""
    monkeypatch.setattr("shouye.monitoring.ingest.runner.REFRESH_SECONDS", 0.3)
    p = setup["point"]
    with Running(setup, tmp_path) as ingest:
        added = kit.point(p.gateway, code="PT-ADDED")
        assert wait_for(lambda: added.pk in ingest.writer.directory.points)
        publish(setup["topic"], kit_ingest.json_payload((added, at(0), 1.0)))
        assert wait_for(lambda: Reading.objects.filter(point=added).count() == 1)
    assert ingest.counters.refused == 0
