"""GB 30871-2022 《危险化学品企业特殊作业安全规范》 tables (REGULATIONS.md §2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal

STANDARD = "GB 30871-2022"

# 3.1 and the glossary: the eight special operations (特殊作业) and their names in code.
PERMIT_KINDS = {
    "hot_work": "动火作业",
    "confined_space": "受限空间作业",
    "line_blinding": "盲板抽堵作业",
    "work_at_height": "高处作业",
    "lifting": "吊装作业",
    "temporary_power": "临时用电作业",
    "excavation": "动土作业",
    "road_closure": "断路作业",
}

# 5.1: hot-work grades outside a fixed hot-work area, lowest first (raising moves one step right).
HOT_WORK_GRADES = ("2", "1", "special")
HOT_WORK_GRADE_LABELS = {"special": "特级", "1": "一级", "2": "二级"}


@dataclass(frozen=True)
class NightHours:
    """The night for 5.1.1's upgrade: from ``start`` (inclusive) to ``end`` (exclusive), across midnight.

    GB 30871 does not define 夜间; 20:00–06:00 is one enterprise rule found in practice [P].
    """

    start: time = time(20, 0)
    end: time = time(6, 0)
    basis: str = "夜间按20:00–06:00（标准未定义“夜间”，默认值，待核实 [P]）"

    def contains(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


NIGHT_HOURS = NightHours()

# 5.2.15: wind of force 5 or more (含五级) — outdoor hot work is in principle forbidden; if it must go ahead
# it is managed one grade higher.
HOT_WORK_WIND_FORCE = 5


@dataclass(frozen=True)
class Validity:
    """Longest validity of a permit; ``extended_hours`` where the standard allows more in special cases."""

    hours: int
    extended_hours: int | None
    clause: str


# Keyed by (kind, grade); grade None for kinds without grades in the validity rule.
PERMIT_VALIDITY = {
    ("hot_work", "special"): Validity(8, None, "5.1.5（特级、一级动火安全作业票有效期不应超过8 h）"),
    ("hot_work", "1"): Validity(8, None, "5.1.5（特级、一级动火安全作业票有效期不应超过8 h）"),
    ("hot_work", "2"): Validity(72, None, "5.1.5（二级动火安全作业票有效期不应超过72 h）"),
    ("confined_space", None): Validity(24, None, "6.10（受限空间安全作业票有效期不应超过24 h）"),
    ("work_at_height", None): Validity(7 * 24, None, "8.2.11（高处安全作业票的有效期最长为7天）"),
    ("temporary_power", None): Validity(
        15 * 24,
        30 * 24,
        "10.8（临时用电时间一般不超过15天，特殊情况不应超过30天；用于动火、受限空间作业的临时用电时间应和相应作业时间一致）",
    ),
}
# Kinds for which the standard sets no validity period; 4.16 (re-issue when content, scope, place change).
NO_VALIDITY_CLAUSE = {
    "line_blinding": "7.11（一张盲板抽堵安全作业票只能进行一块盲板的一项作业）；4.16",
    "lifting": "4.16",
    "excavation": "4.16",
    "road_closure": "4.16",
}

# 5.3.2 (and 6.4 c) for confined spaces): flammable gas or vapour.
LEL_THRESHOLD_PERCENT = Decimal("4")
FLAMMABLE_LIMIT_HIGH_LEL = Decimal("0.5")  # LEL ≥ 4 %: measured ≤ 0.5 % (vol)
FLAMMABLE_LIMIT_LOW_LEL = Decimal("0.2")  # LEL < 4 %: measured ≤ 0.2 % (vol)
# 6.4 a): oxygen in a confined space; 5.2.7: in equipment that produces, uses or stores oxygen.
OXYGEN_MIN_PERCENT = Decimal("19.5")
OXYGEN_MAX_PERCENT = Decimal("21")
OXYGEN_ENRICHED_MAX_PERCENT = Decimal("23.5")
# 5.3.1 c) and 6.3 a): sampling at most 30 min before the work starts.
GAS_SAMPLE_MAX_AGE = timedelta(minutes=30)

# 8.1.1 (GB/T 3608): height bands by their upper bound (inclusive), and Table 2's grades per band.
WORK_AT_HEIGHT_MIN_M = Decimal("2")  # 3.8: work at 2 m or more above the fall datum
HEIGHT_BAND_UPPER_M = (Decimal("5"), Decimal("15"), Decimal("30"), None)  # 2≤h≤5; 5<h≤15; 15<h≤30; h>30
HEIGHT_GRADES = {
    "A": ("I", "II", "III", "IV"),  # no objective hazard factor (8.1.2)
    "B": ("II", "III", "IV", "IV"),  # one or more objective hazard factors
}

# 9.1: lifting grades by load mass m; Appendix B note 3: below 10 t no lifting permit (risk analysis instead).
LIFTING_GRADE_1_ABOVE_T = Decimal("100")  # m > 100 t
LIFTING_GRADE_2_FROM_T = Decimal("40")  # 40 t ≤ m ≤ 100 t; below is grade 3
LIFTING_PERMIT_FROM_T = Decimal("10")


@dataclass(frozen=True)
class Approval:
    """Table B.1: who reviews or countersigns (审核或会签) and who approves (审批部门/人)."""

    reviewer: str | None
    approver: str


# Table B.1; keyed by (kind, grade) with grade None for kinds without grades. 办理部门 is always the enterprise.
APPROVALS = {
    ("hot_work", "special"): Approval(None, "主管领导"),
    ("hot_work", "1"): Approval(None, "安全管理部门"),
    ("hot_work", "2"): Approval(None, "所在基层单位"),
    ("confined_space", None): Approval(None, "所在基层单位"),
    ("line_blinding", None): Approval(None, "所在基层单位"),
    ("work_at_height", "I"): Approval(None, "所在基层单位"),
    ("work_at_height", "II"): Approval(None, "所在单位专业部门"),
    ("work_at_height", "III"): Approval(None, "所在单位专业部门"),
    ("work_at_height", "IV"): Approval(None, "主管厂长或总工程师"),
    ("lifting", 1): Approval(None, "主管厂长或总工程师"),
    ("lifting", 2): Approval(None, "所在单位专业部门"),
    ("lifting", 3): Approval(None, "所在单位专业部门"),
    ("temporary_power", None): Approval("配送电单位", "配送电单位"),
    ("excavation", None): Approval(
        "水、电、汽、工艺、设备、消防、安全管理等动土涉及单位", "所在单位专业部门"
    ),
    ("road_closure", None): Approval("断路涉及单位消防、安全管理部门", "所在单位专业部门"),
}

# The grades each graded kind accepts, as spelt in code.
KIND_GRADES = {
    "hot_work": HOT_WORK_GRADES,
    "work_at_height": ("I", "II", "III", "IV"),
    "lifting": (1, 2, 3),
}
