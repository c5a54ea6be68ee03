"""The work calendar: which dates are working days (REGULATIONS.md §8).

The official arrangement of days off and make-up working days (调休) is published each year by the General
Office of the State Council and cannot be derived, so the calendar only answers for years it has been given;
any other year is an error, never a guess. ``WorkCalendar`` takes its table from anywhere (the Django side
builds it from a database table that admins extend when a new year is announced); ``default_calendar()``
seeds one from the ``chinese_calendar`` package for every year that package knows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

from shouye.rules._values import to_date, to_int
from shouye.rules.errors import RuleInputError

BASIS = "国务院办公厅当年部分节假日安排通知（工作日历表）；《全国年节及纪念日放假办法》"


def _describe_years(years: Iterable[int]) -> str:
    """Years as compact runs: ``2004–2026、2028``."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return "、".join(str(a) if a == b else f"{a}–{b}" for a, b in runs) or "无"


class WorkCalendar:
    """Working days for a set of covered years.

    ``table`` maps dates to ``True`` (working day) or ``False`` (day off). Within a covered year a date that
    is not in the table follows the ordinary week: Monday to Friday work, Saturday and Sunday off. So the
    table may hold every day of a year or only the days that differ from the ordinary week (holidays that
    fall on weekdays and make-up working days on weekends). A date outside the covered years raises
    ``RuleInputError``; so does a table entry outside them, which would otherwise be silently ignored.
    """

    def __init__(self, table: Mapping[date, bool], years: Iterable[int]):
        self.years = frozenset(years)
        for day in table:
            if day.year not in self.years:
                raise RuleInputError(
                    f"工作日历表含有{day.isoformat()}，但{day.year}年不在覆盖年份内", "years"
                )
        self.table = MappingProxyType(dict(table))

    def _ensure_covered(self, day: date, field: str) -> None:
        if day.year not in self.years:
            covered = _describe_years(self.years)
            raise RuleInputError(
                f"{day.year}年的节假日安排尚未录入工作日历（已录入：{covered}），无法判断{day.isoformat()}是否为工作日；"
                "请管理员在国务院办公厅公布当年安排后录入",
                field,
            )

    def is_workday(self, day: date, *, field: str = "date") -> bool:
        """Whether ``day`` is a working day. ``field`` names the input in the error for an uncovered year."""
        day = to_date(day, field, label="日期")
        self._ensure_covered(day, field)
        return self.table.get(day, day.weekday() < 5)

    def add_workdays(self, start: date, n: int, *, field: str = "start") -> date:
        """The ``n``-th working day after ``start`` (``start`` itself is not counted); ``n < 0`` counts back.

        This is how "within N working days of X" is counted: the period starts the day after X, so the
        deadline is ``add_workdays(X, N)``. ``n == 0`` gives ``start`` unchanged. Every date stepped over must
        lie in a covered year.
        """
        start = to_date(start, field, label="起始日期")
        n = to_int(n, "n", label="工作日数", minimum=None)
        step = timedelta(days=1 if n >= 0 else -1)
        day, remaining = start, abs(n)
        while remaining:
            day += step
            if self.is_workday(day, field=field):
                remaining -= 1
        return day


def known_years_of_chinese_calendar() -> tuple[int, ...]:
    """Years for which the installed ``chinese_calendar`` has the official arrangement.

    The package raises ``NotImplementedError`` for other years; each candidate year is probed at both ends,
    so a year it does not fully cover is left out rather than guessed.
    """
    import chinese_calendar

    candidates = sorted(
        {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    )
    known = []
    for year in candidates:
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
            chinese_calendar.is_workday(date(year, 12, 31))
        except NotImplementedError:
            continue
        known.append(year)
    return tuple(known)


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """A calendar seeded from ``chinese_calendar`` for every year it knows (only days that differ from the
    ordinary week are stored). Cached: the package's data does not change while the process runs.
    """
    import chinese_calendar

    years = known_years_of_chinese_calendar()
    table = {}
    for year in years:
        day = date(year, 1, 1)
        while day.year == year:
            is_workday = chinese_calendar.is_workday(day)
            if is_workday != (day.weekday() < 5):
                table[day] = is_workday
            day += timedelta(days=1)
    return WorkCalendar(table, years)
