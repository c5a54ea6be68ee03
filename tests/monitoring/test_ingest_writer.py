"""The ingest's batch writer against the database (decision 0014): readings written once however often they
come, the point's status, and the sensor alarms raised, worsened and cleared with their audit events and the
notification queued after commit."""

import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.monitoring import rulebook
from shouye.monitoring.choices import AlarmKind, AlarmLevel, AlarmState, Condition, PointKind
from shouye.monitoring.ingest import wire
from shouye.monitoring.ingest.runner import Ingest
from shouye.monitoring.ingest.writer import oldest_ms
from shouye.monitoring.models import Alarm, PointStatus, Reading

from . import kit, kit_ingest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def announced(monkeypatch):
    kit_ingest.seed_rules()
    rulebook.forget()
    calls = []
    monkeypatch.setattr("shouye.monitoring.ingest.writer.announce", calls.append)
    yield calls
    rulebook.forget()


@pytest.fixture
def point(cast):
    return kit.point(kit.gateway(cast["inside"]))


#: The readings' times are fixed when the module is imported: a test comparing a time it wrote with a time
#: it computes again must not see the clock pass a second in between.
BASE = timezone.now().replace(microsecond=0) - timedelta(minutes=5)


def at(seconds):
    return BASE + timedelta(seconds=seconds)


def verbs(alarm):
    return list(AuditEvent.objects.filter(target_type="monitoring.alarm", target_id=str(alarm.pk))
                .order_by("pk").values_list("verb", flat=True))


def test_a_batch_writes_its_readings_and_the_latest_value_follows_in_bulk(point):
    w = kit_ingest.writer()
    result = kit_ingest.write(w, (point, at(0), 1.0), (point, at(10), 1.1), (point, at(5), 1.05))
    assert result.written == 3 and result.duplicates == 0
    assert sorted(Reading.objects.filter(point=point).values_list("value", flat=True)) == [1.0, 1.05, 1.1]
    assert not PointStatus.objects.filter(point=point, value__isnull=False).exists()  # not per batch
    assert w.flush_latest() == 1 and w.flush_latest() == 0
    status = PointStatus.objects.get(point=point)
    assert (status.value, status.measured_at, status.condition) == (1.1, at(10), Condition.NORMAL)
    assert status.received_at is not None and not status.is_offline


def test_the_same_batch_twice_writes_nothing_twice_and_raises_one_alarm(point, django_capture_on_commit_callbacks,
                                                                        announced):
    w = kit_ingest.writer()
    batch = [(point, at(0), 1.0), (point, at(10), 2.2)]
    with django_capture_on_commit_callbacks(execute=True):
        first = kit_ingest.write(w, *batch)
    again = kit_ingest.write(kit_ingest.writer(), *batch)  # a redelivery, to a restarted ingest
    assert (first.written, again.written, again.duplicates) == (2, 0, 2)
    assert Reading.objects.filter(point=point).count() == 2
    alarm = Alarm.objects.get(point=point)
    assert again.raised == [] and announced == [[alarm.pk]]


def test_a_value_past_a_setpoint_raises_an_alarm_of_its_level(point, django_capture_on_commit_callbacks,
                                                              announced):
    with django_capture_on_commit_callbacks(execute=True):
        result = kit_ingest.write(kit_ingest.writer(), (point, at(0), 1.0), (point, at(10), 1.7))
    alarm = Alarm.objects.get(point=point)
    assert result.raised == [alarm.pk] and announced == [[alarm.pk]]
    assert (alarm.kind, alarm.condition, alarm.level, alarm.state) == (
        AlarmKind.PROCESS, Condition.HIGH, AlarmLevel.YELLOW, AlarmState.RAISED)
    assert (alarm.value, alarm.setpoint, alarm.peak_value) == (1.7, 1.6, 1.7)
    assert alarm.raised_at == at(10) and alarm.ack_due_by == at(10) + timedelta(minutes=30)
    assert (alarm.enterprise, alarm.township_id) == (point.enterprise, point.township_id)
    assert verbs(alarm) == ["alarm.raise"]
    assert PointStatus.objects.get(point=point).condition == Condition.HIGH


def test_worsening_raises_the_level_of_the_same_alarm(point):
    w = kit_ingest.writer()
    kit_ingest.write(w, (point, at(0), 1.7))
    result = kit_ingest.write(w, (point, at(10), 2.1))
    alarm = Alarm.objects.get(point=point)
    assert result.worsened == [alarm.pk]
    assert (alarm.condition, alarm.level, alarm.setpoint, alarm.peak_value) == (
        Condition.HIGH_HIGH, AlarmLevel.ORANGE, 2.0, 2.1)
    assert verbs(alarm) == ["alarm.raise", "alarm.worsen"]


def test_the_alarm_keeps_the_worst_value_while_out_of_limits(point):
    w = kit_ingest.writer()
    kit_ingest.write(w, (point, at(0), 1.7))
    kit_ingest.write(w, (point, at(10), 1.95), (point, at(20), 1.8))
    kit_ingest.write(w, (point, at(30), 1.75))
    alarm = Alarm.objects.get(point=point)
    assert (alarm.condition, alarm.value, alarm.peak_value) == (Condition.HIGH, 1.7, 1.95)


def test_an_alarm_clears_itself_when_the_value_is_back_and_its_rule_says_so(point):
    w = kit_ingest.writer()
    kit_ingest.write(w, (point, at(0), 2.1))
    result = kit_ingest.write(w, (point, at(10), 1.9), (point, at(20), 1.2))  # past HH's and H's dead band
    alarm = Alarm.objects.get(point=point)
    assert result.cleared == [alarm.pk]
    assert alarm.state == AlarmState.CLEARED and alarm.cleared_by is None and alarm.cleared_at is not None
    assert verbs(alarm) == ["alarm.raise", "alarm.auto-clear"]
    kit_ingest.write(w, (point, at(30), 1.7))  # a new excursion is a new alarm
    assert Alarm.objects.filter(point=point).count() == 2


def test_a_red_alarm_waits_for_a_person(cast):
    gas = kit.point(kit.gateway(cast["inside"]), code="GT-1", kind=PointKind.COMBUSTIBLE_GAS, unit="%LEL",
                    range_max=100, high=25, high_high=50)
    w = kit_ingest.writer()
    kit_ingest.write(w, (gas, at(0), 55.0))
    kit_ingest.write(w, (gas, at(10), 3.0))
    alarm = Alarm.objects.get(point=gas)
    assert (alarm.level, alarm.state) == (AlarmLevel.RED, AlarmState.RAISED)
    assert PointStatus.objects.get(point=gas).condition == Condition.NORMAL


def test_a_reading_older_than_the_latest_is_written_but_raises_nothing(point):
    w = kit_ingest.writer()
    kit_ingest.write(w, (point, at(100), 1.0))
    result = kit_ingest.write(w, (point, at(50), 2.4))
    assert result.written == 1 and not Alarm.objects.exists()
    w.flush_latest()
    assert PointStatus.objects.get(point=point).value == 1.0


def test_a_delay_begun_before_a_restart_completes_after_it(point):
    point.delay_seconds = 5
    point.save()
    kit_ingest.write(kit_ingest.writer(), (point, at(0), 1.7), (point, at(4), 1.7))
    status = PointStatus.objects.get(point=point)
    assert (status.condition, status.pending_condition, status.pending_since) == (
        Condition.NORMAL, Condition.HIGH, at(0))
    assert not Alarm.objects.exists()
    kit_ingest.write(kit_ingest.writer(), (point, at(5), 1.7))  # a new process, the same wait
    assert Alarm.objects.get(point=point).raised_at == at(5)
    assert PointStatus.objects.get(point=point).pending_condition == ""


def test_a_stuck_value_raises_a_stuck_alarm_that_clears_when_it_moves(point):
    point.stuck_after_readings = 3
    point.save()
    w = kit_ingest.writer()
    kit_ingest.write(w, *[(point, at(i), 1.0) for i in range(3)])
    alarm = Alarm.objects.get(point=point, kind=AlarmKind.STUCK)
    assert (alarm.level, alarm.raised_at, PointStatus.objects.get(point=point).is_stuck) == (
        AlarmLevel.BLUE, at(2), True)
    kit_ingest.write(w, (point, at(3), 1.1))
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.CLEARED and not PointStatus.objects.get(point=point).is_stuck


def test_a_silent_point_goes_offline_after_its_window_and_back_with_a_reading(point):
    w = kit_ingest.writer()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        kit_ingest.write(w, (point, start - timedelta(seconds=1), 1.0))
    # 3 intervals of 10 s: one second short, then exactly.
    assert w.sweep(start + timedelta(seconds=29)) == []
    raised = w.sweep(start + timedelta(seconds=30))
    alarm = Alarm.objects.get(point=point, kind=AlarmKind.OFFLINE)
    assert raised == [alarm.pk] and alarm.level == AlarmLevel.BLUE and alarm.value == 1.0
    assert PointStatus.objects.get(point=point).is_offline
    assert w.sweep(start + timedelta(seconds=60)) == []  # once
    kit_ingest.write(w, (point, start + timedelta(seconds=61), 1.0))
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.CLEARED and not PointStatus.objects.get(point=point).is_offline
    assert verbs(alarm) == ["alarm.raise", "alarm.auto-clear"]


def test_a_refused_reading_does_not_stop_the_rest_of_the_message(cast, point):
    other = kit.point(kit.gateway(cast["inside"], code="gw-2"), code="PT-9")
    w = kit_ingest.writer()
    now = timezone.now()
    payload = kit_ingest.json_payload(
        (point, at(0), 1.0), (other, at(0), 1.0),  # another gateway's point
        (point, now + timedelta(minutes=11), 1.0),  # too far ahead
        (point, now - timedelta(days=31), 1.0),  # older than the retention
        (point, at(1), 1.1))
    bad = b'{"r": [["PT-101", 1, "x"], ["NOPE", 1, 1.0], 7]}'
    decoded = wire.decode("shouye/v1/gw-1/readings", payload, w.directory, kit_ingest.ms(now), oldest_ms(now))
    assert decoded.refused == 3 and len(decoded.pks) == 2
    assert wire.decode("shouye/v1/gw-1/readings", bad, w.directory, kit_ingest.ms(now), oldest_ms(now)).refused == 3
    w.write(decoded.pks, decoded.times, decoded.values)
    assert Reading.objects.count() == 2
    binary = kit_ingest.binary_payload((point, at(2), float("nan")), (point, at(3), 1.2))
    decoded = wire.decode("shouye/v1/gw-1/readings", binary, w.directory, kit_ingest.ms(now), oldest_ms(now))
    assert (decoded.refused, decoded.values.tolist()) == (1, [1.2])
    for topic, junk in (("shouye/v1/gw-1/readings", b"SY\x01\x00abc"), ("shouye/v1/gw-1/readings", b"hello"),
                        ("other/topic", payload)):
        with pytest.raises(wire.Unparseable):
            wire.decode(topic, junk, w.directory, kit_ingest.ms(now), oldest_ms(now))


def test_an_inactive_point_is_refused(point):
    point.is_active = False
    point.save()
    now = timezone.now()
    decoded = wire.decode("shouye/v1/gw-1/readings", kit_ingest.json_payload((point, at(0), 1.0)),
                          kit_ingest.writer().directory, kit_ingest.ms(now), oldest_ms(now))
    assert decoded.refused == 1


def test_no_point_is_offline_before_its_window_has_passed_since_the_ingest_started(point):
    PointStatus.objects.filter(point=point).update(value=1.0, received_at=timezone.now() - timedelta(hours=1))
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        w = kit_ingest.writer()  # restarted after an hour without the point's readings
    assert w.sweep(start + timedelta(seconds=29)) == []
    assert len(w.sweep(start + timedelta(seconds=30))) == 1
    assert Alarm.objects.get(point=point, kind=AlarmKind.OFFLINE).value == 1.0


def test_offline_counts_from_when_a_reading_arrived_not_from_its_time(point):
    w = kit_ingest.writer()
    start = timezone.now() + timedelta(seconds=40)
    with time_machine.travel(start, tick=False):  # a backlog: a reading measured ten minutes earlier
        kit_ingest.write(w, (point, start - timedelta(minutes=10), 1.0))
    assert w.sweep(start + timedelta(seconds=29)) == []
    assert not Alarm.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the ingest's loop opens and closes its own connections
def test_a_backlog_holds_the_offline_sweep_until_the_ingest_has_kept_up(point):
    ingest = Ingest(url="mqtt://127.0.0.1:1", sweep_seconds=0.5)
    ingest.writer, ingest.client = kit_ingest.writer(), SimpleNamespace(ack=lambda mid, qos: None)
    message = (ingest._generation, 1, 1, "shouye/v1/gw-1/readings", kit_ingest.json_payload((point, at(0), 1.0)))
    later = timezone.now() + timedelta(minutes=5)
    ingest._flush([(*message, time.monotonic() - 3)])  # waited 3 s in the inbox: behind
    with time_machine.travel(later, tick=False):
        ingest._sweep()
        assert not Alarm.objects.exists()
        time.sleep(0.6)  # a whole sweep interval without falling behind
        ingest._sweep()
    assert Alarm.objects.get(point=point, kind=AlarmKind.OFFLINE)


def test_the_latest_values_are_written_for_many_points_at_once_and_read_back_after_a_restart(cast):
    gateway = kit.gateway(cast["inside"])
    points = [kit.point(gateway, code=f"PT-{n}") for n in range(3)]
    w = kit_ingest.writer()
    kit_ingest.write(w, *[(p, at(n), 1.0 + n / 10) for n, p in enumerate(points)])
    kit_ingest.write(w, (points[0], at(9), 1.3))
    assert w.flush_latest(0, 2) + w.flush_latest(1, 2) == 3 and w.flush_latest() == 0
    assert dict(PointStatus.objects.values_list("point_id", "value")) == {
        points[0].pk: 1.3, points[1].pk: 1.1, points[2].pk: 1.2}
    again = kit_ingest.writer()
    result = kit_ingest.write(again, (points[0], at(5), 2.4))  # older than the latest flushed: not judged
    assert result.written == 1 and not Alarm.objects.exists()
