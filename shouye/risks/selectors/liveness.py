"""Dual-prevention liveness (双重预防机制运行效果) per enterprise, for the bureau, township and department officers:
is the enterprise's risk list alive or a "僵尸系统" filled in once and never touched again (issue 11)?

For each operating enterprise in the actor's scope, over the **last 30 full days** (Asia/Shanghai) — the 30
days before today; today is excluded because its task instances are still open and would make every enterprise
look behind in the morning:

- task instances due, done and missed, summed from ``TaskDailyTotal`` (never the instances), and the
  completion rate done / due;
- the last completed task (the newest ``TaskDailyTotal.last_done_at`` over all days) and the days since;
- hazards reported by the enterprise itself (its self-inspection and failed control measures) against those
  found by the bureau, township or departments (inspections, experts, tip-offs), found in the same 30 days;
- its active risk points by grade, whether its risk list was ever published, and the bureau's current
  100-point colour (应急〔2018〕19号).

An enterprise is **inactive** when it has no risk point, its list was never published, its completion rate
is below ``SHOUYE_LIVENESS_MIN_COMPLETION_PERCENT`` (default 60 %) or it has completed no task for more than
``SHOUYE_LIVENESS_MAX_IDLE_DAYS`` days (default 7; never completed one counts as idle). These thresholds are the bureau's own supervision policy,
not a regulation's figure, so they are deployment settings the bureau sets. An enterprise with no task due in
the window has no rate (not 0 %): it is judged by the other conditions.

Every figure comes from a fixed number of queries whatever the district's size (three), and the rows are
merged, filtered and sorted in Python, so the whole district (10,000 enterprises) is one table. The task
figures and the points are read with the enterprises from their summary of today (``EnterpriseLiveness``, one
row an enterprise, kept by ``shouye.risks.liveness_summary``: decision 0013); an enterprise without one is
counted from its daily totals (at most 30 rows), its newest completion (one index probe on ``(enterprise,
last_done_at)``) and its points, in three more queries."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, DateTimeField, Exists, F, Func, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouye.enterprises.choices import OperatingStatus
from shouye.enterprises.models import Enterprise
from shouye.hazards.choices import HazardSource
from shouye.hazards.models import Hazard

from ..choices import RiskLevel
from ..models import EnterpriseLiveness, EnterpriseRiskScore, RiskPoint, RiskRegister, TaskDailyTotal

GRADES = tuple(RiskLevel.values)
#: Days the liveness looks back over, today excluded.
WINDOW_DAYS = 30
#: Sources of hazards the enterprise found itself: its own inspection and (from the investigation tasks) a
#: control measure found failed (a check of an investigation task).
SELF_SOURCES = (HazardSource.SELF_INSPECTION, HazardSource.MEASURE_FAILED)
#: Sources of hazards found by the bureau, a township or a department: inspections, experts, tip-offs checked.
SUPERVISOR_SOURCES = (HazardSource.INSPECTION, HazardSource.EXPERT_INSPECTION, HazardSource.TIP_OFF)

#: Why an enterprise is inactive, by key.
REASONS = {
    "no_points": _("No risk points"),
    "unpublished": _("Risk list never published"),
    "low_completion": _("Completion rate below the threshold"),
    "idle": _("No task completed recently"),
}


@dataclass(frozen=True)
class Policy:
    """The bureau's thresholds (its own policy, not a regulation's: see the module's docstring)."""

    min_completion_percent: int
    max_idle_days: int


def policy() -> Policy:
    return Policy(min_completion_percent=settings.SHOUYE_LIVENESS_MIN_COMPLETION_PERCENT,
                  max_idle_days=settings.SHOUYE_LIVENESS_MAX_IDLE_DAYS)


def window(today: date) -> tuple[date, date]:
    """The first and last day of the window: the 30 days before ``today``."""
    return today - timedelta(days=WINDOW_DAYS), today - timedelta(days=1)


@dataclass(slots=True)
class LivenessRow:
    enterprise_id: int
    name: str
    credit_code: str
    township: str
    industry: str
    due: int = 0
    done: int = 0
    missed: int = 0
    last_done_at: datetime | None = None
    days_since_done: int | None = None
    self_reported: int = 0
    found_by_supervisors: int = 0
    points: dict[str, int] = field(default_factory=dict)
    published: bool = False
    colour: str = ""
    score: object = None
    #: Why inactive (keys of :data:`REASONS`), empty when active. A tuple: the district's 10,000 rows hold no
    #: list each for the garbage collector to walk.
    reasons: tuple[str, ...] = ()

    @property
    def completion_percent(self) -> float | None:
        return round(100 * self.done / self.due, 1) if self.due else None

    @property
    def points_total(self) -> int:
        return sum(self.points.values())

    @property
    def highest_grade(self) -> str:
        return next((grade for grade in RiskLevel.values if self.points.get(grade)), "")

    @property
    def inactive(self) -> bool:
        return bool(self.reasons)

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[key]) for key in self.reasons]


@dataclass(frozen=True)
class Filters:
    township_id: int | None = None
    industry_id: int | None = None
    inactive_only: bool = False
    enterprise_ids: tuple[int, ...] | None = None


def _stamped(queryset, filters: Filters, enterprise_field: str = "enterprise_id"):
    if filters.township_id is not None:
        queryset = queryset.filter(township_id=filters.township_id)
    if filters.industry_id is not None:
        queryset = queryset.filter(industry_id=filters.industry_id)
    if filters.enterprise_ids is not None:
        queryset = queryset.filter(**{f"{enterprise_field}__in": filters.enterprise_ids})
    return queryset


def _counts(queryset) -> list[tuple]:
    """The rows of a grouped ``values_list`` of ids and counts as the database driver answers them: whole
    numbers on every database, so Django's per-value converters (a fifth of the district's time) are skipped.
    The SQL and its parameters are the queryset's own."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Moment(Func):
    """A moment column read on PostgreSQL as whole microseconds since the epoch and turned back into the same
    aware datetime in Python: exact, and an integer is read in a tenth of the time of a timestamp's text (of
    the district's 10,000 newest completions, 30 ms of CPU become 3). Elsewhere the column as it is."""

    output_field = DateTimeField()

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(EXTRACT(EPOCH FROM {sql}) * 1000000)::bigint", params

    def get_db_converters(self, connection):
        if connection.vendor == "postgresql":
            return [self._from_micros]
        return super().get_db_converters(connection)

    @staticmethod
    def _from_micros(value, expression, connection):
        return None if value is None else _EPOCH + timedelta(microseconds=value)


def operating_enterprises(user, filters: Filters):
    """The operating enterprises of ``user``'s scope within the filters (inactive_only aside)."""
    return _stamped(Enterprise.objects.visible_to(user).filter(status=OperatingStatus.OPERATING), filters, "pk")


def point_counts(points) -> list[tuple]:
    """One row an enterprise of ``points`` (a queryset of risk points) with its points in use by grade, in the
    order of :data:`GRADES`: read from the index of the points in use alone (COUNT of the grade, not of the id)."""
    return _counts(points.filter(is_active=True).exclude(grade="").values_list("enterprise_id").order_by()
                   .annotate(**{grade: Count("grade", filter=Q(grade=grade)) for grade in GRADES}))


#: The summary's columns of the points by grade, in the order of :data:`GRADES`.
POINT_FIELDS = tuple(f"points_{grade}" for grade in GRADES)


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused while the district's rows are built (and, for a page, sorted and
    all but the page's dropped). The 10,000 rows hold no reference cycles: what is dropped is freed by reference
    counting. Left running, the collector walked them some 70 times a request (12 ms) and moved them into its
    oldest generation, whose collection of the whole process (90 ms on the benchmark) then came every few
    requests and set the p95 of the whole-district pages."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_collector_paused()
def liveness_rows(user, filters: Filters = Filters(), *, today: date | None = None,
                  details: bool = True) -> list[LivenessRow]:
    """The liveness of every operating enterprise in ``user``'s scope and the filters, by name, in three queries;
    without ``details`` (the hazards and the 100-point colour, which no reason reads) in one. The task figures
    and the points come with the enterprise from its summary of today (``EnterpriseLiveness``, decision 0013);
    enterprises without one (before the nightly job, or new since) are counted from the daily totals and the
    points in three more queries."""
    today = today or timezone.localdate()
    first, last = window(today)
    published = RiskRegister.objects.filter(enterprise=OuterRef("pk"), published_at__isnull=False)
    enterprises = (operating_enterprises(user, filters)
                   .annotate(published=Exists(published), last_done=Moment(F("risk_liveness__last_done_at")))
                   .order_by()
                   .values_list("pk", "name", "credit_code", "township__name", "industry__name", "published",
                                "risk_liveness__as_of", "risk_liveness__due", "risk_liveness__done",
                                "risk_liveness__missed", "last_done",
                                *(f"risk_liveness__{name}" for name in POINT_FIELDS)))
    rows: dict[int, LivenessRow] = {}
    unsummarised = False
    for pk, name, code, township, industry, is_published, as_of, due, done, missed, done_at, *points in enterprises:
        if as_of == today:
            rows[pk] = LivenessRow(enterprise_id=pk, name=name, credit_code=code, township=township,
                                   industry=industry, published=is_published, due=due, done=done, missed=missed,
                                   last_done_at=done_at,
                                   points={grade: n for grade, n in zip(GRADES, points, strict=True) if n})
        else:
            unsummarised = True
            rows[pk] = LivenessRow(enterprise_id=pk, name=name, credit_code=code, township=township,
                                   industry=industry, published=is_published)
    if not rows:
        return []
    if unsummarised:
        _add_unsummarised(user, filters, rows, today, first, last)
    if details:
        _add_details(user, filters, rows, first, today)
    thresholds, zone = policy(), timezone.get_current_timezone()
    for row in rows.values():
        _judge(row, today, thresholds, zone)
    result = sorted(rows.values(), key=lambda row: (row.name, row.enterprise_id))
    if filters.inactive_only:
        result = [row for row in result if row.inactive]
    return result


def _add_unsummarised(user, filters: Filters, rows: dict[int, LivenessRow], today: date, first: date,
                      last: date) -> None:
    """The figures of the enterprises without a summary of ``today``: the window's sums of their daily totals
    (at most 30 rows an enterprise), their newest completion (one index probe an enterprise on ``(enterprise,
    last_done_at)``) and their points by grade."""
    summarised = EnterpriseLiveness.objects.filter(enterprise=OuterRef("enterprise_id"), as_of=today)
    totals = (_stamped(TaskDailyTotal.objects.visible_to(user), filters).filter(day__gte=first, day__lte=last)
              .filter(~Exists(summarised)).values_list("enterprise_id").order_by()
              .annotate(due=Sum("due"), done=Sum("done"), missed=Sum("missed")))
    for enterprise_id, due, done, missed in _counts(totals):
        if (row := rows.get(enterprise_id)) is not None:
            row.due, row.done, row.missed = due, done, missed
    newest = (TaskDailyTotal.objects.filter(enterprise=OuterRef("pk"), last_done_at__isnull=False)
              .order_by("-last_done_at").values("last_done_at")[:1])
    lasts = (operating_enterprises(user, filters)
             .exclude(Exists(EnterpriseLiveness.objects.filter(enterprise=OuterRef("pk"), as_of=today)))
             .annotate(newest=Subquery(newest)).filter(newest__isnull=False).order_by()
             .values_list("pk", "newest"))
    for enterprise_id, done_at in lasts:
        if (row := rows.get(enterprise_id)) is not None:
            row.last_done_at = done_at
    points = _stamped(RiskPoint.objects.visible_to(user), filters).filter(~Exists(summarised))
    for enterprise_id, *counts in point_counts(points):
        if (row := rows.get(enterprise_id)) is not None:
            row.points = {grade: count for grade, count in zip(GRADES, counts, strict=True) if count}


def _add_details(user, filters: Filters, rows: dict[int, LivenessRow], first: date, today: date) -> None:
    """Hazards found in the window, by who found them, and the current 100-point colour."""
    hazards = (_stamped(Hazard.objects.visible_to(user), filters)
               .filter(found_at__gte=_day_start(first), found_at__lt=_day_start(today))
               .values_list("enterprise_id").order_by()
               .annotate(own=Count("id", filter=Q(source__in=SELF_SOURCES)),
                         supervised=Count("id", filter=Q(source__in=SUPERVISOR_SOURCES))))
    for enterprise_id, own, supervised in _counts(hazards):
        if (row := rows.get(enterprise_id)) is not None:
            row.self_reported, row.found_by_supervisors = own, supervised
    scores = (_stamped(EnterpriseRiskScore.objects.visible_to(user), filters).filter(current=True)
              .values_list("enterprise_id", "colour", "score"))
    for enterprise_id, colour, score in scores:
        if (row := rows.get(enterprise_id)) is not None:
            row.colour, row.score = colour, score


def _judge(row: LivenessRow, today: date, thresholds: Policy, zone) -> None:
    if row.last_done_at is not None:
        row.days_since_done = (today - row.last_done_at.astimezone(zone).date()).days
    reasons = []
    if not row.points:
        reasons.append("no_points")
    if not row.published:
        reasons.append("unpublished")
    rate = row.completion_percent
    if rate is not None and rate < thresholds.min_completion_percent:
        reasons.append("low_completion")
    if row.days_since_done is None or row.days_since_done > thresholds.max_idle_days:
        reasons.append("idle")
    if reasons:
        row.reasons = tuple(reasons)


#: Sort keys of the table (``-key`` descending); None sorts last either way.
SORTS = {
    "name": lambda row: row.name,
    "township": lambda row: (row.township, row.name),
    "due": lambda row: row.due,
    "completion": lambda row: row.completion_percent,
    "missed": lambda row: row.missed,
    "days_since": lambda row: row.days_since_done,
    "self_reported": lambda row: row.self_reported,
    "found_by_supervisors": lambda row: row.found_by_supervisors,
    "points": lambda row: row.points_total,
}


def sort_rows(rows: list[LivenessRow], sort: str) -> list[LivenessRow]:
    """``rows`` by ``sort`` (a key of :data:`SORTS`, ``-`` for descending), by name within ties, rows without a
    value last; unknown keys leave the rows by name."""
    key = SORTS.get(sort.lstrip("-"))
    if key is None:
        return rows
    present, absent = [], []
    for row in rows:
        (absent if key(row) is None else present).append(row)
    present.sort(key=key, reverse=sort.startswith("-"))
    return present + absent


#: Sorts the database can do on the enterprises alone: a page in that order needs the figures of its own
#: enterprises only (a page of the district in a few milliseconds instead of the whole district's figures).
DB_SORTS = {"": ("name", "pk"), "name": ("name", "pk"), "-name": ("-name", "-pk"),
            "township": ("township__name", "name", "pk"), "-township": ("-township__name", "-name", "-pk")}


def liveness_page(user, filters: Filters, sort: str, number, size: int, *, strict: bool = False):
    """One page (a :class:`~django.core.paginator.Page` of :class:`LivenessRow`) of the table in ``sort``'s
    order. Sorted by name or township and not restricted to the inactive, the enterprises are paged in the
    database and only the page's figures are read; otherwise every row is computed, sorted and sliced, and
    only the page's rows are kept (the paginator counts the ids).
    ``strict`` raises :class:`~django.core.paginator.InvalidPage` for a page that does not exist (the API's
    404) instead of answering the nearest one (the page's)."""
    def paged(items):
        paginator = Paginator(items, size)
        return paginator.page(number) if strict else paginator.get_page(number)

    if filters.inactive_only or sort not in DB_SORTS:
        with _collector_paused():
            ordered = sort_rows(liveness_rows(user, filters), sort)
            page = paged([row.enterprise_id for row in ordered])
            wanted = set(page.object_list)
            found = {row.enterprise_id: row for row in ordered if row.enterprise_id in wanted}
            del ordered
            page.object_list = [found[pk] for pk in page.object_list]
        return page
    page = paged(operating_enterprises(user, filters).order_by(*DB_SORTS[sort]).values_list("pk", flat=True))
    wanted = tuple(page.object_list)
    found = {row.enterprise_id: row for row in liveness_rows(user, replace(filters, enterprise_ids=wanted))}
    page.object_list = [found[pk] for pk in wanted if pk in found]
    return page


def inactive_enterprise_ids(user, enterprise_ids: Iterable[int]) -> set[int]:
    """Which of ``enterprise_ids`` (in ``user``'s scope) are inactive now: for the inspection plans' priority."""
    ids = tuple(sorted(set(enterprise_ids)))
    if not ids:
        return set()
    return {row.enterprise_id for row in liveness_rows(user, Filters(enterprise_ids=ids), details=False)
            if row.inactive}

