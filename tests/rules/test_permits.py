"""GB 30871-2022 special-operation permits (REGULATIONS.md §2)."""

from datetime import date, datetime, time, timedelta

import pytest

from shouye.rules.data.gb30871 import NightHours
from shouye.rules.errors import RuleInputError
from shouye.rules.permits import (
    gas_test,
    hot_work_grade,
    lifting_grade,
    normalise_grade,
    permit_approval,
    permit_validity,
    work_at_height_grade,
)
from shouye.rules.workdays import WorkCalendar

WORKDAY_NOON = datetime(2025, 10, 9, 10, 0)  # Thursday, a working day after the National Day holiday

# --- hot-work grade (5.1) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("situation", "grade"),
    [
        ({}, "2"),
        ({"on_operating_equipment": True}, "2"),
        ({"fire_explosion_area": True}, "1"),
        ({"on_pipe_rack": True}, "1"),
        ({"fire_explosion_area": True, "on_operating_equipment": True}, "special"),
        ({"in_mhi_tank_farm_dike": True}, "special"),
        ({"fire_explosion_area": True, "on_operating_equipment": True, "shut_down_and_isolated": True}, "2"),
        ({"on_pipe_rack": True, "shut_down_and_isolated": True}, "2"),
    ],
)
def test_hot_work_grade_from_the_situation(situation, grade):
    result = hot_work_grade(start=WORKDAY_NOON, **situation)
    assert result.grade == grade == result.situation_grade
    assert result.raised_by == ()
    assert result.basis.startswith("GB 30871-2022 5.1.")


def test_shut_down_basis_names_the_approval():
    result = hot_work_grade(start=WORKDAY_NOON, fire_explosion_area=True, shut_down_and_isolated=True)
    assert "生产负责人或安全管理负责人批准" in result.basis


@pytest.mark.parametrize(
    ("start", "raised"),
    [
        (datetime(2025, 10, 1, 10, 0), True),  # National Day
        (datetime(2025, 10, 12, 10, 0), True),  # Sunday
        (datetime(2025, 10, 11, 10, 0), False),  # Saturday worked in lieu (调休上班)
        (datetime(2025, 10, 9, 19, 59), False),
        (datetime(2025, 10, 9, 20, 0), True),  # night starts at 20:00
        (datetime(2025, 10, 9, 23, 59), True),
        (datetime(2025, 10, 10, 5, 59), True),
        (datetime(2025, 10, 10, 6, 0), False),  # and ends at 06:00
    ],
)
def test_holidays_rest_days_and_night_raise_one_grade(start, raised):
    result = hot_work_grade(start=start)
    assert result.grade == ("1" if raised else "2")
    assert bool(result.raised_by) == raised
    if raised:
        assert "5.1.1" in result.basis


def test_night_raise_names_the_default_hours_as_unconfirmed():
    result = hot_work_grade(start=datetime(2025, 10, 9, 22, 0), fire_explosion_area=True)
    assert result.grade == "special"
    assert "[P]" in result.basis and "20:00–06:00" in result.basis


def test_aware_start_is_read_in_china_time():
    # 13:00 UTC is 21:00 in Shanghai: night.
    from datetime import UTC

    assert hot_work_grade(start=datetime(2025, 10, 9, 13, 0, tzinfo=UTC)).grade == "1"
    assert hot_work_grade(start="2025-10-09T13:00:00+00:00").grade == "1"


@pytest.mark.parametrize(
    ("force", "outdoor", "raised"), [(4, True, False), (5, True, True), (8, True, True), (5, False, False)]
)
def test_wind_of_force_five_or_more_raises_outdoor_work(force, outdoor, raised):
    result = hot_work_grade(start=WORKDAY_NOON, wind_force=force, outdoor=outdoor)
    assert result.grade == ("1" if raised else "2")
    assert ("5.2.15" in result.basis) == raised


def test_several_reasons_raise_once_and_are_all_listed():
    result = hot_work_grade(start=datetime(2025, 10, 1, 22, 0), wind_force=6)
    assert result.grade == "1"
    assert len(result.raised_by) == 3


def test_special_cannot_go_higher():
    result = hot_work_grade(start=datetime(2025, 10, 1, 22, 0), in_mhi_tank_farm_dike=True)
    assert result.grade == "special" and len(result.raised_by) == 2
    assert "不再升级" in result.basis


def test_custom_night_hours_and_calendar():
    calendar = WorkCalendar({date(2030, 5, 6): False}, years=[2030])
    assert hot_work_grade(start=datetime(2030, 5, 6, 10, 0), calendar=calendar).grade == "1"
    assert hot_work_grade(start=datetime(2030, 5, 7, 10, 0), calendar=calendar).grade == "2"
    day_shift_only = NightHours(start=time(18, 0), end=time(7, 0), basis="企业规定18:00–07:00")
    result = hot_work_grade(start=datetime(2030, 5, 7, 18, 30), calendar=calendar, night=day_shift_only)
    assert result.grade == "1" and "企业规定" in result.basis
    same_day = NightHours(start=time(0, 0), end=time(5, 0))
    assert same_day.contains(time(4, 59)) and not same_day.contains(time(5, 0))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"start": datetime(2031, 1, 6, 10, 0)}, "start"),
        ({"start": "not a time"}, "start"),
        ({"start": WORKDAY_NOON, "fire_explosion_area": "yes"}, "fire_explosion_area"),
        ({"start": WORKDAY_NOON, "wind_force": -1}, "wind_force"),
        ({"start": WORKDAY_NOON, "wind_force": 5.5}, "wind_force"),
    ],
)
def test_hot_work_bad_input(kwargs, field):
    with pytest.raises(RuleInputError) as exc:
        hot_work_grade(**kwargs)
    assert exc.value.field == field


# --- validity (5.1.5, 6.10, 8.2.11, 10.8) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "grade", "hours", "extended"),
    [
        ("hot_work", "special", 8, None),
        ("hot_work", "1", 8, None),
        ("hot_work", 1, 8, None),
        ("hot_work", "2", 72, None),
        ("confined_space", None, 24, None),
        ("work_at_height", None, 168, None),
        ("work_at_height", "IV", 168, None),
        ("temporary_power", None, 360, 720),
        ("line_blinding", None, None, None),
        ("lifting", 1, None, None),
        ("excavation", None, None, None),
        ("road_closure", None, None, None),
    ],
)
def test_permit_validity(kind, grade, hours, extended):
    result = permit_validity(kind, grade)
    assert (result.max_hours, result.extended_max_hours) == (hours, extended)
    assert result.basis.startswith("GB 30871-2022 ")


@pytest.mark.parametrize(
    ("kind", "grade"),
    [("hot_work", None), ("hot_work", "3"), ("hot_work", True), ("confined_space", "1"), ("welding", None)],
)
def test_permit_validity_bad_input(kind, grade):
    with pytest.raises(RuleInputError) as exc:
        permit_validity(kind, grade)
    assert exc.value.field in ("kind", "grade")


def test_grade_spellings():
    assert normalise_grade("lifting", "2") == 2
    assert normalise_grade("hot_work", 2) == "2"
    assert normalise_grade("work_at_height", "III") == "III"
    assert normalise_grade("excavation", None) is None


# --- gas test (5.3, 6.3, 6.4) ------------------------------------------------------------------------------

SAMPLED = datetime(2025, 10, 9, 8, 0)


def _gas(**overrides):
    values = {
        "kind": "hot_work",
        "lel_percent": 5,
        "flammable_percent_vol": 0.1,
        "sampled_at": SAMPLED,
        "work_starts_at": SAMPLED + timedelta(minutes=10),
    }
    return gas_test(**(values | overrides))


@pytest.mark.parametrize(
    ("lel", "measured", "passed"),
    [
        (4, 0.5, True),
        (4, 0.51, False),
        (3.99, 0.2, True),
        (3.99, 0.21, False),
        (3.99, 0.5, False),
        (50, 0, True),
    ],
)
def test_flammable_limits_depend_on_lel(lel, measured, passed):
    result = _gas(lel_percent=lel, flammable_percent_vol=measured)
    assert result.passed == passed
    assert "5.3.2" in result.basis


@pytest.mark.parametrize(
    ("oxygen", "enriched", "passed"),
    [
        (19.5, False, True),
        (19.49, False, False),
        (21, False, True),
        (21.01, False, False),
        (23.5, True, True),
        (23.51, True, False),
        (19.4, True, False),
    ],
)
def test_confined_space_oxygen(oxygen, enriched, passed):
    result = _gas(kind="confined_space", oxygen_percent=oxygen, oxygen_enriched=enriched)
    assert result.passed == passed
    assert "6.4" in result.basis


def test_hot_work_on_oxygen_equipment():
    assert _gas(oxygen_percent=23.5, oxygen_enriched=True).passed
    result = _gas(oxygen_percent=24, oxygen_enriched=True)
    assert not result.passed and "5.2.7" in result.failures[0]
    assert _gas(oxygen_percent=25).passed  # no oxygen rule for ordinary hot work


@pytest.mark.parametrize(
    ("delay", "passed"),
    [
        (timedelta(0), True),
        (timedelta(minutes=30), True),
        (timedelta(minutes=30, seconds=1), False),
        (timedelta(minutes=-1), False),
    ],
)
def test_sample_freshness(delay, passed):
    for kind, extra in (("hot_work", {}), ("confined_space", {"oxygen_percent": 20.9})):
        result = _gas(kind=kind, work_starts_at=SAMPLED + delay, **extra)
        assert result.passed == passed


def test_all_failures_are_listed():
    result = _gas(
        kind="confined_space",
        flammable_percent_vol=1,
        oxygen_percent=18,
        work_starts_at=SAMPLED + timedelta(hours=2),
    )
    assert not result.passed and len(result.failures) == 3
    assert "121分钟" not in result.failures[2] and "120分钟" in result.failures[2]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "lifting"}, "kind"),
        ({"lel_percent": None}, "lel_percent"),
        ({"lel_percent": 0}, "lel_percent"),
        ({"flammable_percent_vol": -0.1}, "flammable_percent_vol"),
        ({"flammable_percent_vol": 101}, "flammable_percent_vol"),
        ({"kind": "confined_space"}, "oxygen_percent"),
        ({"oxygen_enriched": True}, "oxygen_percent"),
        ({"oxygen_enriched": "false"}, "oxygen_enriched"),
        ({"sampled_at": "yesterday"}, "sampled_at"),
        ({"work_starts_at": None}, "work_starts_at"),
    ],
)
def test_gas_test_bad_input(overrides, field):
    with pytest.raises(RuleInputError) as exc:
        _gas(**overrides)
    assert exc.value.field == field


# --- work at height (8.1, Table 2) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("height", "a", "b"),
    [
        (1.99, None, None),
        (2, "I", "II"),
        (5, "I", "II"),
        (5.01, "II", "III"),
        (15, "II", "III"),
        (15.01, "III", "IV"),
        (30, "III", "IV"),
        (30.01, "IV", "IV"),
        (120, "IV", "IV"),
    ],
)
def test_height_grade_table_2(height, a, b):
    assert work_at_height_grade(height, False).grade == a
    assert work_at_height_grade(height, True).grade == b


def test_height_basis():
    assert "3.8" in work_at_height_grade(1, False).basis
    assert "B类法" in work_at_height_grade(10, True).basis


@pytest.mark.parametrize(
    ("height", "hazards", "field"),
    [(-1, False, "height_m"), (None, False, "height_m"), (3, None, "objective_hazards")],
)
def test_height_bad_input(height, hazards, field):
    with pytest.raises(RuleInputError) as exc:
        work_at_height_grade(height, hazards)
    assert exc.value.field == field


# --- lifting (9.1, Appendix B note 3) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mass", "grade", "permit"),
    [
        (0.5, 3, False),
        (9.99, 3, False),
        (10, 3, True),
        (39.99, 3, True),
        (40, 2, True),
        (100, 2, True),
        (100.01, 1, True),
    ],
)
def test_lifting_grade(mass, grade, permit):
    result = lifting_grade(mass)
    assert (result.grade, result.permit_required) == (grade, permit)
    assert result.plan_required == (grade in (1, 2))
    assert ("风险分析" in result.basis) == (not permit)


@pytest.mark.parametrize("mass", [0, -5, None, "40"])
def test_lifting_bad_input(mass):
    with pytest.raises(RuleInputError) as exc:
        lifting_grade(mass)
    assert exc.value.field == "mass_t"


# --- approvals (Table B.1) ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "grade", "reviewer", "approver"),
    [
        ("hot_work", "special", None, "主管领导"),
        ("hot_work", "1", None, "安全管理部门"),
        ("hot_work", "2", None, "所在基层单位"),
        ("confined_space", None, None, "所在基层单位"),
        ("line_blinding", None, None, "所在基层单位"),
        ("work_at_height", "I", None, "所在基层单位"),
        ("work_at_height", "II", None, "所在单位专业部门"),
        ("work_at_height", "III", None, "所在单位专业部门"),
        ("work_at_height", "IV", None, "主管厂长或总工程师"),
        ("lifting", 1, None, "主管厂长或总工程师"),
        ("lifting", 2, None, "所在单位专业部门"),
        ("lifting", 3, None, "所在单位专业部门"),
        ("temporary_power", None, "配送电单位", "配送电单位"),
        ("excavation", None, "水、电、汽、工艺、设备、消防、安全管理等动土涉及单位", "所在单位专业部门"),
        ("road_closure", None, "断路涉及单位消防、安全管理部门", "所在单位专业部门"),
    ],
)
def test_table_b1(kind, grade, reviewer, approver):
    result = permit_approval(kind, grade)
    assert (result.reviewer, result.approver) == (reviewer, approver)
    assert "表B.1" in result.basis


@pytest.mark.parametrize(
    ("kind", "grade"), [("work_at_height", None), ("lifting", 4), ("line_blinding", "1")]
)
def test_approval_bad_grade(kind, grade):
    with pytest.raises(RuleInputError) as exc:
        permit_approval(kind, grade)
    assert exc.value.field == "grade"
