"""Emergency-plan deadlines (REGULATIONS.md §6.1).

Source: 《生产安全事故应急预案管理办法》, first 国家安监总局令第88号, as amended by 应急管理部令第2号 (2019).
"""

from __future__ import annotations

MEASURES = "《生产安全事故应急预案管理办法》（应急管理部令第2号修订）"

# Art. 6: the three plan types, as spelt in code.
PLAN_TYPES = {"comprehensive": "综合应急预案", "special": "专项应急预案", "on_site": "现场处置方案"}

# Art. 33: ordinary units drill a comprehensive or special plan at least once a year and every on-site plan
# at least every half year; key units (hazardous materials, mines, metal smelting, urban rail transit,
# construction, crowded venues) drill at least every half year. Values are months between drills.
UNIT_KINDS = {"ordinary": "一般生产经营单位", "key": "重点生产经营单位（第三十三条第二款所列单位）"}
DRILL_INTERVAL_MONTHS = {
    ("ordinary", "comprehensive"): 12,
    ("ordinary", "special"): 12,
    ("ordinary", "on_site"): 6,
    ("key", "comprehensive"): 6,
    ("key", "special"): 6,
    ("key", "on_site"): 6,
}

# Art. 26: filing within 20 working days of publication.
FILING_WORKDAYS = 20
# Art. 35: the units listed in Art. 21 evaluate their plans every 3 years.
EVALUATION_INTERVAL_YEARS = 3

# Drill clocks per unit (the `drill-frequency` rule): months within which the unit must hold any
# comprehensive or special drill, drill each special plan, and drill its on-site plans; ``None`` where the
# source sets no interval. Units: ``government`` (county-level governments and their departments,
# townships, streets, functional areas), ``high_risk`` (high-risk units and crowded places), ``other``.
DRILL_UNITS = {
    "government": "县级以上人民政府及其部门、乡镇人民政府、街道办事处",
    "high_risk": "高危生产经营单位和人员密集场所经营单位",
    "other": "其他生产经营单位",
}
SHANDONG_REGULATION = "《山东省安全生产条例》（2021）"
EMERGENCY_REGULATION = "《生产安全事故应急条例》（国务院令第708号）"
# 山东省安全生产条例 Art. 63 (REGULATIONS-2.md §E.2): ¶1 governments at least one drill a year; ¶2 high-risk
# units and crowded places a comprehensive or special drill every half year, each special plan every 2 years,
# each on-site plan every half year; ¶3 other units yearly, every 3 years, yearly.
DRILL_FREQUENCY_SHANDONG = {
    "government": (12, None, None),
    "high_risk": (6, 24, 6),
    "other": (12, 36, 12),
}
# National: 708号令 Art. 8 (governments and townships at least once every 2 years, REGULATIONS.md §6.2);
# 2号令 Art. 33 (REGULATIONS.md §6.1): ordinary units a comprehensive or special drill every year and the
# on-site plans every half year (at least one nationally), key units every half year. Neither sets a clock
# for each special plan.
DRILL_FREQUENCY_NATIONAL = {
    "government": (24, None, None),
    "high_risk": (6, None, 6),
    "other": (12, None, 6),
}
JURISDICTIONS = {"shandong": "山东省", "national": "国家规定"}
