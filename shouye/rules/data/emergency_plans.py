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
