"""Emergency-plan deadlines (REGULATIONS.md §6.1)."""

from datetime import date

import pytest

from shouye.rules.emergency_plans import (
    drill_frequency,
    filing_deadline,
    next_drill_due,
    next_evaluation_due,
)
from shouye.rules.errors import RuleInputError
from shouye.rules.workdays import WorkCalendar


def test_filing_within_20_working_days_across_national_day():
    # Published 30 Sep 2025: 1 Oct–8 Oct off, 11 Oct (Saturday) worked in lieu; the 20th working day is 4 Nov.
    result = filing_deadline(date(2025, 9, 30))
    assert result.due == date(2025, 11, 4)
    assert "第二十六条" in result.basis and "20个工作日" in result.basis


def test_filing_with_a_custom_calendar_and_uncovered_year():
    calendar = WorkCalendar({}, years=[2030])
    assert filing_deadline(date(2030, 3, 1), calendar).due == date(2030, 3, 29)
    with pytest.raises(RuleInputError) as exc:
        filing_deadline(date(2030, 12, 20), calendar)
    assert exc.value.field == "published_on"


@pytest.mark.parametrize(
    ("plan_type", "unit_kind", "last", "due"),
    [
        ("comprehensive", "ordinary", date(2025, 3, 15), date(2026, 3, 15)),
        ("special", "ordinary", date(2024, 2, 29), date(2025, 2, 28)),
        ("on_site", "ordinary", date(2025, 3, 15), date(2025, 9, 15)),
        ("comprehensive", "key", date(2025, 8, 31), date(2026, 2, 28)),
        ("special", "key", date(2025, 1, 10), date(2025, 7, 10)),
        ("on_site", "key", date(2025, 12, 31), date(2026, 6, 30)),
    ],
)
def test_next_drill_due(plan_type, unit_kind, last, due):
    result = next_drill_due(plan_type, unit_kind, last)
    assert result.due == due
    assert "第三十三条" in result.basis and "[U]" in result.basis


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("general", "ordinary", date(2025, 1, 1)), "plan_type"),
        (("on_site", "large", date(2025, 1, 1)), "unit_kind"),
        (("on_site", "key", "2025-02-30"), "last_drill_on"),
    ],
)
def test_next_drill_bad_input(args, field):
    with pytest.raises(RuleInputError) as exc:
        next_drill_due(*args)
    assert exc.value.field == field


def test_next_evaluation_every_three_years_for_art21_units():
    result = next_evaluation_due(date(2024, 2, 29), True)
    assert result.due == date(2027, 2, 28)
    assert "第三十五条" in result.basis
    other = next_evaluation_due(date(2024, 2, 29), False)
    assert other.due is None and "定期评估制度" in other.basis
    with pytest.raises(RuleInputError) as exc:
        next_evaluation_due(date(2024, 2, 29), "yes")
    assert exc.value.field == "listed_in_art21"


@pytest.mark.parametrize(
    ("unit", "jurisdiction", "expected", "cited"),
    [
        ("high_risk", "shandong", (6, 24, 6), "第六十三条第二款"),
        ("other", "shandong", (12, 36, 12), "第六十三条第三款"),
        ("government", "shandong", (12, None, None), "第六十三条第一款"),
        ("high_risk", "national", (6, None, 6), "第三十三条"),
        ("other", "national", (12, None, 6), "第三十三条"),
        ("government", "national", (24, None, None), "第八条"),
    ],
)
def test_drill_frequency(unit, jurisdiction, expected, cited):
    result = drill_frequency(unit, jurisdiction)
    got = (
        result.any_drill_every_months,
        result.each_special_plan_every_months,
        result.each_onsite_plan_every_months,
    )
    assert got == expected
    assert cited in result.basis


def test_drill_frequency_defaults_to_shandong_and_names_missing_values():
    assert drill_frequency("other") == drill_frequency("other", "shandong")
    assert "未规定每项专项预案" in drill_frequency("other", "national").basis
    assert "每2年对所有专项应急预案" in drill_frequency("high_risk").basis


@pytest.mark.parametrize(("args", "field"), [(("key",), "unit"), (("other", "jiangsu"), "jurisdiction")])
def test_drill_frequency_bad_input(args, field):
    with pytest.raises(RuleInputError) as exc:
        drill_frequency(*args)
    assert exc.value.field == field
