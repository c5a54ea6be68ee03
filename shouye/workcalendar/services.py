"""Adding a year to the work calendar (REGULATIONS.md §8: the arrangement is published each year by the
General Office of the State Council and must be imported, never derived). One transaction, one audit event;
a refused year writes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shouye.audit import services as audit

from . import selectors
from .choices import CalendarSource
from .models import WorkCalendarDay, WorkCalendarYear
from .package import DayEntry, package_arrangement, package_version, package_years

PERMISSION = "workcalendar.add_workcalendaryear"
#: Years an arrangement may be entered for: the 1999 holiday rules onwards, and a sane future.
FIRST_YEAR, LAST_YEAR = 1999, 2100
NOTE_MAX_LENGTH = WorkCalendarYear._meta.get_field("note").max_length
DAY_NOTE_MAX_LENGTH = WorkCalendarDay._meta.get_field("note").max_length


def _ensure_permission(actor) -> None:
    if not actor.has_perm(PERMISSION):
        raise PermissionDenied(_("You do not have permission to do this."))


def _weekday(day: date) -> str:
    return date_format(day, "l")


def _entry(value: object) -> DayEntry | None:
    """A ``DayEntry`` from a ``DayEntry`` or a ``(date, is_workday[, note])`` tuple; None when malformed."""
    if isinstance(value, DayEntry):
        entry = value
    elif isinstance(value, tuple | list) and len(value) in (2, 3):
        entry = DayEntry(*value)
    else:
        return None
    if isinstance(entry.date, datetime) or not isinstance(entry.date, date) or not isinstance(entry.is_workday, bool):
        return None
    return DayEntry(entry.date, entry.is_workday, str(entry.note or "").strip())


def _day_errors(entry: DayEntry | None, year: int, seen: set[date]) -> list[str]:
    if entry is None:
        return [_("Each day needs a date and whether it is a working day (a note is optional).")]
    values = {"date": entry.date.isoformat(), "year": year, "weekday": _weekday(entry.date)}
    errors = []
    if entry.date.year != year:
        errors.append(_("%(date)s is not in %(year)s.") % values)
    if entry.date in seen:
        errors.append(_("%(date)s is listed more than once.") % values)
    weekend = entry.date.weekday() >= 5
    if entry.is_workday and not weekend:
        errors.append(_("%(date)s is a %(weekday)s, a working day anyway: mark as make-up working days (班) "
                        "only weekend days that are worked.") % values)
    if not entry.is_workday and weekend:
        errors.append(_("%(date)s is a %(weekday)s, a rest day anyway: mark as days off (休) only weekdays "
                        "that are not worked.") % values)
    if len(entry.note) > DAY_NOTE_MAX_LENGTH:
        errors.append(_("The note may have at most %(n)s characters.") % {"n": DAY_NOTE_MAX_LENGTH})
    return errors


def _validated(year: object, days: Sequence, announced_on: object, note: str) -> tuple[int, list[DayEntry]]:
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": _("Enter a year from %(first)s to %(last)s.")
                               % {"first": FIRST_YEAR, "last": LAST_YEAR}})
    errors: dict[str, list[str]] = {}
    if WorkCalendarYear.objects.filter(year=year).exists():
        errors["year"] = [_("The arrangement for %(year)s is already in the calendar.") % {"year": year}]
    if announced_on is not None:
        if isinstance(announced_on, datetime) or not isinstance(announced_on, date):
            errors["announced_on"] = [_("Enter a valid date.")]
        elif announced_on > timezone.localdate():
            errors["announced_on"] = [_("The notice cannot have been announced in the future.")]
    if len(note or "") > NOTE_MAX_LENGTH:
        errors["note"] = [_("The note may have at most %(n)s characters.") % {"n": NOTE_MAX_LENGTH}]
    if not days:
        errors["days"] = [_("Enter the days off and the make-up working days of %(year)s.") % {"year": year}]
    entries, seen = [], set()
    for index, value in enumerate(days or ()):
        entry = _entry(value)
        day_errors = _day_errors(entry, year, seen)
        if day_errors:
            errors[f"days[{index}]"] = day_errors
        if entry is not None:
            seen.add(entry.date)
            entries.append(entry)
    if errors:
        raise ValidationError(errors)
    return year, entries


def add_year(*, actor, year: int, days: Sequence, announced_on: date | None = None, note: str = "",
             source: str = CalendarSource.MANUAL) -> WorkCalendarYear:
    """Store a year's official arrangement: ``days`` are ``(date, is_workday, note)`` for every weekday off
    (休, ``is_workday=False``) and every weekend make-up working day (班, ``is_workday=True``).

    Refused with field messages (``year``, ``announced_on``, ``note``, ``days``, ``days[i]``) when the year is
    already present or out of range, or a day is outside the year, repeated, or changes nothing (a weekday
    marked as working, a weekend day marked as off). Nothing is written then.
    """
    _ensure_permission(actor)
    with transaction.atomic():
        year, entries = _validated(year, days, announced_on, note)
        try:
            with transaction.atomic():
                row = WorkCalendarYear.objects.create(year=year, source=source, announced_on=announced_on,
                                                      note=(note or "").strip(), created_by=actor)
        except IntegrityError as exc:
            # Another administrator stored the same year between the check and the insert.
            raise ValidationError({"year": _("The arrangement for %(year)s is already in the calendar.")
                                   % {"year": year}}) from exc
        WorkCalendarDay.objects.bulk_create(
            WorkCalendarDay(calendar_year=row, date=e.date, is_workday=e.is_workday, note=e.note)
            for e in entries
        )
        makeup = sum(1 for e in entries if e.is_workday)
        audit.record(actor=actor, verb="workcalendar.add_year", target=row, note=row.note, changes={
            "year": year, "source": source,
            "announced_on": announced_on.isoformat() if announced_on else None,
            "days_off": len(entries) - makeup, "makeup_days": makeup,
        })
    selectors.invalidate()
    return row


def import_year_from_package(*, actor, year: int) -> WorkCalendarYear:
    """Add ``year`` from the installed chinese_calendar package, when the package knows it."""
    _ensure_permission(actor)
    if year not in package_years():
        raise ValidationError({"year": _(
            "The installed chinese_calendar package (version %(version)s) does not know %(year)s; enter the "
            "arrangement from the official notice instead.") % {"version": package_version(), "year": year}})
    return add_year(actor=actor, year=year, days=package_arrangement(year), announced_on=None,
                    note=f"chinese_calendar {package_version()}".strip(), source=CalendarSource.CHINESE_CALENDAR)
