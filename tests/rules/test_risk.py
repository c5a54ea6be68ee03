"""LEC and the risk matrix (REGULATIONS.md §3.1, §3.2)."""

from dataclasses import replace
from decimal import Decimal
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shouye.rules.data.risk import LEC_TABLE, MATRIX_TABLE, Band
from shouye.rules.errors import RuleInputError
from shouye.rules.risk import assess_lec, assess_risk_matrix, grade_lec

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
