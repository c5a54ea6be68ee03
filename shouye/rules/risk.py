"""Risk grading: LEC (作业条件危险性评价法), the risk matrix (风险矩阵, LS) and MES, with the four colours, and
the grade of a risk point from its assessments.

REGULATIONS.md §3 and REGULATIONS-2 §A.3a, §A.4. No method has a national table: scales, band edges and
colours are common practice, kept in :mod:`shouye.rules.data.risk` and replaceable by the caller (the
district's or an enterprise's own table).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shouye.rules._values import to_bool, to_decimal
from shouye.rules.data.risk import (
    COLOUR_GRADES,
    COLOUR_LABELS,
    CONTROL_LEVELS,
    CONTROL_LEVELS_BASIS,
    GRADE_COLOURS,
    GRADE_ORDER,
    LEC_TABLE,
    MATRIX_TABLE,
    MES_TABLE,
    Band,
    LecTable,
    MatrixTable,
    MesTable,
)
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


@dataclass(frozen=True)
class MesResult:
    """R = M×E×S, its band (1 most dangerous … 5), the colour and the level's Chinese name."""

    r: Decimal
    band: int
    colour: str
    risk_level: str
    meaning: str
    basis: str


@dataclass(frozen=True)
class RiskPointGrade:
    """A risk point's grade (``major``/``high``/``moderate``/``low``), colour and control level."""

    grade: str
    colour: str
    control_level: str
    forced_major: bool
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


def assess_mes(m: object, e: object, s: object, table: MesTable = MES_TABLE) -> MesResult:
    """MES: R = M×E×S (REGULATIONS-2 §A.3a), graded by ``table``; an edge value takes the worse band.

    M, E and S accept only the values of their scales; anything else raises ``RuleInputError`` naming
    ``m``, ``e`` or ``s``."""
    mv = _scale_value(m, "m", "M（控制措施的状态）", table.m_values)
    ev = _scale_value(e, "e", "E（暴露频繁程度）", table.e_values)
    sv = _scale_value(s, "s", "S（事故后果）", table.s_values)
    r = mv * ev * sv
    band = _band_for(r, table.bands)
    return MesResult(
        r=r,
        band=band.level,
        colour=band.colour,
        risk_level=COLOUR_LABELS[band.colour],
        meaning=band.label,
        basis=table.basis,
    )


def grade_risk_point(
    colours: list[str] | tuple[str, ...],
    *,
    forced_major: bool = False,
    control_levels: dict[str, str] = CONTROL_LEVELS,
) -> RiskPointGrade:
    """The grade of a risk point: the most dangerous colour among its assessments (DB37/T 2882 风险点级别确定,
    REGULATIONS-2 §A.3 [P]); ``forced_major`` (one of the listed conditions applies) makes it major whatever
    the scores. The control level follows the grade by ``control_levels`` (§A.4, editable).

    ``colours`` are the colours the assessments gave (``assess_lec(...).colour`` …); at least one is needed
    unless the point is forced major."""
    if not isinstance(colours, list | tuple):
        raise RuleInputError(f"风险评价的颜色应为列表，收到 {colours!r}", "assessments")
    for colour in colours:
        if colour not in COLOUR_GRADES:
            raise RuleInputError(f"无法识别的风险颜色：{colour!r}", "assessments")
    if forced_major:
        grade = "major"
    elif colours:
        grade = min((COLOUR_GRADES[c] for c in colours), key=GRADE_ORDER.index)
    else:
        raise RuleInputError("风险点至少需要一条风险评价（或符合直接判定为重大风险的情形）", "assessments")
    missing = [g for g in GRADE_ORDER if g not in control_levels]
    if missing:
        raise RuleInputError(f"管控层级表缺少等级：{'、'.join(missing)}", "control_levels")
    return RiskPointGrade(
        grade=grade,
        colour=GRADE_COLOURS[grade],
        control_level=control_levels[grade],
        forced_major=forced_major,
        basis="风险点等级取其各危险源评价结果中的最高级；符合直接判定情形的为重大风险（DB37/T 2882 风险点级别确定，"
        f"重大风险确定原则 [P]）。{CONTROL_LEVELS_BASIS}",
    )


#: The most assessments one risk point may carry in one call: a bound on input, not a rule (a point has a
#: handful of hazard sources, each assessed once or twice).
MAX_ASSESSMENTS = 200

_METHOD_FIELDS = {"lec": ("l", "e", "c"), "matrix": ("l", "s"), "mes": ("m", "e", "s")}


def assess_risk_point(
    assessments: object,
    *,
    forced_major: object = False,
    lec_table: LecTable = LEC_TABLE,
    matrix_table: MatrixTable = MATRIX_TABLE,
    mes_table: MesTable = MES_TABLE,
    control_levels: dict[str, str] = CONTROL_LEVELS,
) -> RiskPointGrade:
    """A risk point's grade from its assessments as data: ``[{"method": "lec", "l": 3, "e": 6, "c": 7},
    {"method": "matrix", "l": 2, "s": 4}, {"method": "mes", "m": 3, "e": 6, "s": 4}, …]``.

    Each assessment is graded by its method's table (the district's or the enterprise's edited copy may be
    passed), then :func:`grade_risk_point` takes the most dangerous colour. At most :data:`MAX_ASSESSMENTS`;
    an item's error names its index (``assessments[2].l``); fields a method does not use are refused."""
    forced = to_bool(forced_major, "forced_major", label="是否直接判定为重大风险")
    if not isinstance(assessments, list | tuple):
        raise RuleInputError(
            f"风险评价（assessments）应为列表，收到 {type(assessments).__name__}", "assessments"
        )
    if len(assessments) > MAX_ASSESSMENTS:
        raise RuleInputError(
            f"一个风险点最多{MAX_ASSESSMENTS}条风险评价，收到{len(assessments)}条", "assessments"
        )
    assessors = {
        "lec": lambda a: assess_lec(a.get("l"), a.get("e"), a.get("c"), lec_table),
        "matrix": lambda a: assess_risk_matrix(a.get("l"), a.get("s"), matrix_table),
        "mes": lambda a: assess_mes(a.get("m"), a.get("e"), a.get("s"), mes_table),
    }
    colours = []
    for index, item in enumerate(assessments):
        where = f"assessments[{index}]"
        if not isinstance(item, dict):
            raise RuleInputError(f"第{index + 1}条风险评价应为对象（含 method 及其取值）", where)
        method = item.get("method")
        if method not in _METHOD_FIELDS:
            raise RuleInputError(
                f"第{index + 1}条风险评价的方法应为 lec、matrix、mes 之一，收到 {method!r}", f"{where}.method"
            )
        unknown = sorted(set(item) - {"method", *_METHOD_FIELDS[method]}, key=str)
        if unknown:
            raise RuleInputError(
                f"第{index + 1}条风险评价（{method}）有无法识别的字段：{'、'.join(map(str, unknown))}",
                f"{where}.{unknown[0]}",
            )
        try:
            colours.append(assessors[method](item).colour)
        except RuleInputError as exc:
            raise RuleInputError(f"第{index + 1}条风险评价：{exc.message}", f"{where}.{exc.field}") from exc
    return grade_risk_point(colours, forced_major=forced, control_levels=control_levels)
