"""Enterprise- and park-level risk grading bands (REGULATIONS-2 §A.7), as replaceable tables.

- 《危险化学品生产储存企业安全风险评估诊断分级指南（试行）》（应急〔2018〕19号）[C2]: a 100-point score;
  红 < 60, 橙 60–<75, 黄 75–<90, 蓝 ≥ 90 ("90分以上(含90分)…75分(含75分)至90分…60分(含60分)至75分…60分以下"),
  and the conditions under which an enterprise is red whatever its score (直接判定为红色).
- 《化工园区安全风险排查治理导则》 (revised) [C]: A 高 < 60, B 较高 60–<70, C 一般 70–<85, D 较低 ≥ 85.

A higher score is safer, so each table runs from the best band down; a score on an edge takes the band whose
minimum it reaches (the lower bound is included, as the guide says "含"). The bureau may pass an edited copy
(:func:`score_bands_from_data` reads one from JSON).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shouye.rules._values import to_decimal
from shouye.rules.errors import RuleInputError

MAX_SCORE = Decimal(100)
MAX_BANDS = 10
MAX_LABEL_LENGTH = 100


@dataclass(frozen=True)
class ScoreBand:
    """Scores ``>= minimum`` (and below the previous band's minimum) get ``value`` (a colour or a grade)."""

    minimum: Decimal
    value: str
    label: str


@dataclass(frozen=True)
class ScoreBands:
    """Bands of a 0–100 score from the best (highest minimum) down; the last minimum is 0."""

    bands: tuple[ScoreBand, ...]
    basis: str


ENTERPRISE_GUIDE = "《危险化学品生产储存企业安全风险评估诊断分级指南（试行）》（应急〔2018〕19号）"
PARK_GUIDE = "《化工园区安全风险排查治理导则》"

ENTERPRISE_COLOURS = ("red", "orange", "yellow", "blue")
PARK_GRADES = ("A", "B", "C", "D")

ENTERPRISE_COLOUR_BANDS = ScoreBands(
    bands=(
        ScoreBand(Decimal(90), "blue", "蓝色（90分以上，含90分）"),
        ScoreBand(Decimal(75), "yellow", "黄色（75分至90分，含75分）"),
        ScoreBand(Decimal(60), "orange", "橙色（60分至75分，含60分）"),
        ScoreBand(Decimal(0), "red", "红色（60分以下）"),
    ),
    basis=f"{ENTERPRISE_GUIDE}：满分100分，90分以上（含90分）蓝色，75分（含）至90分黄色，60分（含）至75分橙色，"
    "60分以下红色",
)

PARK_GRADE_BANDS = ScoreBands(
    bands=(
        ScoreBand(Decimal(85), "D", "D类（较低安全风险，85分以上，含85分）"),
        ScoreBand(Decimal(70), "C", "C类（一般安全风险，70分至85分，含70分）"),
        ScoreBand(Decimal(60), "B", "B类（较高安全风险，60分至70分，含60分）"),
        ScoreBand(Decimal(0), "A", "A类（高安全风险，60分以下）"),
    ),
    basis=f"{PARK_GUIDE}：满分100分，低于60分为A类（高安全风险），60分（含）至70分为B类（较高安全风险），"
    "70分（含）至85分为C类（一般安全风险），85分（含）以上为D类（较低安全风险）",
)

#: 应急〔2018〕19号: any one of these makes the enterprise red whatever its score (REGULATIONS-2 §A.7 [C2]).
#: The fourth condition of the guide (accidents) is split into its three alternatives so that each can be a
#: checkbox of its own. ``code`` is stable; ``text`` is what the platform shows.
DIRECT_RED_CONDITIONS = (
    {
        "code": "untested_process",
        "text": "新开发的危险化学品生产工艺未经小试、中试、工业化试验直接进行工业化生产",
    },
    {
        "code": "undesigned_plant",
        "text": "在役化工装置未经正规设计且未进行安全设计诊断",
    },
    {
        "code": "unqualified_operators",
        "text": "危险化学品特种作业人员未持有效证件上岗，或者未达到高中以上文化程度",
    },
    {
        "code": "major_accident_3_years",
        "text": "三年内发生过重大以上安全事故",
    },
    {
        "code": "two_larger_accidents_3_years",
        "text": "三年内发生2起较大安全事故",
    },
    {
        "code": "two_fatal_accidents_1_year",
        "text": "近一年内发生2起以上亡人一般安全事故",
    },
)
DIRECT_RED_BASIS = f"{ENTERPRISE_GUIDE}：符合直接判定为红色情形之一的，不论得分均为红色"


def score_bands_from_data(data: object, values: tuple[str, ...], *, source: str) -> ScoreBands:
    """An edited score table from JSON: ``{"bands": [{"minimum", "value", "label"}, …], "basis"?}``.

    Bands run from the best down with strictly decreasing minimums within 0–100, the last one 0; each
    ``value`` is one of ``values`` (the colours or grades, worst first), never better than the band before.
    Without ``basis`` the basis names ``source`` and the edited edges. Errors name the field
    (``bands[1].minimum``)."""
    if not isinstance(data, dict):
        raise RuleInputError("分级表应为一个对象", "table")
    unknown = sorted(set(data) - {"bands", "basis"})
    if unknown:
        raise RuleInputError(f"分级表有无法识别的字段：{'、'.join(map(str, unknown))}", str(unknown[0]))
    raw = data.get("bands")
    if not isinstance(raw, list) or not raw or len(raw) > MAX_BANDS:
        raise RuleInputError(f"分级表（bands）应为1至{MAX_BANDS}级的列表，从得分最高的一级排起", "bands")
    order = tuple(reversed(values))  # best first
    bands: list[ScoreBand] = []
    for index, item in enumerate(raw):
        field = f"bands[{index}]"
        if not isinstance(item, dict):
            raise RuleInputError(f"第{index + 1}级应为对象（minimum、value、label）", field)
        extra = sorted(set(item) - {"minimum", "value", "label"})
        if extra:
            raise RuleInputError(
                f"第{index + 1}级有无法识别的字段：{'、'.join(extra)}", f"{field}.{extra[0]}"
            )
        minimum = to_decimal(
            item.get("minimum"), f"{field}.minimum", label=f"第{index + 1}级的下限", minimum=0
        )
        if minimum > MAX_SCORE:
            raise RuleInputError(f"第{index + 1}级的下限不能超过100分，收到 {minimum}", f"{field}.minimum")
        if bands and minimum >= bands[-1].minimum:
            raise RuleInputError(
                f"下限应依次减小：第{index + 1}级的下限{minimum}应小于上一级的{bands[-1].minimum}",
                f"{field}.minimum",
            )
        value = item.get("value")
        if value not in order:
            raise RuleInputError(
                f"第{index + 1}级的结果只能是{'、'.join(order)}之一，收到 {value!r}", f"{field}.value"
            )
        if bands and order.index(value) < order.index(bands[-1].value):
            raise RuleInputError(
                f"得分较低的一级不能比上一级更好：第{index + 1}级为{value}", f"{field}.value"
            )
        label = item.get("label")
        if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL_LENGTH:
            raise RuleInputError(f"第{index + 1}级的说明应为1至{MAX_LABEL_LENGTH}字的文字", f"{field}.label")
        bands.append(ScoreBand(minimum, value, label.strip()))
    if bands[-1].minimum != 0:
        raise RuleInputError("最低一级的下限应为0，才能覆盖所有得分", f"bands[{len(bands) - 1}].minimum")
    basis = data.get("basis")
    if basis is None:
        edges = "，".join(f"{b.minimum.normalize():f}分（含）以上{b.value}" for b in bands)
        basis = f"{source}，按修订的分级表：{edges}"
    elif not isinstance(basis, str) or not basis.strip():
        raise RuleInputError("依据（basis）应为非空文字", "basis")
    return ScoreBands(bands=tuple(bands), basis=basis.strip())


def score_bands_to_data(table: ScoreBands) -> dict:
    """The JSON data of a score table (what :func:`score_bands_from_data` reads back)."""
    return {
        "bands": [
            {
                "minimum": int(b.minimum) if b.minimum == b.minimum.to_integral_value() else float(b.minimum),
                "value": b.value,
                "label": b.label,
            }
            for b in table.bands
        ],
        "basis": table.basis,
    }


def enterprise_colour_bands_from_data(data: object) -> ScoreBands:
    """The bureau's edited enterprise colour bands (19号's four colours) from JSON."""
    return score_bands_from_data(data, ENTERPRISE_COLOURS, source=ENTERPRISE_GUIDE)


def park_grade_bands_from_data(data: object) -> ScoreBands:
    """The bureau's edited park grade bands (A–D) from JSON."""
    return score_bands_from_data(data, PARK_GRADES, source=PARK_GUIDE)
