"""Reinforced duty days from the work calendar (shouye.rules.duty_days): holidays, their eves and the first
working day after, with the official arrangement's make-up days; ordinary weekends are not holidays."""

from datetime import date

import pytest

from shouye.rules.duty_days import DAY_AFTER, EVE, HOLIDAY, reinforced_days
from shouye.rules.errors import RuleInputError
from shouye.rules.workdays import WorkCalendar, default_calendar


def test_spring_festival_2026():
    days = reinforced_days(default_calendar(), date(2026, 2, 1), date(2026, 2, 28))
    assert days[date(2026, 2, 14)] == EVE            # Saturday, a make-up working day
    assert [d.day for d, why in days.items() if why == HOLIDAY] == list(range(15, 24))
    assert days[date(2026, 2, 24)] == DAY_AFTER
    assert date(2026, 2, 28) not in days              # a make-up Saturday after the holiday is a plain workday
    assert len(days) == 11


def test_the_eve_and_the_day_after_are_the_bureaus_choice():
    days = reinforced_days(default_calendar(), date(2026, 2, 1), date(2026, 2, 28), eve=False, day_after=False)
    assert set(days.values()) == {HOLIDAY}


def test_a_holiday_across_the_month_boundary():
    # National Day 2026: 1–7 October; 30 September is its eve, in September's roster.
    september = reinforced_days(default_calendar(), date(2026, 9, 1), date(2026, 9, 30))
    assert september[date(2026, 9, 30)] == EVE
    october = reinforced_days(default_calendar(), date(2026, 10, 1), date(2026, 10, 31))
    assert all(october[date(2026, 10, d)] == HOLIDAY for d in range(1, 8))
    assert october[date(2026, 10, 8)] == DAY_AFTER


def test_weekends_are_not_holidays():
    calendar = WorkCalendar({}, [2030])
    assert reinforced_days(calendar, date(2030, 3, 1), date(2030, 3, 31)) == {}


def test_an_uncovered_month_is_an_error_and_the_next_year_is_not_guessed():
    calendar = WorkCalendar({date(2030, 12, 31): False}, [2030])
    days = reinforced_days(calendar, date(2030, 12, 1), date(2030, 12, 31))
    assert days == {date(2030, 12, 30): EVE, date(2030, 12, 31): HOLIDAY}   # 1 January 2031 is unknown
    with pytest.raises(RuleInputError):
        reinforced_days(calendar, date(2031, 1, 1), date(2031, 1, 31))
