"""The monitoring schema's promises (decision 0014): a reading is keyed (point, time), so the same batch
written twice is one set of rows; a point has one active alarm per kind; the rule tables are seeded."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from shouye.monitoring import rulebook, storage
from shouye.monitoring.choices import AlarmLevel, AlarmState, Condition, PointKind
from shouye.monitoring.models import AlarmRule, Reading

from . import kit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rules():
    rulebook.forget()
    yield
    rulebook.forget()


def test_the_same_reading_twice_is_one_row(cast):
    p = kit.point(kit.gateway(cast["inside"]))
    at = timezone.now().replace(microsecond=0)
    rows = [Reading(point=p, measured_at=at + timedelta(seconds=i), value=1.0 + i) for i in range(3)]
    Reading.objects.bulk_create(rows, ignore_conflicts=True)
    Reading.objects.bulk_create(rows, ignore_conflicts=True)
    assert Reading.objects.filter(point=p).count() == 3


def test_a_point_has_one_active_alarm_per_kind(cast):
    p = kit.point(kit.gateway(cast["inside"]))
    kit.alarm(point_row=p)
    with pytest.raises(IntegrityError), transaction.atomic():
        kit.alarm(point_row=p, condition=Condition.HIGH)
    kit.alarm(point_row=p, state=AlarmState.CLEARED)  # a cleared one is not active


def test_levels_and_rules_come_from_the_seeded_tables():
    assert rulebook.level_for(Condition.HIGH_HIGH, PointKind.COMBUSTIBLE_GAS) == AlarmLevel.RED
    assert rulebook.level_for(Condition.HIGH_HIGH, PointKind.PRESSURE) == AlarmLevel.ORANGE
    AlarmRule.objects.filter(level=AlarmLevel.RED).update(ack_minutes=3)
    rulebook.forget()
    assert rulebook.rule_for(AlarmLevel.RED).ack_minutes == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")
def test_readings_are_partitioned_by_day():
    today = timezone.localdate()
    storage.ensure_partitions(today + timedelta(days=30), today + timedelta(days=31))
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [storage.reading_partition(today + timedelta(days=31))])
        assert cursor.fetchone()[0] is not None
