"""The official arrangement as the installed ``chinese_calendar`` package knows it (REGULATIONS.md §8).

The data migration seeds the table from here, and an administrator can import a year that a newer version
of the package knows. Which years the package covers and which days differ from the ordinary week come
from :mod:`shouye.rules.workdays` (:func:`known_years_of_chinese_calendar`, :func:`default_calendar`), so
the table holds exactly what the rules' default calendar holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.metadata import PackageNotFoundError, version

from shouye.rules.workdays import default_calendar, known_years_of_chinese_calendar

from .choices import CalendarSource


@dataclass(frozen=True)
class DayEntry:
    """One date of an arrangement: ``is_workday`` False for a day off (休), True for a make-up day (班)."""

    date: date
    is_workday: bool
    note: str = ""


def package_version() -> str:
    try:
        return version("chinese_calendar")
    except PackageNotFoundError:
        return ""


def package_years() -> tuple[int, ...]:
    """Years the installed package has the whole official arrangement for."""
    return known_years_of_chinese_calendar()


def _holiday_name(day: date) -> str:
    """The festival a day off or a make-up day belongs to, in Chinese (the package's ``Holiday.chinese``)."""
    import chinese_calendar

    _on_holiday, name = chinese_calendar.get_holiday_detail(day)
    for holiday in chinese_calendar.Holiday:
        if holiday.value == name:
            return holiday.chinese
    return name or ""


def package_arrangement(year: int) -> list[DayEntry]:
    """The days of ``year`` that differ from the ordinary week, with the festival each belongs to.

    Raises ``LookupError`` for a year the package does not fully know.
    """
    if year not in package_years():
        raise LookupError(year)
    table = default_calendar().table
    return [DayEntry(day, table[day], _holiday_name(day)) for day in sorted(table) if day.year == year]


def seed_package_years(year_model, day_model) -> list[int]:
    """Store every year the package knows that the table lacks; returns the years added.

    Takes the model classes so that the data migration can pass its historical models. Seeding is not a
    person's act, so it writes no audit event; :func:`shouye.workcalendar.services.import_year_from_package`
    is the audited way for an administrator to add a year later.
    """
    present = set(year_model.objects.values_list("year", flat=True))
    note = f"chinese_calendar {package_version()}".strip()
    added = []
    for year in package_years():
        if year in present:
            continue
        row = year_model.objects.create(year=year, source=CalendarSource.CHINESE_CALENDAR.value, note=note)
        day_model.objects.bulk_create(
            day_model(calendar_year=row, date=d.date, is_workday=d.is_workday, note=d.note)
            for d in package_arrangement(year)
        )
        added.append(year)
    return added
