"""The per-enterprise liveness summaries (``EnterpriseLiveness``, decision 0013): kept so the bureau's table for
a whole district reads one row an enterprise instead of summing 30 daily totals and 50 risk points each (issue
11: 10,000 enterprises in under 300 ms p95), with figures exactly those of the daily totals and the points.

- :func:`refresh_summaries`, the nightly job (Celery beat "risk-liveness-daily", 00:01 Asia/Shanghai), writes
  every enterprise's row for today: due, done and missed summed over the 30 days before today, the newest
  completion of any day, and the points in use by grade. It rewrites every row, so a second run changes
  nothing and a row put wrong by a writer that bypassed the services is put right (and logged).
- :func:`add_to_summaries` is called wherever a daily total changes (``generation.add_to_totals``), in the same
  transaction: a change to a day inside today's window adds to the row of today, as does a completion to its
  newest completion. Rows of another day are left alone (the readers do not use them, the job rewrites them).
- :func:`recount_points` is called wherever the risk list changes (``services.register.mark_changed``), in the
  same transaction: the enterprise's row is locked, then its points in use are counted by grade (the count
  sees every change committed before the lock was granted, and its own).

No row is created by an act: an enterprise without a row of today is counted from the daily totals and the
points by the selector, so the figures are exact from the first minute after midnight to the job's end as
well. The job and the acts cannot miss each other: the job locks the table against writes before it reads
(PostgreSQL), so an act the job did not see writes to the row after the job wrote it, and an act the job
waited for is in what it reads."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone

from shouye.enterprises.models import Enterprise

from .models import EnterpriseLiveness, RiskPoint, TaskDailyTotal
from .selectors.liveness import POINT_FIELDS, point_counts, window

logger = logging.getLogger(__name__)

#: Enterprises written or updated per statement.
CHUNK = 500
FIGURES = ("due", "done", "missed")


def add_to_summaries(counts: dict[tuple, int], column: str, *, last_done_at: datetime | None = None) -> None:
    """The change ``generation.add_to_totals`` just made to the daily totals (``counts``: {(enterprise,
    township, industry, day): n} added to ``column``), added to today's summaries: n for each day inside the
    window, ``last_done_at`` as the newest completion. Additions, never overwrites, so concurrent acts add up."""
    assert column in FIGURES
    today = timezone.localdate()
    first, last = window(today)
    added: dict[int, int] = defaultdict(int)
    for (enterprise_id, _township, _industry, day), n in counts.items():
        in_window = first <= day <= last
        if in_window or last_done_at is not None:
            added[enterprise_id] += n if in_window else 0
    if not added:
        return
    quote = connection.ops.quote_name
    table = quote(EnterpriseLiveness._meta.db_table)
    assignments, head = [f"{quote(column)} = {quote(column)} + v.n"], []
    if last_done_at is not None:
        greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
        last = quote("last_done_at")
        assignments.append(f"{last} = CASE WHEN {last} IS NULL THEN %s ELSE {greatest}({last}, %s) END")
        head = [connection.ops.adapt_datetimefield_value(last_done_at)] * 2
    items = list(added.items())
    for offset in range(0, len(items), CHUNK):
        chunk = items[offset:offset + CHUNK]
        values = " UNION ALL ".join(["SELECT %s AS e, %s AS n"] * len(chunk))
        sql = (f"UPDATE {table} SET {', '.join(assignments)} FROM ({values}) AS v "
               f"WHERE {quote('enterprise_id')} = v.e AND {quote('as_of')} = %s")
        params = [*head, *(value for pair in chunk for value in pair),
                  connection.ops.adapt_datefield_value(today)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def recount_points(enterprise_id: int) -> None:
    """Count the enterprise's points in use by grade into its summary (any day's: the points do not depend on
    the day), the row locked first. No row, nothing to do: the job writes it."""
    if not list(EnterpriseLiveness.objects.select_for_update().filter(pk=enterprise_id).values_list("pk")):
        return
    counts = dict.fromkeys(POINT_FIELDS, 0)
    for _enterprise_id, *by_grade in point_counts(RiskPoint.objects.filter(enterprise_id=enterprise_id)):
        counts.update(zip(POINT_FIELDS, by_grade, strict=True))
    EnterpriseLiveness.objects.filter(pk=enterprise_id).update(**counts)


def refresh_summaries(*, today: date | None = None) -> dict:
    """Write every enterprise's summary for ``today`` (default: today) from the daily totals and the points.
    Idempotent. Answers how many rows were written and how many rows already of that day were found different
    (a writer that bypassed the services; logged as an error)."""
    today = today or timezone.localdate()
    first, last = window(today)
    fields = (*FIGURES, "last_done_at", *POINT_FIELDS)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(EnterpriseLiveness._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        sums = {enterprise_id: tuple(figures) for enterprise_id, *figures in (
            TaskDailyTotal.objects.filter(day__gte=first, day__lte=last).values_list("enterprise_id").order_by()
            .annotate(*(Sum(name) for name in FIGURES)))}
        points = {enterprise_id: tuple(counts) for enterprise_id, *counts in point_counts(RiskPoint.objects.all())}
        newest = (TaskDailyTotal.objects.filter(enterprise=OuterRef("pk"), last_done_at__isnull=False)
                  .order_by("-last_done_at").values("last_done_at")[:1])
        before = {row[0]: row[1:] for row in EnterpriseLiveness.objects.filter(as_of=today).values_list(
            "enterprise_id", *fields)}
        rows, corrected = [], 0
        no_points = (0,) * len(POINT_FIELDS)
        for enterprise_id, last_done_at in (Enterprise.objects.annotate(newest=Subquery(newest)).order_by("pk")
                                            .values_list("pk", "newest")):
            values = (*sums.get(enterprise_id, (0, 0, 0)), last_done_at, *points.get(enterprise_id, no_points))
            previous = before.get(enterprise_id)
            if previous is not None and previous != values:
                corrected += 1
            rows.append(EnterpriseLiveness(enterprise_id=enterprise_id, as_of=today,
                                           **dict(zip(fields, values, strict=True))))
        EnterpriseLiveness.objects.bulk_create(rows, batch_size=CHUNK, update_conflicts=True,
                                               unique_fields=["enterprise"], update_fields=["as_of", *fields])
    if corrected:
        logger.error("liveness summaries of %s differed from the daily totals or the points on %d enterprises: "
                     "rewritten", today.isoformat(), corrected)
    return {"summaries": len(rows), "corrected": corrected}
