"""An enterprise's safety-risk colour from the bureau's 100-point assessment (危险化学品生产储存企业安全风险评估诊断
分级指南(试行), 应急〔2018〕19号, REGULATIONS-2 §A.7 [C2]).

Adapter: the rule ``enterprise-risk-colour`` (``shouye.rules.enterprise_risk.enterprise_risk_colour`` and the
conditions ``shouye.rules.data.enterprise_risk.DIRECT_RED_CONDITIONS``) is being added by the rules part; until
it is on main this module implements the same bands and lists the same conditions with the same codes, so the
lead replaces the body of :func:`enterprise_colour` and :data:`DIRECT_RED_CONDITIONS` by imports at merge."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

GUIDE = "《危险化学品生产储存企业安全风险评估诊断分级指南（试行）》（应急〔2018〕19号）"

#: The bands of §A.7, best first, lower bound included ("90分以上(含90分)…75分(含75分)至90分…60分(含60分)至75分
#: …60分以下"): 蓝 ≥ 90, 黄 75–<90, 橙 60–<75, 红 < 60.
BANDS = ((Decimal(90), "blue"), (Decimal(75), "yellow"), (Decimal(60), "orange"), (Decimal(0), "red"))
MAX_SCORE = Decimal(100)
BANDS_BASIS = (f"{GUIDE}：满分100分，90分以上（含90分）蓝色，75分（含）至90分黄色，60分（含）至75分橙色，"
               "60分以下红色")
DIRECT_RED_BASIS = f"{GUIDE}：符合直接判定为红色情形之一的，不论得分均为红色"

#: 直接判定为红色 (§A.7): any one makes the enterprise red whatever its score. The accidents condition of the
#: guide is split into its three alternatives so that each is a checkbox; the codes are the rules part's.
DIRECT_RED_CONDITIONS = (
    ("untested_process", "新开发的危险化学品生产工艺未经小试、中试、工业化试验直接进行工业化生产"),
    ("undesigned_plant", "在役化工装置未经正规设计且未进行安全设计诊断"),
    ("unqualified_operators", "危险化学品特种作业人员未持有效证件上岗，或者未达到高中以上文化程度"),
    ("major_accident_3_years", "三年内发生过重大以上安全事故"),
    ("two_larger_accidents_3_years", "三年内发生2起较大安全事故"),
    ("two_fatal_accidents_1_year", "近一年内发生2起以上亡人一般安全事故"),
)
DIRECT_RED_CODES = frozenset(code for code, _text in DIRECT_RED_CONDITIONS)

#: The colours most dangerous first, with their names and the map's and the badges' colours.
COLOUR_LABELS = {"red": _("Red"), "orange": _("Orange"), "yellow": _("Yellow"), "blue": _("Blue")}
COLOUR_HEX = {"red": "#d32f2f", "orange": "#ef6c00", "yellow": "#f9a825", "blue": "#1e88e5"}


@dataclass(frozen=True)
class Colour:
    colour: str
    basis: str


def enterprise_colour(score: Decimal | None, direct_red: bool) -> Colour:
    """The colour of ``score`` (0–100; lower bound included: 90 is blue, 89.99 yellow), or red when a direct-red
    condition applies (the score may then be None). The caller validates the score's range."""
    if direct_red:
        return Colour("red", DIRECT_RED_BASIS)
    if score is None:
        raise ValueError("A score is needed unless a direct-red condition applies.")
    for minimum, colour in BANDS:
        if score >= minimum:
            return Colour(colour, BANDS_BASIS)
    raise ValueError(f"Score below 0: {score}")
