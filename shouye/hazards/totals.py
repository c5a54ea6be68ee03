"""The daily totals behind the statistics (``HazardDailyTotal``): kept by the services, checked and rebuilt
from the hazards.

A hazard counts once as *found* on the day it was found (Asia/Shanghai), in the township and industry
stamped on it and at its level; once closed out (销号) it also counts as *closed*, and as *on time* when its
rectification was finished no later than its deadline (the rule of ``on_time`` below, the same as the live
statistics in ``shouye.hazards.selectors``). Three acts change these numbers (closed is final, and level
and the time found never change after reporting): reporting and closing, whose services call
:func:`hazard_reported` and :func:`hazard_closed` inside their transaction, and an enterprise's move to
another township or industry, which re-stamps its hazards through :func:`hazards_moved`. Anything that
writes hazards past the services (a bulk load, a restore) runs :func:`rebuild`; :func:`differences` says
whether the stored totals still match the hazards (``manage.py hazard_totals``)."""

from __future__ import annotations

import logging

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from .choices import HazardState
from .models import Hazard, HazardDailyTotal

logger = logging.getLogger(__name__)

KEY = ("day", "township_id", "industry_id", "level")
COUNTS = ("found", "closed", "on_time")
BATCH = 5000
#: Rows per statement when counts are moved: well under SQLite's 32,766 parameters at 7 per row.
BATCH_WRITE = 1000


#: The day a hazard's rectification was finished: submitted or, closed on the spot without a submission,
#: closed (Asia/Shanghai). ``closed_on_time`` compares it with the deadline under the name ``finished_day``.
FINISHED_DAY = TruncDate(Coalesce("submitted_at", "closed_at"))


def closed_on_time() -> Q:
    """:func:`on_time` as a query condition on hazards annotated with ``finished_day=FINISHED_DAY``."""
    return Q(state=HazardState.CLOSED) & (Q(deadline__isnull=True) | Q(finished_day__lte=F("deadline")))


def on_time(hazard: Hazard) -> bool:
    """Whether a closed hazard was rectified in time: it has no deadline (closed on the spot), or the day
    its rectification was submitted (or, without a submission, the day it was closed) is not after the
    deadline."""
    if hazard.deadline is None:
        return True
    finished = hazard.submitted_at or hazard.closed_at
    return finished is not None and timezone.localdate(finished) <= hazard.deadline


def _write(rows: dict[tuple, tuple], *, add: bool = True) -> None:
    """Write counts (found, closed, on time) to the rows of their keys (day, township, industry, level),
    creating a row for a key seen first: added to what the row holds, or (``add=False``, for rows the
    caller has locked) in its place. One statement per batch, so concurrent acts on the same row add up
    instead of overwriting each other."""
    table = connection.ops.quote_name(HazardDailyTotal._meta.db_table)
    columns = ", ".join((*KEY, *COUNTS))
    updates = ", ".join(f"{name} = {f'{table}.{name} + ' if add else ''}excluded.{name}" for name in COUNTS)
    items = list(rows.items())
    for start in range(0, len(items), BATCH_WRITE):
        batch = items[start:start + BATCH_WRITE]
        values = ", ".join([f"({', '.join(['%s'] * 7)})"] * len(batch))
        sql = (f"INSERT INTO {table} ({columns}) VALUES {values}"
               f" ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {updates}")
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for key, counts in batch for value in (*key, *counts)])


def _add(hazard: Hazard, *, found: int = 0, closed: int = 0, on_time_: int = 0) -> None:
    """Add to the hazard's row."""
    key = (timezone.localdate(hazard.found_at), hazard.township_id, hazard.industry_id, str(hazard.level))
    _write({key: (found, closed, on_time_)})


def hazard_reported(hazard: Hazard) -> None:
    """Count a hazard just written (normally reported; counted as closed too when it already is)."""
    closed = hazard.state == HazardState.CLOSED
    _add(hazard, found=1, closed=int(closed), on_time_=int(closed and on_time(hazard)))


def hazard_closed(hazard: Hazard) -> None:
    """Count a hazard that has just been closed out."""
    _add(hazard, closed=1, on_time_=int(on_time(hazard)))


def _subtract(rows: dict[tuple, tuple]) -> None:
    """Take counts off the rows of their keys: the rows are locked and read once (per township and
    industry), then written back. A row that holds less than that (totals that had already drifted) stops
    at zero; the nightly check (:func:`repair`) rebuilds it."""
    days: dict[tuple, set] = {}
    for day, township_id, industry_id, _level in rows:
        days.setdefault((township_id, industry_id), set()).add(day)
    remaining = {}
    for (township_id, industry_id), some in days.items():
        stored = (HazardDailyTotal.objects.select_for_update().order_by()
                  .filter(township_id=township_id, industry_id=industry_id, day__in=some).values(*KEY, *COUNTS))
        for key, counts in _as_dict(stored).items():
            if key in rows:
                remaining[key] = tuple(max(0, held - count) for held, count in zip(counts, rows[key], strict=True))
    _write(remaining, add=False)


def hazards_moved(enterprise) -> int:
    """Re-stamp ``enterprise``'s hazards with its current township and industry, moving their counts from
    the rows of their old township and industry to the new ones, so the totals still match the hazards
    (issue 8, defect 3). The enterprise move calls it in its transaction (``shouye.enterprises.stamps``);
    returns how many hazards it re-stamped. A few statements whatever the number of hazards.

    The hazards are locked before they are counted, as the acts on a hazard lock it before they count it:
    a hazard closed meanwhile is counted either before the move or after it, and the two never wait for
    each other in opposite orders."""
    hazards = Hazard.objects.filter(enterprise=enterprise)
    list(hazards.select_for_update().values_list("pk", flat=True))
    leaving = _as_dict(_counted(hazards.exclude(township_id=enterprise.township_id,
                                                industry_id=enterprise.industry_id)))
    arriving: dict[tuple, tuple] = {}
    for (day, _township_id, _industry_id, level), counts in leaving.items():
        key = (day, enterprise.township_id, enterprise.industry_id, level)
        arriving[key] = tuple(held + count for held, count in zip(arriving.get(key, (0, 0, 0)), counts, strict=True))
    _subtract(leaving)
    _write(arriving)
    return hazards.update(township=enterprise.township_id, industry=enterprise.industry_id)


def _counted(hazards):
    """``hazards`` counted as rows of ``KEY`` and ``COUNTS``."""
    return (hazards.order_by()
            .annotate(day=TruncDate("found_at"), finished_day=FINISHED_DAY)
            .values(*KEY)
            .annotate(found=Count("id"), closed=Count("id", filter=Q(state=HazardState.CLOSED)),
                      on_time=Count("id", filter=closed_on_time())))


def recount(hazard_model=Hazard):
    """The totals computed from the hazards themselves, as rows of ``KEY`` and ``COUNTS``."""
    return _counted(hazard_model._default_manager.all())


def _as_dict(rows) -> dict[tuple, tuple]:
    return {tuple(row[name] for name in KEY): tuple(row[name] for name in COUNTS) for row in rows}


def differences() -> list[dict]:
    """Every day, township, industry and level whose stored totals differ from the hazards, with both."""
    stored = _as_dict(HazardDailyTotal.objects.filter(Q(found__gt=0) | Q(closed__gt=0)).values(*KEY, *COUNTS))
    counted = _as_dict(recount())
    zero = (0,) * len(COUNTS)
    return [
        {**dict(zip(KEY, key, strict=True)), "stored": dict(zip(COUNTS, stored.get(key, zero), strict=True)),
         "counted": dict(zip(COUNTS, counted.get(key, zero), strict=True))}
        for key in sorted(stored.keys() | counted.keys(), key=str)
        if stored.get(key, zero) != counted.get(key, zero)
    ]


def rebuild(hazard_model=Hazard, total_model=HazardDailyTotal) -> int:
    """Replace the stored totals with a recount of the hazards, in one transaction; returns the rows
    written. Acts that close or report a hazard meanwhile wait for it (the table is locked on PostgreSQL).
    The migration that creates the table passes its historical models."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(total_model._meta.db_table)}"
                               " IN SHARE ROW EXCLUSIVE MODE")
        total_model._default_manager.all().delete()
        written, batch = 0, []
        for row in recount(hazard_model).iterator(chunk_size=BATCH):
            batch.append(total_model(**row))
            if len(batch) == BATCH:
                written += len(total_model._default_manager.bulk_create(batch))
                batch = []
        written += len(total_model._default_manager.bulk_create(batch))
    return written


def repair() -> int:
    """The nightly safety net (Celery beat "hazard-totals", 01:30): compare the totals with a recount and,
    when any differ — something wrote hazards past the services — log the differences as an error and
    rebuild. Returns how many rows differed."""
    found = differences()
    if found:
        logger.error("%d daily hazard totals differed from the hazards and were rebuilt; first: %s",
                     len(found), found[:5])
        rebuild()
    return len(found)

