"""A gas detector's default setpoints, GB/T 50493-2019 5.5.2 (REGULATIONS-2 §B.4)."""

from decimal import Decimal

import pytest

from shouye.rules.cli import run
from shouye.rules.errors import RuleInputError
from shouye.rules.gas_alarms import gas_alarm_setpoints


def test_combustible_is_25_and_50_percent_lel():
    result = gas_alarm_setpoints("combustible")
    assert (result.level_1, result.level_2, result.unit) == (25, 50, "%LEL")
    assert result.high is None and result.low is None
    assert result.basis == "GB/T 50493-2019 5.5.2"


def test_oxygen_is_23_5_high_and_19_5_low_percent_vol():
    result = gas_alarm_setpoints("oxygen")
    assert (result.high, result.low, result.unit) == (Decimal("23.5"), Decimal("19.5"), "%VOL")
    assert result.level_1 is None and result.level_2 is None


@pytest.mark.parametrize(
    ("range_max", "idlh", "expected", "by_idlh"),
    [
        (None, None, (10, 20), False),  # no range given: the OEL rule
        (20, None, (10, 20), False),  # the range reaches exactly 2 × OEL
        (100, 430, (10, 20), False),
        (Decimal("19.99"), 430, (Decimal("21.5"), Decimal("43.0")), True),  # just short of 2 × OEL: IDLH
        (15, 430, (Decimal("21.5"), Decimal("43.0")), True),
    ],
)
def test_toxic_uses_oel_when_the_range_reaches_twice_it_else_idlh(range_max, idlh, expected, by_idlh):
    result = gas_alarm_setpoints("toxic", oel_mg_m3=10, idlh_mg_m3=idlh, range_max_mg_m3=range_max)
    assert (result.level_1, result.level_2) == expected
    assert result.unit == "mg/m3" and result.by_idlh is by_idlh


def test_toxic_fractions_are_exact():
    result = gas_alarm_setpoints("toxic", oel_mg_m3=0.1)
    assert (result.level_1, result.level_2) == (Decimal("0.1"), Decimal("0.2"))


@pytest.mark.parametrize(
    ("kind", "fields", "field", "words"),
    [
        ("methane", {}, "kind", "气体类型"),
        (None, {}, "kind", "气体类型"),
        ("toxic", {}, "oel_mg_m3", "职业接触限值"),
        ("toxic", {"oel_mg_m3": 0}, "oel_mg_m3", "大于0"),
        ("toxic", {"oel_mg_m3": "10"}, "oel_mg_m3", "数字"),
        ("toxic", {"oel_mg_m3": 10, "range_max_mg_m3": -5}, "range_max_mg_m3", "大于0"),
        ("toxic", {"oel_mg_m3": 10, "idlh_mg_m3": 0, "range_max_mg_m3": 100}, "idlh_mg_m3", "大于0"),
        ("toxic", {"oel_mg_m3": 10, "range_max_mg_m3": 19}, "idlh_mg_m3", "IDLH"),
        ("combustible", {"oel_mg_m3": 10}, "oel_mg_m3", "有毒气体"),
        ("oxygen", {"range_max_mg_m3": 30}, "range_max_mg_m3", "有毒气体"),
    ],
)
def test_bad_input_names_the_field(kind, fields, field, words):
    with pytest.raises(RuleInputError) as caught:
        gas_alarm_setpoints(kind, **fields)
    assert caught.value.field == field
    assert words in caught.value.message


def test_cli_answers_per_kind():
    assert run("gas-alarm-setpoints", {"kind": "oxygen"}) == (
        0, {"high": 23.5, "low": 19.5, "unit": "%VOL", "basis": "GB/T 50493-2019 5.5.2"})
    code, answer = run("gas-alarm-setpoints", {"kind": "toxic", "oel_mg_m3": 10, "idlh_mg_m3": 430,
                                                "range_max_mg_m3": 15})
    assert code == 0 and answer["level_1"] == 21.5 and answer["level_2"] == 43 and answer["unit"] == "mg/m3"
    code, answer = run("gas-alarm-setpoints", {"kind": "toxic", "oel_mg_m3": 10, "range_max_mg_m3": 15})
    assert code == 2 and answer["field"] == "idlh_mg_m3" and "IDLH" in answer["error"]
