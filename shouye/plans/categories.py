"""An enterprise's drill category, derived from the registry (the bureau may set another on the unit).

山东省安全生产条例 Art. 63 ¶2 puts 高危生产经营单位 and 人员密集场所 on the half-yearly clock; Art. 19 of the same
regulation and 708号令 Art. 7 (REGULATIONS-2.md §E.1) name who they are: producers, traders, stores and carriers
of hazardous materials, mines, metal smelting, urban rail transit, construction, and hotels, shopping
centres, entertainment venues and scenic spots. The registry knows them by industry and tag
(``shouye.enterprises.reference_data``):

- industries ``hazardous_chemicals`` (危险化学品), ``non_coal_mines`` (非煤矿山), ``construction`` (建筑施工),
  ``urban_gas`` (城镇燃气, a hazardous material), ``crowded_places`` (人员密集场所);
- tags ``hazardous_process`` (危险化工工艺), ``mhi`` (重大危险源), ``metallurgy`` (冶金), ``fireworks`` (烟花爆竹),
  ``gas_station`` (加油加气站, trading in hazardous materials).

Every other enterprise is ``other``. Schools, hospitals and care homes are crowded in the everyday sense but
not listed by Art. 7; the bureau sets ``high_risk`` on such a unit where its notice says so."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .choices import DrillCategory

HIGH_RISK_INDUSTRIES = frozenset({"hazardous_chemicals", "non_coal_mines", "construction", "urban_gas",
                                  "crowded_places"})
HIGH_RISK_TAGS = frozenset({"hazardous_process", "mhi", "metallurgy", "fireworks", "gas_station"})


def derived_category(enterprise) -> tuple[str, str]:
    """The category and why (one query for the tags unless prefetched)."""
    if enterprise.industry.code in HIGH_RISK_INDUSTRIES:
        return DrillCategory.HIGH_RISK, _("Industry %(name)s") % {"name": enterprise.industry.name}
    tags = [tag for tag in enterprise.tags.all() if tag.code in HIGH_RISK_TAGS]
    if tags:
        return DrillCategory.HIGH_RISK, _("Tag %(name)s") % {"name": tags[0].name}
    return DrillCategory.OTHER, _("Neither a high-risk industry nor a high-risk tag")
