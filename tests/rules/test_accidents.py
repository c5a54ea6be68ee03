"""Accident grade and reporting deadlines under 国务院令第493号 (REGULATIONS.md §5)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shouye.rules._values import CHINA_TZ
from shouye.rules.accidents import accident_grade, assess_accident, reporting_deadlines, supplement_window
from shouye.rules.errors import RuleInputError

ORDER = ["ordinary", "large", "major", "extraordinary"]


@pytest.mark.parametrize(
    ("deaths", "injuries", "loss", "grade"),
    [
        (0, 0, 0, "ordinary"),
        (2, 9, Decimal("9999999.99"), "ordinary"),
        (3, 0, 0, "large"),
        (9, 0, 0, "large"),
        (10, 0, 0, "major"),
        (29, 0, 0, "major"),
        (30, 0, 0, "extraordinary"),
        (0, 10, 0, "large"),
        (0, 49, 0, "large"),
        (0, 50, 0, "major"),
        (0, 99, 0, "major"),
        (0, 100, 0, "extraordinary"),
        (0, 0, 10_000_000, "large"),
        (0, 0, Decimal("49999999.99"), "large"),
        (0, 0, 50_000_000, "major"),
        (0, 0, Decimal("99999999.99"), "major"),
        (0, 0, 100_000_000, "extraordinary"),
        (1, 0, 60_000_000.0, "major"),
    ],
)
def test_grade_edges(deaths, injuries, loss, grade):
    assert accident_grade(deaths, injuries, loss).grade == grade


def test_grade_is_the_highest_of_the_three():
    result = accident_grade(3, 55, 120_000_000)
    assert result.grade == "extraordinary"
    assert result.decided_by == ("direct_loss_yuan",)
    assert "直接经济损失" in result.basis and "第三条" in result.basis
    both = accident_grade(10, 50, 0)
    assert both.grade == "major" and both.decided_by == ("deaths", "serious_injuries")
    assert accident_grade(0, 0, 0).decided_by == ()


@given(
    st.integers(0, 200),
    st.integers(0, 300),
    st.integers(0, 300_000_000),
    st.sampled_from(["deaths", "serious_injuries", "direct_loss_yuan"]),
    st.integers(0, 100_000_000),
)
def test_more_harm_never_lowers_the_grade(deaths, injuries, loss, which, extra):
    before = accident_grade(deaths, injuries, loss)
    values = {"deaths": deaths, "serious_injuries": injuries, "direct_loss_yuan": loss}
    values[which] += extra
    after = accident_grade(**values)
    assert ORDER.index(after.grade) >= ORDER.index(before.grade)


OCCURRED = datetime(2025, 3, 1, 23, 30, tzinfo=CHINA_TZ)


@pytest.mark.parametrize(
    ("grade", "levels"),
    [
        ("ordinary", ["county", "city"]),
        ("large", ["county", "city", "province"]),
        ("major", ["county", "city", "province", "national"]),
        ("extraordinary", ["county", "city", "province", "national"]),
    ],
)
def test_reporting_levels_and_hours(grade, levels):
    result = reporting_deadlines(grade, OCCURRED)
    assert [d.level for d in result.deadlines] == levels
    assert [d.by - OCCURRED for d in result.deadlines] == [
        timedelta(hours=h) for h in (1, 3, 5, 7)[: len(levels)]
    ]
    assert "第九条" in result.basis and "第十一条" in result.basis


def test_large_accident_reaches_the_city_within_three_hours():
    # The exam arithmetic in REGULATIONS.md §5.2: 1 + 2 = 3 h.
    city = reporting_deadlines("large", datetime(2025, 3, 1, 10, 0)).deadlines[1]
    assert city.level == "city" and city.by == datetime(2025, 3, 1, 13, 0, tzinfo=CHINA_TZ)


def test_deadlines_are_in_china_time():
    result = reporting_deadlines("ordinary", "2025-03-01T15:30:00+00:00")
    assert result.deadlines[0].by.isoformat() == "2025-03-02T00:30:00+08:00"


@pytest.mark.parametrize(
    ("kind", "until", "days"),
    [(None, date(2025, 3, 31), 30), ("road_traffic", date(2025, 3, 8), 7), ("fire", date(2025, 3, 8), 7)],
)
def test_supplement_window(kind, until, days):
    result = supplement_window(OCCURRED, kind)
    assert (result.until, result.days) == (until, days)
    assert "第十三条" in result.basis


def test_assess_accident_combines_all_three():
    result = assess_accident(
        deaths=0, serious_injuries=12, direct_loss_yuan=0, occurred_at=OCCURRED, kind="fire"
    )
    assert result.grade == "large" and result.label == "较大事故"
    assert [d.level for d in result.report_deadlines] == ["county", "city", "province"]
    assert result.supplement_until == date(2025, 3, 8)
    assert result.basis.count("国务院令第493号") == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"deaths": -1}, "deaths"),
        ({"deaths": 1.5}, "deaths"),
        ({"deaths": None}, "deaths"),
        ({"serious_injuries": "3"}, "serious_injuries"),
        ({"direct_loss_yuan": -0.01}, "direct_loss_yuan"),
        ({"occurred_at": "2025-02-30T10:00"}, "occurred_at"),
        ({"kind": "explosion"}, "kind"),
    ],
)
def test_bad_input(kwargs, field):
    values = {"deaths": 0, "serious_injuries": 0, "direct_loss_yuan": 0, "occurred_at": OCCURRED} | kwargs
    with pytest.raises(RuleInputError) as exc:
        assess_accident(**values)
    assert exc.value.field == field


def test_unknown_grade_for_deadlines():
    with pytest.raises(RuleInputError) as exc:
        reporting_deadlines("serious", OCCURRED)
    assert exc.value.field == "grade"
