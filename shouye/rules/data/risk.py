"""Risk assessment tables: LEC (Graham–Kinney) and the 5×5 risk matrix (REGULATIONS.md §3).

No national table fixes these: the scales and bands are the classic ones, the band edges and the colours
are common practice and therefore defaults the caller may replace.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Band:
    """One band of a score: scores ``>= minimum`` (and below the next band's minimum) fall in it."""

    minimum: Decimal
    level: int
    colour: str
    label: str


@dataclass(frozen=True)
class LecTable:
    """LEC scales and D bands. ``bands`` run from the most dangerous down; the last has minimum 0."""

    l_values: dict[Decimal, str]
    e_values: dict[Decimal, str]
    c_values: dict[Decimal, str]
    bands: tuple[Band, ...]
    basis: str


@dataclass(frozen=True)
class MatrixTable:
    """Risk matrix scales and R bands, most dangerous first."""

    l_values: dict[int, str]
    s_values: dict[int, str]
    bands: tuple[Band, ...]
    basis: str


COLOUR_LABELS = {"red": "重大风险", "orange": "较大风险", "yellow": "一般风险", "blue": "低风险"}

LEC_TABLE = LecTable(
    l_values={
        Decimal("10"): "完全可以预料",
        Decimal("6"): "相当可能",
        Decimal("3"): "可能，但不经常",
        Decimal("1"): "可能性小，完全意外",
        Decimal("0.5"): "很不可能，可以设想",
        Decimal("0.2"): "极不可能",
        Decimal("0.1"): "实际不可能",
    },
    e_values={
        Decimal("10"): "连续暴露",
        Decimal("6"): "每天工作时间内暴露",
        Decimal("3"): "每周一次或偶然暴露",
        Decimal("2"): "每月一次",
        Decimal("1"): "每年几次",
        Decimal("0.5"): "非常罕见",
    },
    c_values={
        Decimal("100"): "大灾难，十人以上死亡",
        Decimal("40"): "灾难，数人死亡",
        Decimal("15"): "非常严重，一人死亡",
        Decimal("7"): "严重，严重伤残",
        Decimal("3"): "重大，有伤残",
        Decimal("1"): "引人注目，轻伤需救护",
    },
    bands=(
        Band(Decimal("320"), 1, "red", "极其危险，不能继续作业"),
        Band(Decimal("160"), 2, "orange", "高度危险，需立即整改"),
        Band(Decimal("70"), 3, "yellow", "显著危险，需要整改"),
        Band(Decimal("20"), 4, "blue", "一般（比较）危险，需要注意"),
        Band(Decimal("0"), 5, "blue", "稍有危险，可以接受"),
    ),
    basis=(
        "作业条件危险性评价法（LEC），D=L×E×C，五级分级；边界值归入较危险一级（D≥320一级，160≤D<320二级，"
        "70≤D<160三级，20≤D<70四级，D<20五级），一级红、二级橙、三级黄、四五级蓝"
        "（分级边界与四色对应为通行做法，默认值，待核实 [P][U]）"
    ),
)

MATRIX_TABLE = MatrixTable(
    l_values={
        1: "50年以上发生一次",
        2: "10年以上发生一次",
        3: "10年内可能发生",
        4: "5年内可能发生",
        5: "每年可能发生",
    },
    s_values={1: "轻微伤害", 2: "急救或多人轻伤", 3: "一人重伤", 4: "多人重伤", 5: "一人死亡"},
    bands=(
        Band(Decimal("20"), 1, "red", "重大风险（Ⅰ级）"),
        Band(Decimal("9"), 2, "orange", "较大风险（Ⅱ级）"),
        Band(Decimal("4"), 3, "yellow", "一般风险（Ⅲ级）"),
        Band(Decimal("1"), 4, "blue", "低风险（Ⅳ级）"),
    ),
    basis=(
        "风险矩阵法（LS），R=L×S，5×5矩阵；20–25红，9–16橙，4–8黄，1–3蓝"
        "（无国家统一表，各企业可自定，默认值，待核实 [P]）"
    ),
)


@dataclass(frozen=True)
class MesTable:
    """MES scales (R = M×E×S, REGULATIONS-2 §A.3a) and R bands, most dangerous first.

    ``e_values`` holds the E1 scale (people's exposure); an enterprise assessing property or environmental
    loss uses the same numbers for E2 (how often the hazardous state occurs)."""

    m_values: dict[Decimal, str]
    e_values: dict[Decimal, str]
    s_values: dict[Decimal, str]
    bands: tuple[Band, ...]
    basis: str


MES_TABLE = MesTable(
    m_values={
        Decimal("5"): "无控制措施",
        Decimal("3"): "有减轻后果的应急措施（如警报系统、个体防护用品）",
        Decimal("1"): "有预防性措施（如机器防护装置），且有效",
    },
    e_values={
        Decimal("10"): "连续暴露（常态）",
        Decimal("6"): "每天工作时间内暴露（每天工作时间出现）",
        Decimal("3"): "每周一次或偶然暴露（每周一次或偶然出现）",
        Decimal("2"): "每月一次暴露",
        Decimal("1"): "每年几次暴露",
        Decimal("0.5"): "更少的暴露",
    },
    s_values={
        Decimal("10"): "有多人死亡",
        Decimal("8"): "有一人死亡或多人永久失能",
        Decimal("4"): "永久失能（一人）",
        Decimal("2"): "需医院治疗，缺工",
        Decimal("1"): "轻微，仅需急救",
    },
    bands=(
        Band(Decimal("180"), 1, "red", "一级，极其危险"),
        Band(Decimal("90"), 2, "orange", "二级，高度危险"),
        Band(Decimal("50"), 3, "yellow", "三级，显著危险"),
        Band(Decimal("20"), 4, "blue", "四级，轻度危险"),
        Band(Decimal("0"), 5, "blue", "五级，稍有危险"),
    ),
    basis=(
        "MES法（作业条件风险程度评价），R=M×E×S；M（5/3/1）与E的前三档（10/6/3）见 REGULATIONS-2 §A.3a；"
        "E的后三档、S表及分级边界（R≥180一级红，90≤R<180二级橙，50≤R<90三级黄，R<50蓝）为通行做法，"
        "默认值，待核实 [P][U]"
    ),
)

#: Risk grades (the glossary's ``RiskLevel``), most dangerous first, with their colours (REGULATIONS.md §3.3).
GRADE_COLOURS = {"major": "red", "high": "orange", "moderate": "yellow", "low": "blue"}
COLOUR_GRADES = {colour: grade for grade, colour in GRADE_COLOURS.items()}
GRADE_ORDER = ("major", "high", "moderate", "low")

#: Control level per grade (REGULATIONS-2 §A.4; REGULATIONS.md §3.3 "make this configurable per enterprise").
#: 重大 → 主要负责人 and 较大 → 分管负责人 are 331号令's [P]; the workshop and post levels are common practice [U].
CONTROL_LEVELS = {"major": "principal", "high": "deputy", "moderate": "workshop", "low": "post"}
CONTROL_LEVELS_BASIS = (
    "管控层级：重大风险由主要负责人、较大风险由分管负责人管控（山东省安全生产风险管控办法，省政府令第331号 [P]）；"
    "一般风险车间（部门）级、低风险班组（岗位）级为通行做法，默认值，可按企业调整 [U]"
)
