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
