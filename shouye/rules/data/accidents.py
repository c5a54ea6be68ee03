"""生产安全事故报告和调查处理条例 (国务院令第493号) tables (REGULATIONS.md §5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

REGULATION = "《生产安全事故报告和调查处理条例》（国务院令第493号）"


@dataclass(frozen=True)
class GradeThreshold:
    """Art. 3: the lowest numbers that reach a grade ("以上" includes the number)."""

    grade: str
    label: str
    deaths: int
    serious_injuries: int
    direct_loss_yuan: Decimal


# Most serious first; an accident below every threshold is "ordinary" (一般事故).
GRADE_THRESHOLDS = (
    GradeThreshold("extraordinary", "特别重大事故", 30, 100, Decimal("100000000")),
    GradeThreshold("major", "重大事故", 10, 50, Decimal("50000000")),
    GradeThreshold("large", "较大事故", 3, 10, Decimal("10000000")),
)
ORDINARY = ("ordinary", "一般事故")
GRADE_LABELS = {t.grade: t.label for t in GRADE_THRESHOLDS} | {ORDINARY[0]: ORDINARY[1]}

# Art. 9–11: the unit reports to the county level within 1 hour; each level passes it up within 2 hours.
REPORT_LEVELS = ("county", "city", "province", "national")
REPORT_LEVEL_LABELS = {
    "county": "县级人民政府应急管理部门",
    "city": "设区的市级人民政府应急管理部门",
    "province": "省级人民政府应急管理部门",
    "national": "国务院应急管理部门",
}
FIRST_REPORT_WITHIN = timedelta(hours=1)
EACH_LEVEL_WITHIN = timedelta(hours=2)
# Art. 10: how far up each grade is reported.
HIGHEST_REPORT_LEVEL = {
    "ordinary": "city",
    "large": "province",
    "major": "national",
    "extraordinary": "national",
}

# Art. 13: supplementary reports when casualties change, counted in days from the accident.
SUPPLEMENT_DAYS = 30
SUPPLEMENT_DAYS_BY_KIND = {"road_traffic": 7, "fire": 7}
ACCIDENT_KINDS = {"road_traffic": "道路交通事故", "fire": "火灾事故"}
