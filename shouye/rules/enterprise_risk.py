"""An enterprise's safety-risk colour and a chemical park's risk grade from their 100-point scores.

REGULATIONS-2 §A.7: 应急〔2018〕19号 for hazardous-chemical production and storage enterprises (with the
conditions that make an enterprise red whatever its score) and 《化工园区安全风险排查治理导则》 for parks. The
bands are in :mod:`shouye.rules.data.enterprise_risk`; the caller may pass the bureau's edited copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shouye.rules._values import to_bool, to_decimal
from shouye.rules.data.enterprise_risk import (
    DIRECT_RED_BASIS,
    ENTERPRISE_COLOUR_BANDS,
    MAX_SCORE,
    PARK_GRADE_BANDS,
    ScoreBands,
)
from shouye.rules.errors import RuleInputError


@dataclass(frozen=True)
class EnterpriseColour:
    """``colour`` (``red``/``orange``/``yellow``/``blue``); ``score`` is ``None`` when judged red directly."""

    colour: str
    label: str
    score: Decimal | None
    direct_red: bool
    basis: str


@dataclass(frozen=True)
class ParkGrade:
    """``grade`` ``A`` (highest risk) … ``D`` (lowest)."""

    grade: str
    label: str
    score: Decimal
    basis: str


def _score(value: object) -> Decimal:
    score = to_decimal(value, "score", label="评估得分", minimum=0)
    if score > MAX_SCORE:
        raise RuleInputError(f"评估得分满分为100分，收到 {value}", "score")
    return score


def _band(score: Decimal, table: ScoreBands):
    for band in table.bands:
        if score >= band.minimum:
            return band
    raise RuleInputError(f"分级表未覆盖得分{score}（最低一级的下限应为0）", "table")


def enterprise_risk_colour(
    score: object = None, direct_red: object = False, table: ScoreBands = ENTERPRISE_COLOUR_BANDS
) -> EnterpriseColour:
    """The colour of an enterprise's score (lower bound included: 90 is blue, 89.9 yellow), or red when one
    of the 直接判定为红色 conditions applies (``direct_red``); the score may then be omitted."""
    is_direct = to_bool(direct_red, "direct_red", label="是否符合直接判定为红色的情形")
    if score is None and not is_direct:
        raise RuleInputError("缺少评估得分（score）；仅在符合直接判定为红色的情形时可不填", "score")
    value = None if score is None else _score(score)
    if is_direct:
        return EnterpriseColour("red", "红色（直接判定）", value, True, DIRECT_RED_BASIS)
    band = _band(value, table)
    return EnterpriseColour(band.value, band.label, value, False, table.basis)


def park_risk_grade(score: object, table: ScoreBands = PARK_GRADE_BANDS) -> ParkGrade:
    """The grade of a chemical park's score (lower bound included: 85 is D, 84.9 C)."""
    value = _score(score)
    band = _band(value, table)
    return ParkGrade(band.value, band.label, value, table.basis)
