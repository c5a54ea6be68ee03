"""Emergency-plan deadlines for enterprises: filing, drills and evaluation (REGULATIONS.md §6.1).

Source: 《生产安全事故应急预案管理办法》 as amended by 应急管理部令第2号; tables in
:mod:`shouye.rules.data.emergency_plans`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shouye.rules._values import add_months, to_bool, to_date
from shouye.rules.data.emergency_plans import (
    DRILL_INTERVAL_MONTHS,
    EVALUATION_INTERVAL_YEARS,
    FILING_WORKDAYS,
    MEASURES,
    PLAN_TYPES,
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
