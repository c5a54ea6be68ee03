"""Reading the work calendar. :func:`work_calendar` is what every deadline and every holiday-dependent rule
uses (GB 30871-2022 5.1.1 hot-work upgrade, emergency-plan filing in working days …)."""

from __future__ import annotations

import calendar as pycalendar
import threading
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q

from shouye.rules.workdays import WorkCalendar

from .models import SpecialPeriod, WorkCalendarDay, WorkCalendarYear

_lock = threading.Lock()
_cached: tuple[tuple, WorkCalendar] | None = None


def _signature() -> tuple:
    """Changes whenever a year is added or removed, in this process or any other (one cheap query)."""
    stamp = WorkCalendarYear.objects.aggregate(n=Count("id"), last=Max("id"), changed=Max("created_at"))
    return stamp["n"], stamp["last"], stamp["changed"]


def work_calendar() -> WorkCalendar:
    """The calendar built from the tables, cached per process.

    Years are only ever added whole (with their days, in one transaction), so the count, the highest id and
    the latest creation time of the years identify the table's content: each call checks them with one
    query and rebuilds when they changed, which keeps every worker process correct after an administrator
    adds a year in another one. :func:`invalidate` drops the cache at once in the process that wrote.
    """
    global _cached
    signature = _signature()
    with _lock:
        if _cached is not None and _cached[0] == signature:
            return _cached[1]
    years = list(WorkCalendarYear.objects.values_list("year", flat=True))
    table = dict(WorkCalendarDay.objects.values_list("date", "is_workday"))
    built = WorkCalendar(table, years)
    with _lock:
        _cached = (signature, built)
    return built


def invalidate() -> None:
    global _cached
    with _lock:
        _cached = None


def calendar_years():
    """Every stored year, newest first, with its numbers of days off and make-up working days."""
    return (WorkCalendarYear.objects.select_related("created_by")
            .annotate(days_off=Count("days", filter=Q(days__is_workday=False)),
                      makeup_days=Count("days", filter=Q(days__is_workday=True)))
            .order_by("-year"))


@dataclass(frozen=True)
class CalendarCell:
    """One day of the month grid. ``kind``: ``workday``, ``weekend``, ``day_off`` (a weekday off, 休) or
    ``makeup`` (a weekend working day, 班)."""

    date: date
    kind: str
    note: str


@dataclass(frozen=True)
class CalendarMonth:
    month: int
    weeks: list[list[CalendarCell | None]]


def year_grid(calendar_year: WorkCalendarYear) -> list[CalendarMonth]:
    """Twelve month grids (weeks from Monday) of a stored year, each day marked by its kind."""
    differing = {d.date: d for d in calendar_year.days.all()}
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(calendar_year.year, month):
            row: list[CalendarCell | None] = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                entry = differing.get(day)
                if entry is not None:
                    kind = "makeup" if entry.is_workday else "day_off"
                else:
                    kind = "workday" if day.weekday() < 5 else "weekend"
                row.append(CalendarCell(day, kind, entry.note if entry else ""))
            weeks.append(row)
        months.append(CalendarMonth(month, weeks))
    return months


def special_periods(*, include_cancelled: bool = False):
    """Special periods, latest first, with their townships, industries and rules (three extra queries)."""
    queryset = SpecialPeriod.objects.select_related("created_by").prefetch_related(
        "townships", "industries", "rules")
    return queryset if include_cancelled else queryset.filter(cancelled_at__isnull=True)


def special_periods_overlapping(first: date, last: date) -> list[SpecialPeriod]:
    """The periods in force on some day from ``first`` to ``last`` (not cancelled), earliest first."""
    return list(special_periods().filter(starts_on__lte=last, ends_on__gte=first).order_by("starts_on", "id"))


def special_periods_for(enterprise, first: date, last: date) -> list[SpecialPeriod]:
    """The periods in force on some day from ``first`` to ``last`` that apply to ``enterprise`` (its township
    and industry), earliest first; four queries whatever their number."""
    return [period for period in special_periods_overlapping(first, last)
            if period.applies_to(township_id=enterprise.township_id, industry_id=enterprise.industry_id)]
