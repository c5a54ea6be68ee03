"""The clocks of a unit and of its plans, recomputed by the services whenever what they depend on changes
(a plan published, a drill held, the category set), so that lists compare stored dates with today.

- The unit's "any drill" clock: the last held drill of a comprehensive or special plan (any held drill for a
  government: Art. 63 ¶1 counts any drill) plus ``any_drill_every_months``; before the first such drill the
  clock runs from the earliest publication of a plan in force.
- A special or on-site plan's own clock: its last drill (or its publication) plus
  ``each_special_plan_every_months`` / ``each_onsite_plan_every_months``; none where the rule sets none.
- A plan's evaluation (2号令 Art. 35; 国办发〔2024〕5号 Art. 34 for the government's plans): every 3 years from
  the last evaluation (or the publication) for the units of Art. 21 (here: high-risk units and enterprises of
  medium size and above) and for governments; other enterprises set their own period (no date).
The jurisdiction is Shandong's (山东省安全生产条例 Art. 63, stricter than the national rules)."""

from __future__ import annotations

from datetime import date

from django.db.models import Max, Min, Q
from django.utils.translation import gettext as _

from shouye.rules._values import add_months
from shouye.rules.emergency_plans import drill_frequency, next_evaluation_due

from .categories import derived_category
from .choices import LIVE_STATES, DrillCategory, DrillState, PlanKind
from .models import Drill, EmergencyPlan, PlanUnit

JURISDICTION = "shandong"


def refresh_category(unit: PlanUnit) -> None:
    """Set the unit's category (not saved): the bureau's override, else derived (enterprises) or government."""
    if unit.enterprise_id is None:
        unit.category, unit.category_basis = DrillCategory.GOVERNMENT, ""
    elif unit.category_override:
        unit.category, unit.category_basis = unit.category_override, _("Set by the bureau")
    else:
        unit.category, unit.category_basis = derived_category(unit.enterprise)


def evaluation_listed(unit: PlanUnit) -> bool:
    """Whether the unit evaluates its plans every 3 years (Art. 21 and 35; governments: 国办发〔2024〕5号 Art. 34)."""
    if unit.category in (DrillCategory.GOVERNMENT, DrillCategory.HIGH_RISK):
        return True
    return unit.enterprise is not None and unit.enterprise.scale in ("large", "medium")


def evaluation_due(unit: PlanUnit, plan: EmergencyPlan) -> date | None:
    start = plan.last_evaluated_on or plan.published_on
    if start is None:
        return None
    return next_evaluation_due(start, evaluation_listed(unit)).due


def refresh_clocks(unit: PlanUnit) -> None:
    """Recompute and save the unit's drill clock and its live plans' own drill clocks (a few queries)."""
    frequency = drill_frequency(unit.category, JURISDICTION)
    live = EmergencyPlan.objects.filter(unit=unit, state__in=LIVE_STATES)
    held = Drill.objects.filter(unit=unit, state=DrillState.HELD)
    counted = held if unit.category == DrillCategory.GOVERNMENT else held.filter(
        plans__kind__in=(PlanKind.COMPREHENSIVE, PlanKind.SPECIAL))
    unit.last_drill_on = counted.aggregate(last=Max("held_on"))["last"]
    start = unit.last_drill_on or live.aggregate(first=Min("published_on"))["first"]
    unit.any_drill_due_on = add_months(start, frequency.any_drill_every_months) if start else None
    unit.clock_basis = frequency.basis
    unit.save(update_fields=["category", "category_override", "category_basis", "last_drill_on",
                             "any_drill_due_on", "clock_basis"])
    months = {PlanKind.SPECIAL: frequency.each_special_plan_every_months,
              PlanKind.ON_SITE: frequency.each_onsite_plan_every_months}
    plans = list(live.annotate(last=Max("drills__held_on", filter=Q(drills__state=DrillState.HELD))))
    for plan in plans:
        plan.last_drilled_on = plan.last
        interval = months.get(plan.kind)
        base = plan.last or plan.published_on
        plan.drill_due_on = add_months(base, interval) if interval and base else None
    EmergencyPlan.objects.bulk_update(plans, ["last_drilled_on", "drill_due_on"])
