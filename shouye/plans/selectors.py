"""Reads of units, plans and drills, always from ``visible_to(user)`` (ARCHITECTURE.md §5). "Overdue" is a
comparison of stored due dates with today in SQL (:mod:`shouye.plans.clocks` keeps the dates)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from shouye.core import jsonlists

from .choices import LIVE_STATES, DrillState, PlanState
from .models import Drill, DrillProblem, EmergencyPlan, PlanDocument, PlanUnit


def units(user) -> QuerySet:
    return PlanUnit.objects.visible_to(user).select_related("enterprise", "township")


def plans(user) -> QuerySet:
    return EmergencyPlan.objects.visible_to(user).select_related("unit", "unit__township")


def plan_detail(user) -> QuerySet:
    return plans(user).select_related("previous", "unit__enterprise")


def with_documents(qs: QuerySet) -> QuerySet:
    """The plans with their documents (one query for all of them)."""
    return qs.prefetch_related(Prefetch("documents", PlanDocument.objects.select_related("uploaded_by")
                                        .order_by("kind", "id")))


def plan_problems(user, plan: EmergencyPlan) -> QuerySet:
    """The problems found in the drills of ``plan``, and the one that opened this version as its revision:
    what the drills taught about this plan, on the plan's own page (708号令 Art. 6 ¶2 (5))."""
    return (DrillProblem.objects.visible_to(user).filter(Q(drill__plans=plan) | Q(revision=plan)).distinct()
            .select_related("drill", "hazard", "revision").order_by("-recorded_at", "-id"))


def drills(user) -> QuerySet:
    return Drill.objects.visible_to(user).select_related("unit", "unit__township")


def drill_detail(user) -> QuerySet:
    return drills(user).prefetch_related("plans")


def problems(user, drill) -> QuerySet:
    return DrillProblem.objects.visible_to(user).filter(drill=drill).select_related("hazard", "revision")


def covering(topics) -> Q:
    """The plans whose ``topics`` name any of ``topics`` (none given: no plan)."""
    return jsonlists.names_any("topics", topics)


def overdue_plan_q(today: date) -> Q:
    """A plan overdue now: published and not filed past its filing day, in force past its evaluation or past
    its own drill clock."""
    return (Q(state=PlanState.PUBLISHED, filing_due_on__lt=today)
            | Q(state__in=LIVE_STATES, evaluation_due_on__lt=today)
            | Q(state__in=LIVE_STATES, drill_due_on__lt=today))


def overdue_plans(user, today: date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return plans(user).filter(overdue_plan_q(today))


def overdue_units(user, today: date | None = None) -> QuerySet:
    """Units whose "any drill" clock has run out."""
    today = today or timezone.localdate()
    return units(user).filter(any_drill_due_on__lt=today)


def statistics(user, today: date | None = None) -> list[dict]:
    """Per township (the bureau's district and department units under "district") and unit kind: units,
    plans in force, filed, overdue plans, drills held in the last 12 months and units overdue for a drill.
    Three grouped queries."""
    today = today or timezone.localdate()
    year_ago = today.replace(year=today.year - 1) if not (today.month == 2 and today.day == 29) else \
        today.replace(year=today.year - 1, day=28)
    keys = ("unit__township__name", "unit__kind")
    plan_rows = (EmergencyPlan.objects.visible_to(user).order_by().values(*keys).annotate(
        live=Count("id", filter=Q(state__in=LIVE_STATES)),
        filed=Count("id", filter=Q(state__in=LIVE_STATES, filed_on__isnull=False)),
        overdue=Count("id", filter=overdue_plan_q(today))))
    drill_rows = (Drill.objects.visible_to(user).order_by().values(*keys).annotate(
        held=Count("id", filter=Q(state=DrillState.HELD, held_on__gt=year_ago)),
        planned=Count("id", filter=Q(state=DrillState.PLANNED))))
    unit_rows = (PlanUnit.objects.visible_to(user).order_by().values("township__name", "kind").annotate(
        units=Count("id"), due=Count("id", filter=Q(any_drill_due_on__isnull=False)),
        drill_overdue=Count("id", filter=Q(any_drill_due_on__lt=today))))
    table: dict[tuple, dict] = {}

    def row(township, kind) -> dict:
        return table.setdefault((township or "", kind), {
            "township": township or "", "kind": kind, "units": 0, "live": 0, "filed": 0, "overdue": 0,
            "held": 0, "planned": 0, "due": 0, "drill_overdue": 0})

    for r in unit_rows:
        row(r["township__name"], r["kind"]).update(units=r["units"], due=r["due"], drill_overdue=r["drill_overdue"])
    for r in plan_rows:
        row(r["unit__township__name"], r["unit__kind"]).update(live=r["live"], filed=r["filed"],
                                                               overdue=r["overdue"])
    for r in drill_rows:
        row(r["unit__township__name"], r["unit__kind"]).update(held=r["held"], planned=r["planned"])
    return sorted(table.values(), key=lambda r: (r["township"], r["kind"]))
