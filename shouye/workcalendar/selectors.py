"""Reading the work calendar. :func:`work_calendar` is what every deadline and every holiday-dependent rule
uses (GB 30871-2022 5.1.1 hot-work upgrade, emergency-plan filing in working days …)."""

from __future__ import annotations

import calendar as pycalendar
import threading
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q

from shouye.rules.workdays import WorkCalendar

from .models import WorkCalendarDay, WorkCalendarYear

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
