"""Risk grading: LEC (作业条件危险性评价法) and the risk matrix (风险矩阵, LS), with the four colours.

REGULATIONS.md §3. Neither method has a national table: scales, band edges and colours are common practice,
kept in :mod:`shouye.rules.data.risk` and replaceable by the caller (an enterprise's own table).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shouye.rules._values import to_decimal
from shouye.rules.data.risk import COLOUR_LABELS, LEC_TABLE, MATRIX_TABLE, Band, LecTable, MatrixTable
from shouye.rules.errors import RuleInputError


@dataclass(frozen=True)
class LecResult:
    """D = L×E×C, its band (1 most dangerous … 5), the colour and the level's Chinese name."""

    d: Decimal
    band: int
    colour: str
    risk_level: str
    meaning: str
    basis: str


@dataclass(frozen=True)
class MatrixResult:
    """R = L×S, its colour and the level's Chinese name."""

    r: int
    colour: str
    risk_level: str
    meaning: str
    basis: str


def _band_for(score: Decimal, bands: tuple[Band, ...]) -> Band:
    """The first band (most dangerous first) whose minimum the score reaches: an edge value goes up."""
    for band in bands:
        if score >= band.minimum:
            return band
    raise RuleInputError(f"分级表未覆盖数值{score}（最低一级的下限应为0或更低）", "table")


def _scale_value(value: object, field: str, label: str, scale: dict) -> Decimal:
    number = to_decimal(value, field, label=label)
    if number not in scale:
        allowed = "、".join(f"{v.normalize():f}" for v in sorted(scale, reverse=True))
        raise RuleInputError(f"{label}只能取{allowed}之一，收到 {value}", field)
    return number


def assess_lec(l: object, e: object, c: object, table: LecTable = LEC_TABLE) -> LecResult:  # noqa: E741
    """LEC: D = L×E×C, graded by ``table`` (default: REGULATIONS.md §3.1 with edges going to the worse band).

    L, E and C accept only the values of their scales; anything else raises ``RuleInputError`` naming ``l``,
    ``e`` or ``c``.
    """
    lv = _scale_value(l, "l", "L（事故发生的可能性）", table.l_values)
    ev = _scale_value(e, "e", "E（暴露于危险环境的频繁程度）", table.e_values)
    cv = _scale_value(c, "c", "C（发生事故产生的后果）", table.c_values)
    return grade_lec(lv * ev * cv, table)


def grade_lec(d: object, table: LecTable = LEC_TABLE) -> LecResult:
    """Band and colour of a D value (any number ≥ 0) by ``table``; a value on an edge takes the worse band."""
    score = to_decimal(d, "d", label="D值", minimum=0)
    band = _band_for(score, table.bands)
    return LecResult(
        d=score,
        band=band.level,
        colour=band.colour,
        risk_level=COLOUR_LABELS[band.colour],
        meaning=band.label,
        basis=table.basis,
    )


def assess_risk_matrix(l: object, s: object, table: MatrixTable = MATRIX_TABLE) -> MatrixResult:  # noqa: E741
    """Risk matrix: R = L×S with L and S whole numbers on the table's scales (default 1–5, §3.2)."""
    values = {}
    for field, value, label, scale in (
        ("l", l, "L（可能性）", table.l_values),
        ("s", s, "S（严重性）", table.s_values),
    ):
        number = to_decimal(value, field, label=label)
        if number not in scale:
            allowed = "、".join(str(v) for v in sorted(scale))
            raise RuleInputError(f"{label}只能取{allowed}之一，收到 {value}", field)
        values[field] = int(number)
    r = values["l"] * values["s"]
    band = _band_for(Decimal(r), table.bands)
    return MatrixResult(
        r=r, colour=band.colour, risk_level=COLOUR_LABELS[band.colour], meaning=band.label, basis=table.basis
    )
