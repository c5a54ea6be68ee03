"""Which enterprises are chemical enterprises: those that designate high-risk work areas (高危作业场所) and whose
ledger page shows their special-operation permits. Issue 11 asks it of "chemical and hazardous-chemical
enterprises". The registry has no flag for them; it codes
industries (``shouye.enterprises.reference_data``: ``hazardous_chemicals`` is 危险化学品) and tags enterprises
(``hazardous_process`` is 危险化工工艺, the tag of a plant running a listed hazardous chemical process). An
enterprise of the hazardous-chemicals industry, or one tagged with a hazardous chemical process, is a chemical
enterprise here; 山东省安全生产条例 Art. 19 counts both among the 高危生产经营单位 (危险物品生产、经营、储存单位 and units
using hazardous materials)."""

CHEMICAL_INDUSTRY_CODES = ("hazardous_chemicals",)
CHEMICAL_TAG_CODES = ("hazardous_process",)


def is_chemical(enterprise) -> bool:
    """Whether ``enterprise`` is a chemical enterprise (one query for the tags unless prefetched)."""
    if enterprise.industry.code in CHEMICAL_INDUSTRY_CODES:
        return True
    return any(tag.code in CHEMICAL_TAG_CODES for tag in enterprise.tags.all())
