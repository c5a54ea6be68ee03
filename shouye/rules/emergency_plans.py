"""Emergency-plan deadlines for enterprises: filing, drills and evaluation (REGULATIONS.md §6.1).

Source: 《生产安全事故应急预案管理办法》 as amended by 应急管理部令第2号; the drill clocks per unit also from
国务院令第708号 Art. 8 and 山东省安全生产条例 Art. 63 (REGULATIONS-2.md §E.2); tables in
:mod:`shouye.rules.data.emergency_plans`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shouye.rules._values import add_months, to_bool, to_date
from shouye.rules.data.emergency_plans import (
    DRILL_FREQUENCY_NATIONAL,
    DRILL_FREQUENCY_SHANDONG,
    DRILL_INTERVAL_MONTHS,
    DRILL_UNITS,
    EMERGENCY_REGULATION,
    EVALUATION_INTERVAL_YEARS,
    FILING_WORKDAYS,
    JURISDICTIONS,
    MEASURES,
    PLAN_TYPES,
    SHANDONG_REGULATION,
    UNIT_KINDS,
)
from shouye.rules.errors import RuleInputError
from shouye.rules.workdays import WorkCalendar, default_calendar


@dataclass(frozen=True)
class PlanDeadline:
    """A due date (the last day, inclusive), or ``None`` where the rule fixes no date."""

    due: date | None
    basis: str


def filing_deadline(published_on: date, calendar: WorkCalendar | None = None) -> PlanDeadline:
    """Last day to file a published plan: the 20th working day after publication (Art. 26)."""
    published = to_date(published_on, "published_on", label="预案公布日期")
    calendar = calendar or default_calendar()
    return PlanDeadline(
        due=calendar.add_workdays(published, FILING_WORKDAYS, field="published_on"),
        basis=f"{MEASURES}第二十六条：应急预案公布之日起20个工作日内备案（公布当日不计入）",
    )


def next_drill_due(plan_type: str, unit_kind: str, last_drill_on: date) -> PlanDeadline:
    """When the next drill of a plan is due (Art. 33), counted from the last drill.

    ``plan_type`` is ``comprehensive``, ``special`` or ``on_site``; ``unit_kind`` is ``ordinary`` or ``key``.
    Ordinary units: a comprehensive or special plan once a year (one such drill a year covers the unit, so
    pass the date of its latest comprehensive or special drill), every on-site plan every half year. Key
    units: every half year. For a plan never drilled, pass its publication date. The interval runs from the
    last drill (a rolling year or half year), the stricter reading of "每年至少" and "每半年至少".
    """
    if plan_type not in PLAN_TYPES:
        allowed = "、".join(f"{k}（{v}）" for k, v in PLAN_TYPES.items())
        raise RuleInputError(f"预案类型应为{allowed}之一，收到 {plan_type!r}", "plan_type")
    if unit_kind not in UNIT_KINDS:
        allowed = "、".join(f"{k}（{v}）" for k, v in UNIT_KINDS.items())
        raise RuleInputError(f"单位类别应为{allowed}之一，收到 {unit_kind!r}", "unit_kind")
    last = to_date(last_drill_on, "last_drill_on", label="上次演练日期")
    months = DRILL_INTERVAL_MONTHS[(unit_kind, plan_type)]
    period = "每年至少1次" if months == 12 else "每半年至少1次"
    return PlanDeadline(
        due=add_months(last, months),
        basis=f"{MEASURES}第三十三条：{UNIT_KINDS[unit_kind]}的{PLAN_TYPES[plan_type]}演练{period}"
        "（自上次演练日起滚动计算，为本平台的解释，待核实 [U]）",
    )


def next_evaluation_due(last_evaluated_on: date, listed_in_art21: bool) -> PlanDeadline:
    """When the next evaluation of the plans is due (Art. 35).

    ``listed_in_art21``: the unit is one of those Art. 21 lists (mines, metal smelting, production, trading
    with storage, storage and transport of flammable, explosive or hazardous chemicals, users of hazardous
    chemicals above the regulated quantity, fireworks, and units of medium size and above). They evaluate
    every 3 years; the day it falls due is the same date three years on. Other units set their own period.
    """
    last = to_date(last_evaluated_on, "last_evaluated_on", label="上次评估日期")
    if not to_bool(listed_in_art21, "listed_in_art21", label="是否属于第二十一条所列单位"):
        return PlanDeadline(
            due=None,
            basis=f"{MEASURES}第三十五条：非第二十一条所列单位应建立定期评估制度，周期由单位自定",
        )
    return PlanDeadline(
        due=add_months(last, 12 * EVALUATION_INTERVAL_YEARS),
        basis=f"{MEASURES}第二十一条、第三十五条：每三年进行一次应急预案评估",
    )


@dataclass(frozen=True)
class DrillFrequency:
    """Months within which a unit must drill; ``None`` where the source sets no interval."""

    any_drill_every_months: int | None
    each_special_plan_every_months: int | None
    each_onsite_plan_every_months: int | None
    basis: str


def drill_frequency(unit: str, jurisdiction: str = "shandong") -> DrillFrequency:
    """The drill clocks of a unit (``government``, ``high_risk`` or ``other``).

    ``any_drill_every_months``: at least one comprehensive or special-plan drill within;
    ``each_special_plan_every_months``: every special plan drilled within; ``each_onsite_plan_every_months``:
    on-site plans drilled within (each plan in Shandong, at least one under the national rule).
    Shandong (the default, stricter): 山东省安全生产条例 Art. 63. National: 708号令 Art. 8 for governments,
    2号令 Art. 33 for enterprises.
    """
    if unit not in DRILL_UNITS:
        allowed = "、".join(f"{k}（{v}）" for k, v in DRILL_UNITS.items())
        raise RuleInputError(f"单位类别应为{allowed}之一，收到 {unit!r}", "unit")
    if jurisdiction not in JURISDICTIONS:
        allowed = "、".join(f"{k}（{v}）" for k, v in JURISDICTIONS.items())
        raise RuleInputError(f"适用规定应为{allowed}之一，收到 {jurisdiction!r}", "jurisdiction")
    if jurisdiction == "shandong":
        any_drill, special, onsite = DRILL_FREQUENCY_SHANDONG[unit]
        paragraph = {"government": "第一款", "high_risk": "第二款", "other": "第三款"}[unit]
        basis = f"{SHANDONG_REGULATION}第六十三条{paragraph}：{DRILL_UNITS[unit]}"
        if unit == "government":
            basis += "每年至少组织一次应急预案演练（未规定每项专项预案、现场处置方案的演练周期）"
        else:
            basis += (
                f"每{_period(any_drill)}至少组织一次综合或专项应急预案演练，"
                f"每{_period(special)}对所有专项应急预案至少演练一次，"
                f"每{_period(onsite)}对所有现场处置方案至少演练一次"
            )
    else:
        any_drill, special, onsite = DRILL_FREQUENCY_NATIONAL[unit]
        if unit == "government":
            basis = (
                f"{EMERGENCY_REGULATION}第八条：县级以上人民政府及其部门、乡镇、街道至少每2年组织一次演练"
                "（未规定每项专项预案、现场处置方案的演练周期）"
            )
        elif unit == "high_risk":
            basis = (
                f"{MEASURES}第三十三条、{EMERGENCY_REGULATION}第八条：重点生产经营单位和人员密集场所"
                "每半年至少组织一次应急预案演练（未规定每项专项预案的演练周期）"
            )
        else:
            basis = (
                f"{MEASURES}第三十三条：每年至少组织一次综合或专项应急预案演练，"
                "每半年至少组织一次现场处置方案演练（未规定每项专项预案的演练周期）"
            )
    return DrillFrequency(any_drill, special, onsite, basis)


def _period(months: int) -> str:
    return {6: "半年", 12: "年"}.get(months, f"{months // 12}年")
