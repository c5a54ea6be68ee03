"""Where readings live (shouye.monitoring.storage): raw readings rolled up into minute aggregates (right and
idempotent), partitions made a week ahead, expired days and aggregate months removed — and never a reading
younger than 30 days, whatever the setting (40号令 Art. 13, REGULATIONS-2 §B.3). Both backends: partitions
dropped on PostgreSQL, rows deleted on SQLite."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import checks
from django.db import connection
from django.utils import timezone

from shouye.core.registry import retention_rules
from shouye.core.tasks import remove_expired_files
from shouye.monitoring import storage
from shouye.monitoring.models import MinuteAggregate, Reading

from . import kit

pytestmark = pytest.mark.django_db
partitioned = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's")

#: The frozen "now" of these tests: a working morning in Asia/Shanghai.
NOW = timezone.make_aware(datetime(2026, 11, 20, 9, 30))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def points(cast):
    gateway = kit.gateway(cast["inside"])
    return kit.point(gateway, "PT-101"), kit.point(gateway, "PT-102")


def write(point, *moments_and_values):
    """Readings of ``point`` at (moment, value)s, making the day partitions they need first."""
    for at, _ in moments_and_values:
        storage.ensure_partitions(timezone.localdate(at), timezone.localdate(at))
    Reading.objects.bulk_create([Reading(point=point, measured_at=at, value=value) for at, value in moments_and_values],
                                ignore_conflicts=True)


def aggregates(point):
    return {timezone.localtime(row.minute).strftime("%H:%M"): (row.count, row.minimum, row.maximum, row.total)
            for row in MinuteAggregate.objects.filter(point=point).order_by("minute")}


def test_readings_roll_up_into_minutes_and_again_to_the_same_rows(points):
    first, second = points
    start = timezone.make_aware(datetime(2026, 11, 19, 14, 0))
    write(first, (start + timedelta(seconds=5), 1.0), (start + timedelta(seconds=15), 1.5),
          (start + timedelta(seconds=55), 0.5), (start + timedelta(minutes=1, seconds=10), 2.0))
    write(second, (start + timedelta(seconds=20), 7.0))
    write(first, (start + timedelta(hours=1, seconds=1), 9.0))  # the next hour: not asked for

    assert storage.roll_up(start, start + timedelta(hours=1)) == 3
    expected = {"14:00": (3, 0.5, 1.5, 3.0), "14:01": (1, 2.0, 2.0, 2.0)}
    assert aggregates(first) == expected
    assert aggregates(second) == {"14:00": (1, 7.0, 7.0, 7.0)}

    storage.roll_up(start, start + timedelta(hours=1))
    assert aggregates(first) == expected and MinuteAggregate.objects.count() == 3

    # A reading that arrived late is counted when the hour is rolled up again.
    write(first, (start + timedelta(seconds=30), 4.0))
    storage.roll_up(start, start + timedelta(hours=1))
    assert aggregates(first)["14:00"] == (4, 0.5, 4.0, 7.0)


def test_the_hourly_job_rolls_up_the_finished_hours(points, frozen):
    first, _ = points
    write(first, (NOW - timedelta(minutes=45), 1.0), (NOW - timedelta(minutes=20), 2.0))
    storage.roll_up_recent(now=NOW)
    assert aggregates(first) == {"08:45": (1, 1.0, 1.0, 1.0)}  # 09:10 is in the hour still running


@partitioned
def test_the_daily_job_makes_the_next_weeks_partitions(frozen):
    storage.maintain(now=NOW)
    today = timezone.localdate(NOW)
    with connection.cursor() as cursor:
        for n in range(storage.DAYS_AHEAD + 1):
            cursor.execute("SELECT to_regclass(%s)", [storage.reading_partition(today + timedelta(days=n))])
            assert cursor.fetchone()[0] is not None, n
        cursor.execute("SELECT to_regclass(%s)", [storage.aggregate_partition(today.replace(month=12, day=1))])
        assert cursor.fetchone()[0] is not None
    assert storage.maintain(now=NOW)["partitions made"] == 0


def test_retention_never_removes_a_reading_younger_than_30_days(points, frozen, settings):
    """Even with the setting at 5 days (the deployment check refuses it, the code does not trust it)."""
    settings.SHOUYE_READING_RETENTION_DAYS = 5
    first, second = points
    expired = NOW - timedelta(days=31, hours=12)  # its whole day is older than 30 days
    straddling = NOW - timedelta(days=30, hours=2)  # older than 30 days, but its day is not yet
    young = NOW - timedelta(days=29, hours=23)
    write(first, (expired, 1.0), (straddling, 2.0), (young, 3.0))
    write(second, (NOW - timedelta(days=6), 4.0))

    assert retention_rules["monitoring_readings"] is storage.remove_expired_readings
    assert remove_expired_files.run()["monitoring_readings"] >= 1

    kept = sorted(Reading.objects.values_list("measured_at", flat=True))
    assert kept == [straddling, young, NOW - timedelta(days=6)]
    # The day dropped was rolled up first: its minute stays for the charts.
    assert MinuteAggregate.objects.get(point=first, minute=expired.replace(second=0, microsecond=0)).total == 1.0

    with pytest.raises(storage.RetentionRefused):
        storage.drop_reading_day(timezone.localdate(straddling), now=NOW)
    assert Reading.objects.count() == 3


def test_retention_keeps_the_configured_days(points, frozen, settings):
    settings.SHOUYE_READING_RETENTION_DAYS = 60
    first, _ = points
    write(first, (NOW - timedelta(days=45), 1.0), (NOW - timedelta(days=62), 2.0))
    storage.remove_expired_readings(now=NOW)
    assert list(Reading.objects.values_list("value", flat=True)) == [1.0]


def test_aggregates_are_kept_for_the_configured_years(points, frozen, settings):
    settings.SHOUYE_AGGREGATE_RETENTION_YEARS = 1
    first, _ = points
    old, kept = (timezone.make_aware(datetime(2025, 10, 15, 8, 0)), timezone.make_aware(datetime(2025, 11, 3, 8, 0)))
    storage.ensure_partitions(old.date(), old.date())
    storage.ensure_partitions(kept.date(), kept.date())
    MinuteAggregate.objects.bulk_create([MinuteAggregate(point=first, minute=at, count=1, minimum=1, maximum=1,
                                                         total=1) for at in (old, kept)])
    storage.remove_expired_readings(now=NOW)  # October 2025 is a whole month before November 2025
    assert list(MinuteAggregate.objects.values_list("minute", flat=True)) == [kept]
    if storage.is_partitioned(connection):
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [storage.aggregate_partition(old.date().replace(day=1))])
            assert cursor.fetchone()[0] is None


def test_a_retention_below_30_days_is_refused_at_deployment(settings):
    settings.SHOUYE_READING_RETENTION_DAYS = 29
    errors = [e for e in checks.run_checks() if e.id == "shouye.monitoring.E030"]
    assert errors and "40号令 Art. 13" in errors[0].msg
    settings.SHOUYE_READING_RETENTION_DAYS = 30
    assert not [e for e in checks.run_checks() if e.id == "shouye.monitoring.E030"]
