"""Shandong's direct report (Art. 65), the investigation report's due date (493号令 Art. 29) and forest-fire
grades (森林防火条例 Art. 32, 40) at their boundaries."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from shouye.rules._values import CHINA_TZ
from shouye.rules.cli import run
from shouye.rules.errors import RuleInputError
from shouye.rules.incidents import direct_report, forest_fire, investigation_report_due


@pytest.mark.parametrize("grade", ["large", "major", "extraordinary"])
def test_direct_and_written_report_for_large_and_above(grade):
    result = direct_report(grade, "2026-03-01T23:45")
    assert result.direct_report_by == datetime(2026, 3, 2, 0, 15, tzinfo=CHINA_TZ)
    assert result.written_report_by == datetime(2026, 3, 2, 0, 45, tzinfo=CHINA_TZ)
    assert "第六十五条" in result.basis


def test_no_written_report_below_large():
    result = direct_report("ordinary", datetime(2026, 3, 1, 10, 0, tzinfo=CHINA_TZ))
    assert result.direct_report_by == datetime(2026, 3, 1, 10, 30, tzinfo=CHINA_TZ)
    assert result.written_report_by is None


def test_direct_report_counts_from_receipt_in_shanghai_time():
    result = direct_report("major", "2026-03-01T02:00:00+00:00")
    assert result.direct_report_by.isoformat() == "2026-03-01T10:30:00+08:00"


@pytest.mark.parametrize(("grade", "received"), [("big", "2026-03-01T10:00"), ("large", "tomorrow")])
def test_direct_report_refuses_bad_input(grade, received):
    with pytest.raises(RuleInputError):
        direct_report(grade, received)


@pytest.mark.parametrize(
    ("occurred", "extension", "due"),
    [
        ("2026-03-01", 0, date(2026, 4, 30)),
        ("2026-03-01", 60, date(2026, 6, 29)),
        ("2026-12-31", 0, date(2027, 3, 1)),
        ("2028-01-01", 1, date(2028, 3, 2)),
    ],
)
def test_investigation_report_due(occurred, extension, due):
    result = investigation_report_due(occurred, extension)
    assert result.due_on == due
    assert result.latest_possible_on == investigation_report_due(occurred, 60).due_on
    assert "第二十九条" in result.basis


def test_investigation_extension_above_60_days_is_refused():
    with pytest.raises(RuleInputError) as refused:
        investigation_report_due("2026-03-01", 61)
    assert refused.value.field == "extension_days"
    with pytest.raises(RuleInputError):
        investigation_report_due("2026-03-01", -1)


@pytest.mark.parametrize(
    ("area", "deaths", "injuries", "grade"),
    [
        (0, 0, 0, "ordinary"),
        (Decimal("0.99"), 2, 9, "ordinary"),
        (1, 0, 0, "large"),
        (Decimal("99.99"), 0, 0, "large"),
        (0, 3, 0, "large"),
        (0, 0, 10, "large"),
        (100, 0, 0, "major"),
        (Decimal("999.9"), 0, 0, "major"),
        (0, 10, 0, "major"),
        (0, 29, 0, "major"),
        (0, 0, 50, "major"),
        (0, 0, 99, "major"),
        (1000, 0, 0, "extraordinary"),
        (0, 30, 0, "extraordinary"),
        (0, 0, 100, "extraordinary"),
        (Decimal("0.5"), 10, 12, "major"),
    ],
)
def test_forest_fire_grade_edges(area, deaths, injuries, grade):
    assert forest_fire(area, deaths, injuries).grade == grade


@pytest.mark.parametrize(
    ("args", "national"),
    [
        ((Decimal("0.5"), 0, 0), False),
        ((Decimal("0.5"), 2, 9), False),
        ((Decimal("0.5"), 3, 0), True),
        ((Decimal("0.5"), 0, 10), True),
        ((100, 0, 0), True),
        ((50, 0, 0), False),
        ((Decimal("0.5"), 0, 0, Decimal("23.9")), False),
        ((Decimal("0.5"), 0, 0, 24), True),
        ((Decimal("0.5"), 0, 0, None, True), True),
        ((Decimal("0.5"), 0, 0, None, False), False),
    ],
)
def test_forest_fire_national_report(args, national):
    result = forest_fire(*args)
    assert result.report_to_national is national
    assert ("第三十二条：" in result.basis) is national


def test_forest_fire_cli_and_errors():
    code, answer = run("forest-fire", {"burnt_area_ha": 150.5, "deaths": 1, "serious_injuries": 0})
    assert code == 0 and answer["grade"] == "major" and answer["report_to_national"] is True
    code, answer = run("forest-fire", {"burnt_area_ha": 1, "deaths": 0})
    assert code == 2 and answer["field"] == "serious_injuries"
    code, answer = run("direct-report", {"grade": "ordinary", "received_at": "2026-01-01T08:00"})
    assert answer["written_report_by"] is None and answer["direct_report_by"] == "2026-01-01T08:30:00+08:00"
