"""Where readings live (decision 0014). On PostgreSQL ``monitoring_reading`` is partitioned by day of
``measured_at`` and ``monitoring_minuteaggregate`` by month of ``minute``; a day's raw readings go by dropping
its partition once it is older than the retention (never younger than 30 days: 40号令 Art. 13, REGULATIONS-2
§B.3). Partitions are made ahead by the daily job and on demand by the ingest. On SQLite both are plain tables
(the embedded default at demo scale): there the same retention deletes rows.

The daily and hourly jobs (``tasks_storage.py``, Celery beat entries of migration 0003_storage_schedules):

- every hour, the finished hours are rolled up into minute aggregates (count, minimum, maximum and sum per point
  and minute), so that charts over days and months read aggregates, not raw readings;
- every day, the partitions of the next week are made and yesterday is rolled up again whole (readings that
  arrived late, a missed hour);
- every day, the retention rule (``core.registry.retention_rules``, run by the daily retention job) rolls up each
  expired day once more and then drops it, and drops the aggregates' months older than
  ``SHOUYE_AGGREGATE_RETENTION_YEARS``. A roll-up recomputes its minutes from the readings, so running it twice
  gives the same rows."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core.checks import Error, register
from django.db import connection, transaction
from django.utils import timezone

READINGS = "monitoring_reading"
AGGREGATES = "monitoring_minuteaggregate"

#: The partitioned tables' definitions (the same columns and key as the models).
CREATE_PARTITIONED = (
    f"""CREATE TABLE {READINGS} (
        point_id bigint NOT NULL,
        measured_at timestamp with time zone NOT NULL,
        value double precision NOT NULL,
        PRIMARY KEY (point_id, measured_at)
    ) PARTITION BY RANGE (measured_at)""",
    f"""CREATE TABLE {AGGREGATES} (
        point_id bigint NOT NULL,
        minute timestamp with time zone NOT NULL,
        count integer NOT NULL CHECK (count >= 0),
        minimum double precision NOT NULL,
        maximum double precision NOT NULL,
        total double precision NOT NULL,
        PRIMARY KEY (point_id, minute)
    ) PARTITION BY RANGE (minute)""",
)


def is_partitioned(conn=connection) -> bool:
    return conn.vendor == "postgresql"


def reading_partition(day: date) -> str:
    return f"{READINGS}_p{day:%Y%m%d}"


def aggregate_partition(month: date) -> str:
    return f"{AGGREGATES}_p{month:%Y%m}"


def ensure_partitions(first: date, last: date, conn=connection) -> list[str]:
    """Make the daily reading partitions of ``first``..``last`` and the monthly aggregate partitions of their
    months that do not exist yet; returns the tables made. Partition bounds are days in Asia/Shanghai (the
    server's TIME_ZONE), so a day's partition is the bureau's day."""
    if not is_partitioned(conn):
        return []
    made = []
    with conn.cursor() as cursor:
        day = first
        while day <= last:
            made += _create(cursor, reading_partition(day), READINGS, day, day + timedelta(days=1))
            day += timedelta(days=1)
        month = first.replace(day=1)
        while month <= last:
            following = (month + timedelta(days=32)).replace(day=1)
            made += _create(cursor, aggregate_partition(month), AGGREGATES, month, following)
            month = following
    return made


def _create(cursor, name: str, parent: str, start: date, end: date) -> list[str]:
    cursor.execute("SELECT to_regclass(%s)", [name])
    if cursor.fetchone()[0] is not None:
        return []
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {parent} "
        f"FOR VALUES FROM ('{start.isoformat()} 00:00:00+08') TO ('{end.isoformat()} 00:00:00+08')")
    return [name]


#: 40号令 Art. 13 (REGULATIONS-2 §B.3): raw readings are kept at least 30 days. No setting makes the code drop a
#: younger day, and the deployment check below refuses a setting below it.
MINIMUM_READING_DAYS = 30
#: Partitions made ahead of today by the daily job (the ingest makes a missing one on demand as well).
DAYS_AHEAD = 7
#: The hourly roll-up recomputes this many finished hours, so that a late reading or a missed run is caught up.
HOURS_ROLLED_UP = 2


class RetentionRefused(Exception):
    """Dropping readings younger than MINIMUM_READING_DAYS was asked for."""


def day_start(day: date) -> datetime:
    """The bureau's midnight starting ``day`` (Asia/Shanghai, the partitions' bounds)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def reading_retention_days() -> int:
    return max(settings.SHOUYE_READING_RETENTION_DAYS, MINIMUM_READING_DAYS)


def _minute_sql(conn) -> str:
    """The minute a reading falls in: PostgreSQL truncates the timestamp; SQLite keeps datetimes as UTC text
    ``YYYY-MM-DD HH:MM:SS[.ffffff]``, whose first 16 characters are the minute."""
    if conn.vendor == "postgresql":
        return "date_trunc('minute', measured_at)"
    return "substr(measured_at, 1, 16) || ':00'"


def roll_up(start: datetime, end: datetime, conn=connection) -> int:
    """Recompute the minute aggregates of the readings measured in ``[start, end)`` (whole minutes); returns how
    many minutes were written. Idempotent: a minute already rolled up is replaced by the same figures, or by
    the right ones if readings arrived since."""
    minute = _minute_sql(conn)
    adapt = conn.ops.adapt_datetimefield_value
    with conn.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AGGREGATES} (point_id, minute, count, minimum, maximum, total) "
            f"SELECT point_id, {minute}, count(*), min(value), max(value), sum(value) FROM {READINGS} "
            f"WHERE measured_at >= %s AND measured_at < %s GROUP BY point_id, {minute} "
            "ON CONFLICT (point_id, minute) DO UPDATE SET count = excluded.count, minimum = excluded.minimum, "
            "maximum = excluded.maximum, total = excluded.total",
            [adapt(start), adapt(end)])
        return cursor.rowcount


def roll_up_recent(*, now: datetime) -> int:
    """The hourly job: the last HOURS_ROLLED_UP finished hours."""
    end = now.replace(minute=0, second=0, microsecond=0)
    return roll_up(end - timedelta(hours=HOURS_ROLLED_UP), end)


def maintain(*, now: datetime) -> dict[str, int]:
    """The daily job: the partitions of today and the next DAYS_AHEAD days, and yesterday rolled up whole."""
    today = timezone.localdate(now)
    made = ensure_partitions(today, today + timedelta(days=DAYS_AHEAD))
    return {"partitions made": len(made),
            "minutes rolled up": roll_up(day_start(today - timedelta(days=1)), day_start(today))}


def _partitions(parent: str, conn) -> dict[str, date]:
    """The partitions of ``parent`` by name, with the first day each holds (read from the name)."""
    with conn.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "WHERE i.inhparent = %s::regclass", [parent])
        names = [row[0] for row in cursor.fetchall()]
    digits, first = {READINGS: (8, "%Y%m%d"), AGGREGATES: (6, "%Y%m")}[parent]
    pattern = re.compile(rf"{parent}_p(\d{{{digits}}})")  # only the partitions named by this module
    return {name: datetime.strptime(match[1], first).date() for name in names if (match := pattern.fullmatch(name))}


def drop_reading_day(day: date, *, now: datetime, conn=connection) -> bool:
    """Roll ``day`` up once more and remove its raw readings (drop its partition; on SQLite delete them) — only
    if every reading of the day is older than MINIMUM_READING_DAYS, whatever is asked. Answers whether the day
    held readings."""
    if day_start(day + timedelta(days=1)) > now - timedelta(days=MINIMUM_READING_DAYS):
        raise RetentionRefused(f"the readings of {day} are younger than {MINIMUM_READING_DAYS} days "
                               "(40号令 Art. 13)")
    with transaction.atomic(using=conn.alias):
        held = roll_up(day_start(day), day_start(day + timedelta(days=1)), conn) > 0
        with conn.cursor() as cursor:
            if is_partitioned(conn):
                cursor.execute(f"DROP TABLE IF EXISTS {reading_partition(day)}")
            else:
                adapt = conn.ops.adapt_datetimefield_value
                cursor.execute(f"DELETE FROM {READINGS} WHERE measured_at >= %s AND measured_at < %s",
                               [adapt(day_start(day)), adapt(day_start(day + timedelta(days=1)))])
    return held


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def remove_expired_readings(*, now: datetime, conn=connection) -> int:
    """The retention rule: the days of raw readings older than the retention (whole days: a day goes when its
    last reading is past it) and the months of aggregates older than ``SHOUYE_AGGREGATE_RETENTION_YEARS``
    (whole months); returns how many days of readings and months of aggregates were removed (an empty
    partition dropped on the way is not counted)."""
    first_kept = timezone.localdate(now - timedelta(days=reading_retention_days()))
    first_month_kept = _years_before(timezone.localdate(now), settings.SHOUYE_AGGREGATE_RETENTION_YEARS).replace(
        day=1)
    if is_partitioned(conn):
        days = sorted(day for day in _partitions(READINGS, conn).values() if day < first_kept)
        months = sorted(name for name, month in _partitions(AGGREGATES, conn).items() if month < first_month_kept)
    else:
        days = _sqlite_days_before(first_kept, conn)
    removed = sum(drop_reading_day(day, now=now, conn=conn) for day in days)
    with conn.cursor() as cursor:
        if is_partitioned(conn):
            for name in months:
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {name})")
                removed += cursor.fetchone()[0]
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
            return removed
        cutoff = [conn.ops.adapt_datetimefield_value(day_start(first_month_kept))]
        cursor.execute(f"SELECT count(DISTINCT substr(minute, 1, 7)) FROM {AGGREGATES} WHERE minute < %s", cutoff)
        months_removed = cursor.fetchone()[0]
        cursor.execute(f"DELETE FROM {AGGREGATES} WHERE minute < %s", cutoff)
    return removed + months_removed


def _sqlite_days_before(first_kept: date, conn) -> list[date]:
    """The days (Asia/Shanghai) that hold readings before ``first_kept``."""
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT min(measured_at) FROM {READINGS} WHERE measured_at < %s",
                       [conn.ops.adapt_datetimefield_value(day_start(first_kept))])
        oldest = cursor.fetchone()[0]
    if oldest is None:
        return []
    day = timezone.localdate(datetime.fromisoformat(oldest).replace(tzinfo=UTC))
    return [day + timedelta(days=n) for n in range((first_kept - day).days)]


@register()
def reading_retention_at_least_30_days(app_configs, **kwargs):
    """40号令 Art. 13's 30 days are a minimum: a shorter setting is refused at deployment, not silently raised."""
    days = settings.SHOUYE_READING_RETENTION_DAYS
    if days >= MINIMUM_READING_DAYS:
        return []
    return [Error(f"SHOUYE_READING_RETENTION_DAYS is {days}: raw readings are kept at least "
                  f"{MINIMUM_READING_DAYS} days (40号令 Art. 13).",
                  hint=f"Set it to {MINIMUM_READING_DAYS} or more.", id="shouye.monitoring.E030")]
