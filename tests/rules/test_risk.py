"""LEC, the risk matrix and MES (REGULATIONS.md §3.1, §3.2; REGULATIONS-2 §A.3a) and a risk point's grade."""

from dataclasses import replace
from decimal import Decimal
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shouye.rules.data.risk import CONTROL_LEVELS, GRADE_COLOURS, LEC_TABLE, MATRIX_TABLE, MES_TABLE, Band
from shouye.rules.errors import RuleInputError
from shouye.rules.risk import (
    assess_lec,
    assess_mes,
    assess_risk_matrix,
    assess_risk_point,
    grade_lec,
    grade_risk_point,
)

L_VALUES = [10, 6, 3, 1, 0.5, 0.2, 0.1]
E_VALUES = [10, 6, 3, 2, 1, 0.5]
C_VALUES = [100, 40, 15, 7, 3, 1]


def expected_band(d: Decimal) -> int:
    """The issue's rule written out independently: an edge value takes the more dangerous band."""
    if d >= 320:
        return 1
    if d >= 160:
        return 2
    if d >= 70:
        return 3
    if d >= 20:
        return 4
    return 5


@pytest.mark.parametrize(("l", "e", "c"), list(product(L_VALUES, E_VALUES, C_VALUES)))
def test_every_lec_combination(l, e, c):  # noqa: E741
    result = assess_lec(l, e, c)
    d = Decimal(str(l)) * Decimal(str(e)) * Decimal(str(c))
    assert result.d == d
    assert result.band == expected_band(d)
    assert result.colour == {1: "red", 2: "orange", 3: "yellow", 4: "blue", 5: "blue"}[result.band]


@pytest.mark.parametrize(
    ("d", "band", "colour", "level"),
    [
        (320, 1, "red", "重大风险"),
        (Decimal("319.99"), 2, "orange", "较大风险"),
        (160, 2, "orange", "较大风险"),
        (Decimal("159.99"), 3, "yellow", "一般风险"),
        (70, 3, "yellow", "一般风险"),
        (Decimal("69.99"), 4, "blue", "低风险"),
        (20, 4, "blue", "低风险"),
        (Decimal("19.99"), 5, "blue", "低风险"),
        (0, 5, "blue", "低风险"),
        (10000, 1, "red", "重大风险"),
    ],
)
def test_lec_band_edges_go_to_the_more_dangerous_band(d, band, colour, level):
    result = grade_lec(d)
    assert (result.band, result.colour, result.risk_level) == (band, colour, level)


def test_lec_examples():
    assert (assess_lec(6, 6, 7).d, assess_lec(6, 6, 7).band) == (252, 2)
    assert assess_lec(10, 10, 100).band == 1
    assert assess_lec(0.1, 0.5, 1).d == Decimal("0.05")


def test_lec_basis_marks_defaults():
    basis = assess_lec(3, 6, 7).basis
    assert "LEC" in basis and "[P]" in basis and "[U]" in basis


@pytest.mark.parametrize(
    ("l", "e", "c", "field"),
    [
        (4, 6, 7, "l"),
        (3, 5, 7, "e"),
        (3, 6, 8, "c"),
        (None, 6, 7, "l"),
        ("3", 6, 7, "l"),
        (True, 6, 7, "l"),
        (3, float("nan"), 7, "e"),
        (3, 6, -7, "c"),
    ],
)
def test_lec_rejects_values_off_the_scales(l, e, c, field):  # noqa: E741
    with pytest.raises(RuleInputError) as exc:
        assess_lec(l, e, c)
    assert exc.value.field == field
    assert exc.value.message


def test_lec_accepts_equal_spellings_of_scale_values():
    assert assess_lec(Decimal("6.0"), 6.0, 7).d == 252


def test_lec_caller_table_overrides_bands_and_colours():
    # A stricter enterprise table: D > 320 only counts from 400, and band 4 is yellow.
    table = replace(
        LEC_TABLE,
        bands=(
            Band(Decimal("400"), 1, "red", ""),
            Band(Decimal("160"), 2, "orange", ""),
            Band(Decimal("70"), 3, "yellow", ""),
            Band(Decimal("20"), 4, "yellow", ""),
            Band(Decimal("0"), 5, "blue", ""),
        ),
        basis="企业自定",
    )
    assert grade_lec(360, table).band == 2
    assert grade_lec(20, table).colour == "yellow"
    assert grade_lec(20, table).basis == "企业自定"


def test_lec_table_without_floor_is_reported():
    table = replace(LEC_TABLE, bands=(Band(Decimal("20"), 1, "red", ""),))
    with pytest.raises(RuleInputError) as exc:
        grade_lec(5, table)
    assert exc.value.field == "table"


@given(
    st.decimals(min_value=0, max_value=10000, places=2), st.decimals(min_value=0, max_value=10000, places=2)
)
def test_higher_d_never_gives_a_safer_band(a, b):
    low, high = sorted((a, b))
    assert grade_lec(high).band <= grade_lec(low).band


# --- risk matrix ---------------------------------------------------------------------------------------


def expected_colour(r: int) -> str:
    if 20 <= r <= 25:
        return "red"
    if 9 <= r <= 16:
        return "orange"
    if 4 <= r <= 8:
        return "yellow"
    assert 1 <= r <= 3
    return "blue"


@pytest.mark.parametrize(("l", "s"), list(product(range(1, 6), range(1, 6))))
def test_every_matrix_cell(l, s):  # noqa: E741
    result = assess_risk_matrix(l, s)
    assert result.r == l * s
    assert result.colour == expected_colour(l * s)


@pytest.mark.parametrize(
    ("l", "s", "colour"),
    [(4, 5, "red"), (4, 4, "orange"), (3, 3, "orange"), (2, 4, "yellow"), (2, 2, "yellow"), (1, 3, "blue")],
)
def test_matrix_edges_on_both_sides(l, s, colour):  # noqa: E741
    assert assess_risk_matrix(l, s).colour == colour


@pytest.mark.parametrize(
    ("l", "s", "field"), [(0, 3, "l"), (6, 3, "l"), (3, 2.5, "s"), (3, None, "s"), (3, "3", "s")]
)
def test_matrix_rejects_values_off_the_scale(l, s, field):  # noqa: E741
    with pytest.raises(RuleInputError) as exc:
        assess_risk_matrix(l, s)
    assert exc.value.field == field


def test_matrix_table_is_editable():
    table = replace(
        MATRIX_TABLE,
        bands=(Band(Decimal("15"), 1, "red", ""), *MATRIX_TABLE.bands[1:]),
        basis="企业自定矩阵",
    )
    assert assess_risk_matrix(3, 5, table).colour == "red"
    assert assess_risk_matrix(3, 5).colour == "orange"
    assert "[P]" in assess_risk_matrix(3, 5).basis


# --- MES (REGULATIONS-2 §A.3a) ---------------------------------------------------------------------------

M_VALUES = [5, 3, 1]
MES_E_VALUES = [10, 6, 3, 2, 1, 0.5]
S_VALUES = [10, 8, 4, 2, 1]


def expected_mes(r: Decimal) -> tuple[int, str]:
    """The default MES bands written out independently: R ≥ 180 red, 90–<180 orange, 50–<90 yellow, else blue."""
    if r >= 180:
        return 1, "red"
    if r >= 90:
        return 2, "orange"
    if r >= 50:
        return 3, "yellow"
    if r >= 20:
        return 4, "blue"
    return 5, "blue"


@pytest.mark.parametrize(("m", "e", "s"), list(product(M_VALUES, MES_E_VALUES, S_VALUES)))
def test_every_mes_combination(m, e, s):
    result = assess_mes(m, e, s)
    r = Decimal(m) * Decimal(str(e)) * Decimal(s)
    assert result.r == r
    assert (result.band, result.colour) == expected_mes(r)
    assert (
        result.risk_level
        == {"red": "重大风险", "orange": "较大风险", "yellow": "一般风险", "blue": "低风险"}[result.colour]
    )


@pytest.mark.parametrize(
    ("m", "e", "s", "r", "band"),
    [
        (3, 6, 10, 180, 1),  # on the red edge
        (5, 6, 4, 120, 2),
        (3, 3, 10, 90, 2),  # on the orange edge
        (1, 10, 8, 80, 3),
        (5, 10, 1, 50, 3),  # on the yellow edge
        (3, 2, 8, 48, 4),
        (5, 2, 2, 20, 4),  # on the band-4 edge
        (3, 6, 1, 18, 5),
    ],
)
def test_mes_edges_reached_by_the_default_scales(m, e, s, r, band):
    result = assess_mes(m, e, s)
    assert (result.r, result.band) == (r, band)


@pytest.mark.parametrize(
    ("r", "band", "colour"),
    [
        ("180", 1, "red"),
        ("179.99", 2, "orange"),
        ("90", 2, "orange"),
        ("89.99", 3, "yellow"),
        ("50", 3, "yellow"),
        ("49.99", 4, "blue"),
        ("20", 4, "blue"),
        ("19.99", 5, "blue"),
    ],
)
def test_mes_band_edges_on_both_sides(r, band, colour):
    """Every edge of the default bands, by a table whose S scale holds the values either side of it."""
    table = replace(
        MES_TABLE, m_values={Decimal(1): "m"}, e_values={Decimal(1): "e"}, s_values={Decimal(r): "s"}
    )
    result = assess_mes(1, 1, Decimal(r), table)
    assert (result.r, result.band, result.colour) == (Decimal(r), band, colour)


@pytest.mark.parametrize(
    ("m", "e", "s", "field"),
    [(4, 6, 4, "m"), (3, 5, 4, "e"), (3, 6, 3, "s"), (None, 6, 4, "m"), (3, "6", 4, "e"), (3, 6, True, "s")],
)
def test_mes_rejects_values_off_the_scales(m, e, s, field):
    with pytest.raises(RuleInputError) as exc:
        assess_mes(m, e, s)
    assert exc.value.field == field
    assert "只能取" in exc.value.message or "数字" in exc.value.message or "缺少" in exc.value.message


def test_mes_basis_marks_defaults():
    basis = assess_mes(3, 6, 4).basis
    assert "MES" in basis and "[U]" in basis and "§A.3a" in basis


# --- a risk point's grade -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("colours", "grade", "control_level"),
    [
        (["blue"], "low", "post"),
        (["blue", "yellow"], "moderate", "workshop"),
        (["yellow", "orange", "blue"], "high", "deputy"),
        (["blue", "red", "orange"], "major", "principal"),
    ],
)
def test_grade_risk_point_takes_the_most_dangerous_colour(colours, grade, control_level):
    result = grade_risk_point(colours)
    assert (result.grade, result.colour, result.control_level) == (grade, GRADE_COLOURS[grade], control_level)
    assert result.forced_major is False


def test_forced_major_makes_a_point_major_whatever_its_scores():
    assert grade_risk_point(["blue"], forced_major=True).grade == "major"
    assert grade_risk_point([], forced_major=True).control_level == "principal"


@pytest.mark.parametrize("colours", ["red", None, ["green"]])
def test_grade_risk_point_refuses_what_is_not_a_list_of_colours(colours):
    with pytest.raises(RuleInputError) as exc:
        grade_risk_point(colours)
    assert exc.value.field == "assessments"


def test_control_levels_table_is_editable_and_checked():
    levels = {**CONTROL_LEVELS, "moderate": "deputy"}
    assert grade_risk_point(["yellow"], control_levels=levels).control_level == "deputy"
    with pytest.raises(RuleInputError) as exc:
        grade_risk_point(["yellow"], control_levels={"major": "principal"})
    assert exc.value.field == "control_levels"


def test_assess_risk_point_mixes_methods():
    result = assess_risk_point(
        [
            {"method": "lec", "l": 3, "e": 6, "c": 7},  # 126 yellow
            {"method": "matrix", "l": 3, "s": 3},  # 9 orange
            {"method": "mes", "m": 1, "e": 3, "s": 4},  # 12 blue
        ]
    )
    assert (result.grade, result.colour, result.control_level) == ("high", "orange", "deputy")
    assert "DB37/T 2882" in result.basis and "331号" in result.basis


@pytest.mark.parametrize(
    ("assessment", "grade"),
    [
        ({"method": "lec", "l": 1, "e": 10, "c": 7}, "moderate"),  # 70: yellow edge
        ({"method": "lec", "l": 1, "e": 6, "c": 7}, "low"),  # 42
        ({"method": "matrix", "l": 4, "s": 5}, "major"),  # 20: red edge
        ({"method": "matrix", "l": 4, "s": 4}, "high"),  # 16
        ({"method": "mes", "m": 3, "e": 6, "s": 10}, "major"),  # 180: red edge
        ({"method": "mes", "m": 5, "e": 6, "s": 4}, "high"),  # 120
    ],
)
def test_assess_risk_point_one_method_each(assessment, grade):
    assert assess_risk_point([assessment]).grade == grade


def test_assess_risk_point_uses_the_callers_tables():
    strict = replace(MATRIX_TABLE, bands=(Band(Decimal("12"), 1, "red", ""), *MATRIX_TABLE.bands[1:]))
    point = [{"method": "matrix", "l": 3, "s": 4}]
    assert assess_risk_point(point).grade == "high"
    assert assess_risk_point(point, matrix_table=strict).grade == "major"


@pytest.mark.parametrize(
    ("assessments", "forced", "field", "words"),
    [
        ([], False, "assessments", "至少需要一条"),
        ({"method": "lec"}, False, "assessments", "应为列表"),
        ([{"method": "lec", "l": 3, "e": 6, "c": 7}] * 201, False, "assessments", "最多200条"),
        (["lec"], False, "assessments[0]", "应为对象"),
        ([{"l": 3}], False, "assessments[0].method", "lec、matrix、mes"),
        ([{"method": "LS", "l": 3}], False, "assessments[0].method", "lec、matrix、mes"),
        (
            [
                {"method": "matrix", "l": 1, "s": 1},
                {"method": "matrix", "l": 1, "s": 1},
                {"method": "lec", "l": 4, "e": 6, "c": 7},
            ],
            False,
            "assessments[2].l",
            "第3条",
        ),
        ([{"method": "mes", "m": 3, "e": 6}], False, "assessments[0].s", "缺少"),
        ([{"method": "matrix", "l": 3, "s": 3, "c": 7}], False, "assessments[0].c", "无法识别"),
        ([{"method": "matrix", "l": 3, "s": 3}], "yes", "forced_major", "true"),
    ],
)
def test_assess_risk_point_errors_name_the_item(assessments, forced, field, words):
    with pytest.raises(RuleInputError) as exc:
        assess_risk_point(assessments, forced_major=forced)
    assert exc.value.field == field
    assert words in exc.value.message


def test_assess_risk_point_accepts_the_bound():
    assert assess_risk_point([{"method": "matrix", "l": 1, "s": 1}] * 200).grade == "low"
