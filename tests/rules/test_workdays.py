"""The work calendar (REGULATIONS.md §8)."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from shouye.rules.errors import RuleInputError
from shouye.rules.workdays import WorkCalendar, default_calendar, known_years_of_chinese_calendar


def test_table_overrides_the_ordinary_week():
    calendar = WorkCalendar({date(2030, 1, 1): False, date(2030, 1, 5): True}, years=[2030])
    assert not calendar.is_workday(date(2030, 1, 1))  # Tuesday, holiday
    assert calendar.is_workday(date(2030, 1, 2))  # Wednesday, ordinary
    assert calendar.is_workday(date(2030, 1, 5))  # Saturday, make-up working day
    assert not calendar.is_workday(date(2030, 1, 6))  # Sunday


def test_uncovered_year_is_an_error_never_a_guess():
    calendar = WorkCalendar({}, years=[2030])
    with pytest.raises(RuleInputError) as exc:
        calendar.is_workday(date(2031, 3, 3))
    assert exc.value.field == "date" and "2031" in exc.value.message and "2030" in exc.value.message
    with pytest.raises(RuleInputError) as exc:
        calendar.add_workdays(date(2030, 12, 30), 5)
    assert exc.value.field == "start"


def test_table_entries_outside_the_covered_years_are_refused():
    with pytest.raises(RuleInputError) as exc:
        WorkCalendar({date(2029, 12, 31): False}, years=[2030])
    assert exc.value.field == "years"


def test_add_workdays():
    calendar = WorkCalendar({date(2030, 1, 1): False}, years=[2029, 2030])
    assert calendar.add_workdays(date(2029, 12, 31), 1) == date(2030, 1, 2)
    assert calendar.add_workdays(date(2030, 1, 4), 1) == date(2030, 1, 7)  # Friday → Monday
    assert calendar.add_workdays(date(2030, 1, 5), 0) == date(2030, 1, 5)
    assert calendar.add_workdays(date(2030, 1, 2), -1) == date(2029, 12, 31)


def test_add_workdays_bad_input():
    calendar = WorkCalendar({}, years=[2030])
    with pytest.raises(RuleInputError) as exc:
        calendar.add_workdays(date(2030, 1, 2), 1.5)
    assert exc.value.field == "n"
    with pytest.raises(RuleInputError):
        calendar.is_workday("2030-13-01")


def test_default_calendar_covers_the_years_chinese_calendar_knows():
    calendar = default_calendar()
    assert calendar.years == frozenset(known_years_of_chinese_calendar())
    assert {2024, 2025} <= calendar.years
    assert max(calendar.years) + 1 not in calendar.years


def test_default_calendar_national_day_2025():
    calendar = default_calendar()
    assert not calendar.is_workday(date(2025, 10, 1))
    assert not calendar.is_workday(date(2025, 10, 8))
    assert calendar.is_workday(date(2025, 9, 28))  # Sunday worked in lieu
    assert calendar.is_workday(date(2025, 10, 11))  # Saturday worked in lieu
    assert calendar.add_workdays(date(2025, 9, 30), 1) == date(2025, 10, 9)


def test_default_calendar_matches_chinese_calendar_every_day_of_2024_and_2025():
    calendar = default_calendar()
    day = date(2024, 1, 1)
    while day.year < 2026:
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


covered_days = st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 11, 30))


@given(covered_days, st.integers(min_value=1, max_value=20))
def test_add_workdays_lands_on_a_workday_after_exactly_n(start, n):
    calendar = default_calendar()
    end = calendar.add_workdays(start, n)
    assert calendar.is_workday(end)
    counted = sum(calendar.is_workday(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))
    assert counted == n
    assert calendar.add_workdays(end, -n) <= start
