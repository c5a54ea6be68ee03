"""Reads of the risk register, always from ``visible_to(actor)``, in a fixed number of queries whatever the
number of rows (issue 11: 500 risk points in under 300 ms)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from shouye.enterprises.models import Enterprise

from ..choices import RiskLevel
from ..models import (
    ControlMeasure,
    HazardSource,
    InvestigationTask,
    RiskAssessment,
    RiskPoint,
    RiskRegister,
    SpecialControlPlan,
)


def _grade_counts(prefix: str = "risk_points__") -> dict:
    active = Q(**{f"{prefix}is_active": True})
    return {f"count_{grade}": Count(f"{prefix}pk", filter=active & Q(**{f"{prefix}grade": grade}))
            for grade in RiskLevel.values} | {"count_points": Count(f"{prefix}pk", filter=active)}


def enterprises_with_counts(actor):
    """Enterprises in scope with their active risk points counted by grade and their list's state."""
    registers = RiskRegister.objects.filter(enterprise=OuterRef("pk"))
    return (Enterprise.objects.visible_to(actor).select_related("township", "industry")
            .annotate(**_grade_counts(),
                      register_state=Subquery(registers.values("state")[:1]),
                      register_version=Subquery(registers.values("version")[:1]),
                      register_changed=Subquery(registers.values("changed_since_publication")[:1]))
            .order_by("name", "id"))


def enterprise_in_scope(actor):
    return Enterprise.objects.visible_to(actor).select_related("township", "industry")


def risk_points(actor):
    return RiskPoint.objects.visible_to(actor)


def risk_list_rows(actor, enterprise_id: int, *, include_retired: bool = False):
    """The risk list page's rows: each point with its sources and measures counted and whether it has a
    special control plan, in one query."""
    sources = (HazardSource.objects.filter(risk_point=OuterRef("pk")).order_by().values("risk_point")
               .annotate(n=Count("pk")).values("n"))
    measures = (ControlMeasure.objects.filter(hazard_source__risk_point=OuterRef("pk"), is_active=True).order_by()
                .values("hazard_source__risk_point").annotate(n=Count("pk")).values("n"))
    # Counted by correlated subqueries, each on its foreign key's index, rather than by joining the three
    # tables and counting distinct rows (500 points × 1,000 sources × 3,000 measures, issue 11's benchmark).
    rows = (risk_points(actor).filter(enterprise_id=enterprise_id)
            .annotate(sources_count=Coalesce(Subquery(sources), 0), measures_count=Coalesce(Subquery(measures), 0),
                      has_plan=Exists(SpecialControlPlan.objects.filter(risk_point=OuterRef("pk"))))
            .order_by("-is_active", "code", "id"))
    return rows if include_retired else rows.filter(is_active=True)


def grade_counts(actor, enterprise_id: int) -> dict:
    counts = risk_points(actor).filter(enterprise_id=enterprise_id).aggregate(**_grade_counts(prefix=""))
    return counts


def register_of(actor, enterprise_id: int) -> RiskRegister | None:
    return RiskRegister.objects.visible_to(actor).filter(enterprise_id=enterprise_id).first()


def point_detail(actor):
    """A point with its sources, each with its current assessment, history and measures (fixed queries)."""
    return risk_points(actor).select_related("enterprise", "responsible_user", "special_control_plan").prefetch_related(
        Prefetch("hazard_sources", queryset=HazardSource.objects.order_by("order", "id").prefetch_related(
            Prefetch("assessments", queryset=RiskAssessment.objects.select_related("assessed_by")
                     .order_by("-assessed_at", "-id")),
            Prefetch("measures", queryset=ControlMeasure.objects.order_by("category", "order", "id")))))


def hazard_sources(actor):
    return HazardSource.objects.visible_to(actor).select_related("risk_point__enterprise")


def control_measures(actor):
    return ControlMeasure.objects.visible_to(actor).select_related("hazard_source__risk_point__enterprise")


def export_points(actor, enterprise_id: int):
    """Every active point of the enterprise with sources, current assessments, measures and plan, for the
    exports (a fixed number of queries)."""
    return (risk_points(actor).filter(enterprise_id=enterprise_id, is_active=True)
            .select_related("special_control_plan").order_by("code", "id")
            .prefetch_related(Prefetch("hazard_sources", queryset=HazardSource.objects.order_by("order", "id")
                                       .prefetch_related(
                                           Prefetch("assessments", queryset=RiskAssessment.objects.filter(current=True),
                                                    to_attr="current_assessments"),
                                           Prefetch("measures", queryset=ControlMeasure.objects.filter(is_active=True)
                                                    .order_by("category", "order", "id"))))))


def enterprise_panel_context(request, enterprise) -> dict:
    """The enterprise ledger page's panel (一企一账): active risk points by grade, the list's state, a link."""
    user = request.user
    return {"enterprise": enterprise, "counts": grade_counts(user, enterprise.pk),
            "register": register_of(user, enterprise.pk), "grades": RiskLevel.choices}


def point_tasks(actor, point_id: int):
    """The investigation tasks of one risk point the actor sees, active first, with their person."""
    return (InvestigationTask.objects.visible_to(actor).filter(risk_point_id=point_id)
            .select_related("assignee").order_by("-is_active", "id"))
