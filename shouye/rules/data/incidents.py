"""Tables of the incident rules: Shandong's direct report (山东省安全生产条例 Art. 65 ¶2), the investigation
report's time limit (国务院令第493号 Art. 29) and forest-fire grades (森林防火条例 Art. 32, 40) — REGULATIONS-2
§E.2, §E.5, §E.7."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

SHANDONG_REGULATION = "《山东省安全生产条例》"
ACCIDENT_REGULATION = "《生产安全事故报告和调查处理条例》（国务院令第493号）"
FOREST_REGULATION = "《森林防火条例》（国务院令第541号）"

# Art. 65 ¶2: 直报 to the 省安委会办公室 within 30 minutes of receiving the report; for 较大 and above also a
# written report within 1 hour.
DIRECT_REPORT_WITHIN = timedelta(minutes=30)
WRITTEN_REPORT_WITHIN = timedelta(hours=1)
WRITTEN_REPORT_GRADES = ("large", "major", "extraordinary")

# 493号令 Art. 29: the investigation report within 60 days of the accident; an approved extension of at most 60.
INVESTIGATION_DAYS = 60
MAX_EXTENSION_DAYS = 60


@dataclass(frozen=True)
class ForestFireThreshold:
    """Art. 40: the lowest figures that reach a grade ("以上" includes the number, "以下" excludes it)."""

    grade: str
    label: str
    burnt_area_ha: Decimal
    deaths: int
    serious_injuries: int


# Most serious first; a fire below every threshold is 一般森林火灾.
FOREST_FIRE_THRESHOLDS = (
    ForestFireThreshold("extraordinary", "特别重大森林火灾", Decimal(1000), 30, 100),
    ForestFireThreshold("major", "重大森林火灾", Decimal(100), 10, 50),
    ForestFireThreshold("large", "较大森林火灾", Decimal(1), 3, 10),
)
FOREST_FIRE_ORDINARY = ("ordinary", "一般森林火灾")

# Art. 32: the province reports to the national headquarters at once for these fires.
NATIONAL_REPORT_GRADES = ("major", "extraordinary")
NATIONAL_REPORT_DEATHS = 3
NATIONAL_REPORT_SERIOUS_INJURIES = 10
NATIONAL_REPORT_BURNING_HOURS = 24
