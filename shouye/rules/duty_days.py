"""Which days of a month get reinforced duty (REGULATIONS.md §8: "stricter during holidays and sensitive
periods", common local practice [P]).

A holiday is a run of consecutive days off that contains at least one weekday off (休: a day the official
arrangement gives off although it is Monday–Friday); the weekend days inside the run belong to it. An
ordinary weekend is not a holiday. Besides the holiday's own days, the bureau may reinforce its eve (the
last working day before it) and the first working day after it; both are the bureau's choice [P].
"""

from __future__ import annotations

from datetime import date, timedelta

from shouye.rules.workdays import WorkCalendar

BASIS = ("《生产安全事故应急条例》第十四条（应急值班制度）；节假日及前后加强值班为地方通行做法 [P]；"
         "节假日以国务院办公厅当年安排（工作日历表）为准")

HOLIDAY = "holiday"
EVE = "eve"
DAY_AFTER = "day_after"

#: The longest holiday run looked through on either side of the month (the Spring Festival: 8–9 days).
_REACH = timedelta(days=14)


def _holiday_runs(calendar: WorkCalendar, first: date, last: date) -> list[tuple[date, date]]:
    """Holiday runs (first and last day off) that touch [first − 14 d, last + 14 d]. The margin beyond the
    month is clipped to the years the calendar holds: the first of January of a year not yet entered is not
    guessed, so the last day of December is an eve only once next year's arrangement is entered."""
    runs: list[tuple[date, date]] = []
    day, end = first - _REACH, last + _REACH
    if day.year not in calendar.years:
        day = max(day, date(first.year, 1, 1))
    if end.year not in calendar.years:
        end = min(end, date(last.year, 12, 31))
    while day <= end:
        if calendar.is_workday(day):
            day += timedelta(days=1)
            continue
        start = day
        has_weekday_off = False
        while day <= end and not calendar.is_workday(day):
            has_weekday_off = has_weekday_off or day.weekday() < 5
            day += timedelta(days=1)
        if has_weekday_off:
            runs.append((start, day - timedelta(days=1)))
    return runs


def reinforced_days(calendar: WorkCalendar, first: date, last: date, *, eve: bool = True,
                    day_after: bool = True) -> dict[date, str]:
    """The reinforced days from ``first`` to ``last`` inclusive, each with why: ``holiday``, ``eve`` or
    ``day_after``. Every date looked at must be in a year the calendar covers (else ``RuleInputError``)."""
    found: dict[date, str] = {}
    for start, end in _holiday_runs(calendar, first, last):
        day = start
        while day <= end:
            found[day] = HOLIDAY
            day += timedelta(days=1)
        if eve:
            found.setdefault(start - timedelta(days=1), EVE)
        if day_after:
            found.setdefault(end + timedelta(days=1), DAY_AFTER)
    return {day: why for day, why in sorted(found.items()) if first <= day <= last}
