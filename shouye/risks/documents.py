"""The printed outputs of the plant plan (issue 11, "Outputs"), as PDFs rendered by WeasyPrint with the Noto
CJK fonts, like the inspections' documents (``shouye/inspections/documents.py``):

- the four-colour risk map (安全风险四色分布图, REGULATIONS-2 §A.4) on A3 landscape: the plan image with its
  zones drawn over it as an inline SVG in the image's own pixel coordinates (the SVG's ``viewBox`` scales the
  polygons to the page with the image), the title with the enterprise, the date and the version of the
  published risk list, the legend, and a table of the zones with their risk points and grades;
- the post risk notice card (岗位风险告知卡, 山东省安全生产条例 Art. 31: the enterprise informs its workforce of
  the risks of their posts) on A4 portrait, one per post. A post is a name the enterprise already uses: the
  post of its investigation tasks or the responsible department of its risk points
  (``selectors.plans.notice_card_posts``); its card shows the risk points of that department and those whose
  measures that post checks, with their hazard sources, grades and colours, the possible accidents, the
  measures by category (§A.6), the emergency measures, the emergency numbers (119 fire, 120 ambulance and the
  enterprise's own people) and the warning signs that go with the accidents, as text labels.

These are documents posted in the plant, so their fixed wording is Chinese whatever the screen's language
(templates/risks/plans/documents/), like the inspections' forms."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone

from shouye.core import pdf
from shouye.rules.identifiers import mask_phone

from .choices import RISK_LEVEL_COLOURS, MeasureCategory, RegisterState, RiskLevel
from .selectors import plans as selectors

MAP_TEMPLATE = "risks/plans/documents/four_colour_map.html"
CARD_TEMPLATE = "risks/plans/documents/notice_card.html"

#: The national emergency numbers every card prints (火警 119, 急救 120).
EMERGENCY_NUMBERS = (("火警", "119"), ("急救", "120"))

#: Warning signs of GB 2894-2008 (安全标志及其使用导则) that go with an accident of GB 6441-1986 (企业职工伤亡事故
#: 分类) named in a hazard source's possible accident: (word in the accident, signs). Printed as text labels.
WARNING_SIGNS = (
    ("火灾", ("当心火灾", "禁止烟火")),
    ("爆炸", ("当心爆炸", "禁止烟火")),
    ("中毒", ("当心中毒",)),
    ("窒息", ("当心窒息",)),
    ("触电", ("当心触电",)),
    ("机械伤害", ("当心机械伤人",)),
    ("高处坠落", ("当心坠落", "必须系安全带")),
    ("物体打击", ("当心落物", "必须戴安全帽")),
    ("起重伤害", ("当心吊物",)),
    ("车辆伤害", ("当心车辆",)),
    ("灼烫", ("当心灼烫",)),
    ("腐蚀", ("当心腐蚀",)),
    ("淹溺", ("当心落水",)),
    ("坍塌", ("当心坍塌",)),
)
#: The sign every card carries, whatever its accidents.
GENERAL_SIGN = "注意安全"


def chinese_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def register_version(actor, enterprise) -> str:
    """"第 3 版（2026-05-01 发布）" of the enterprise's published risk list, or that it has none yet."""
    register = selectors.register_of(actor, enterprise)
    if register is None or register.state != RegisterState.PUBLISHED or not register.version:
        return "风险分级管控清单未发布"
    published = timezone.localtime(register.published_at).date().isoformat() if register.published_at else ""
    return f"风险分级管控清单第 {register.version} 版" + (f"（{published} 发布）" if published else "")


def _file_uri(field) -> str:
    return Path(field.path).resolve().as_uri()


def map_context(actor, plan) -> dict:
    zones = selectors.plan_zones(actor, plan)
    return {
        "plan": plan,
        "enterprise": plan.enterprise,
        "image": _file_uri(plan.image),
        "zones": zones,
        "legend": selectors.legend(zones),
        "grey": {"hex": selectors.COLOUR_HEX[selectors.GREY], "count": selectors.colour_counts(zones)["grey"]},
        "label_size": max(plan.width, plan.height) / 45,
        "stroke": max(plan.width, plan.height) / 500,
        "date": chinese_date(timezone.localdate()),
        "version": register_version(actor, plan.enterprise),
    }


def map_html(actor, plan) -> str:
    return pdf.render_html(MAP_TEMPLATE, map_context(actor, plan))


def render_map_pdf(actor, plan) -> bytes:
    """The four-colour map of ``plan`` as an A3 landscape PDF."""
    return pdf.html_to_pdf(map_html(actor, plan))


def warning_signs(accidents) -> list[str]:
    signs = [GENERAL_SIGN]
    for word, names in WARNING_SIGNS:
        if any(word in accident for accident in accidents):
            signs += [name for name in names if name not in signs]
    return signs


def card_context(actor, enterprise, post: str) -> dict:
    points = selectors.notice_card_points(actor, enterprise, post)
    rows, accidents, emergency = [], [], []
    for point in points:
        sources = []
        for source in point.hazard_sources.all():
            by_category = {}
            for measure in source.measures.all():
                by_category.setdefault(measure.category, []).append(measure.description)
                if measure.category == MeasureCategory.EMERGENCY and measure.description not in emergency:
                    emergency.append(measure.description)
            if source.consequence and source.consequence not in accidents:
                accidents.append(source.consequence)
            sources.append({"source": source, "colour": RISK_LEVEL_COLOURS.get(source.grade, selectors.GREY),
                            "grade": RiskLevel(source.grade).label if source.grade else "未分级",
                            "measures": [(MeasureCategory(category).label, texts)
                                         for category, texts in sorted(by_category.items())]})
        rows.append({"point": point, "colour": selectors.colour_of(point.grade),
                     "grade": RiskLevel(point.grade).label if point.grade else "未分级", "sources": sources})
    sees_phones = actor.has_perm("enterprises.view_personal_data")
    contacts = [(person.get_role_display(), person.name, person.phone if sees_phones else mask_phone(person.phone))
                for person in selectors.emergency_contacts(actor, enterprise)]
    grade = selectors.highest_grade(point.grade for point in points)
    return {
        "enterprise": enterprise, "post": post, "rows": rows, "accidents": accidents, "emergency": emergency,
        "signs": warning_signs(accidents), "numbers": EMERGENCY_NUMBERS, "contacts": contacts,
        "grade": RiskLevel(grade).label if grade else "未分级", "colour": selectors.colour_of(grade),
        "hex": selectors.COLOUR_HEX, "date": chinese_date(timezone.localdate()),
        "version": register_version(actor, enterprise),
    }


def card_html(actor, enterprise, post: str) -> str:
    return pdf.render_html(CARD_TEMPLATE, card_context(actor, enterprise, post))


def render_card_pdf(actor, enterprise, post: str) -> bytes:
    """The notice card of ``post`` as an A4 portrait PDF."""
    return pdf.html_to_pdf(card_html(actor, enterprise, post))
