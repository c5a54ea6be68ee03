"""Read queries of inspections and plans. Each takes the actor, so nothing leaves its scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from shouye.regions.models import Region

from .choices import ItemResult
from .models import Document, Inspection, InspectionItem, InspectionPhoto, InspectionPlan


def inspection_list(actor):
    """The scoped list with what a list row shows, in a fixed number of queries."""
    return (Inspection.objects.visible_to(actor)
            .select_related("enterprise", "township", "industry")
            .prefetch_related("inspectors", "experts")
            .annotate(non_compliant=Count("items", filter=Q(items__result=ItemResult.NON_COMPLIANT)),
                      hazard_count=Count("items", filter=Q(items__hazard__isnull=False))))


def inspection_detail(actor):
    return (Inspection.objects.visible_to(actor)
            .select_related("enterprise", "township", "industry", "checklist", "reinspection_of",
                            "reinspection_of__enterprise", "created_by", "finished_by")
            .prefetch_related(
                "inspectors", "experts",
                Prefetch("items", queryset=InspectionItem.objects.select_related("hazard")
                         .prefetch_related("photos").order_by("order", "id")),
                Prefetch("photos", queryset=InspectionPhoto.objects.filter(item__isnull=True),
                         to_attr="general_photos"),
                Prefetch("documents", queryset=Document.objects.select_related("issued_by").order_by("-issued_at")),
            ))


def document_list(actor):
    return Document.objects.visible_to(actor).select_related("inspection__enterprise", "issued_by")


def enterprise_inspections(actor, enterprise, limit: int = 10) -> dict:
    """The ledger-page panel: the enterprise's latest inspections the actor may see."""
    qs = inspection_list(actor).filter(enterprise=enterprise).order_by("-inspected_at", "-id")
    return {"rows": list(qs[:limit]), "total": qs.count()}


# --- plans and coverage -------------------------------------------------------------------------------


def days_in_year(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def elapsed_days(year: int, today: date) -> int:
    """Days of ``year`` gone by ``today`` (today included): 0 before the year, all of them after it."""
    if today.year < year:
        return 0
    if today.year > year:
        return days_in_year(year)
    return (today - date(year, 1, 1)).days + 1


def plan_rows(actor, year: int, today: date):
    """The year's plans in scope, each annotated with ``done`` (finished inspections of the year that count
    towards the plan, see InspectionQuerySet.counting_towards_plan) and ``expected`` (the pro-rata share
    due by ``today``: ⌊due × days elapsed ÷ days in the year⌋). A plan is overdue when done < expected."""
    done = (Inspection.objects.counting_towards_plan(year).filter(enterprise=OuterRef("enterprise"))
            .order_by().values("enterprise").annotate(n=Count("id")).values("n"))
    elapsed, total = elapsed_days(year, today), days_in_year(year)
    return (InspectionPlan.objects.visible_to(actor).filter(year=year)
            .select_related("enterprise", "township", "industry", "squad", "officer")
            .annotate(done=Coalesce(Subquery(done, output_field=IntegerField()), Value(0)),
                      expected=ExpressionWrapper(F("inspections_due") * Value(elapsed) / Value(total),
                                                 output_field=IntegerField())))


@dataclass
class CoverageRow:
    key: str
    label: str
    planned: int = 0
    covered: int = 0
    due: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def coverage_percent(self) -> int:
        """Enterprises inspected at least once ÷ enterprises with an inspection due."""
        return round(100 * self.covered / self.planned) if self.planned else 0


def coverage(actor, year: int, today: date) -> dict:
    """Coverage of the year's plans by township and by squad (a plan assigned to a township officer
    counts under 'township officers'): enterprises due at least one inspection, those inspected at least
    once, inspections due and done, and overdue plans."""
    rows = plan_rows(actor, year, today).values(
        "inspections_due", "done", "expected", "township__code", "township__name", "squad_id", "squad__name",
        "officer_id")
    by_township: dict[str, CoverageRow] = {}
    by_squad: dict[str, CoverageRow] = {}
    total = CoverageRow(key="", label="")
    for row in rows:
        township = by_township.setdefault(row["township__code"],
                                          CoverageRow(row["township__code"], row["township__name"]))
        if row["squad_id"]:
            squad_key, squad_label = str(row["squad_id"]), row["squad__name"]
        elif row["officer_id"]:
            squad_key, squad_label = "officers", str(_("Township officers"))
        else:
            squad_key, squad_label = "unassigned", str(_("Not assigned"))
        squad = by_squad.setdefault(squad_key, CoverageRow(squad_key, squad_label))
        for target in (township, squad, total):
            _count(target, row)
    return {
        "by_township": sorted(by_township.values(), key=lambda r: r.key),
        "by_squad": sorted(by_squad.values(), key=lambda r: (not r.key.isdigit(), r.label, r.key)),
        "total": total,
    }


def _count(target: CoverageRow, row: dict) -> None:
    if row["inspections_due"] > 0:
        target.planned += 1
        target.covered += row["done"] >= 1
    target.due += row["inspections_due"]
    target.done += min(row["done"], row["inspections_due"])
    target.overdue += row["done"] < row["expected"]


def overdue_plans(actor, year: int, today: date):
    return plan_rows(actor, year, today).filter(done__lt=F("expected"))


def coverage_by_township(actor, year: int, today: date) -> list[dict]:
    """The year's plan coverage by township for the cockpit, aggregated in the database whatever the number of
    plans: enterprises due at least one inspection (``planned``), those inspected at least once (``covered``),
    inspections due and done (done capped at each plan's due), and plans behind their pro-rata share
    (``overdue``) — the definitions of :func:`coverage` and :func:`plan_rows`.

    One statement: the scoped plans joined to the year's inspections counted per enterprise (grouped once),
    instead of :func:`plan_rows`' count per plan, which took seconds at 100,000 plans (bench/cockpit.py).
    Both parts are the ORM's own scoped querysets; only the join and the grouping are written here."""
    plans = (InspectionPlan.objects.visible_to(actor).filter(year=year).order_by()
             .values("enterprise_id", "township_id", "inspections_due"))
    done = (Inspection.objects.visible_to(actor).counting_towards_plan(year).order_by()
            .values("enterprise_id").annotate(n=Count("id")))
    plans_sql, plans_params = plans.query.sql_with_params()
    done_sql, done_params = done.query.sql_with_params()
    region = Region._meta.db_table
    sql = f"""
        SELECT r.code, r.name,
               SUM(CASE WHEN p.inspections_due > 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN p.inspections_due > 0 AND COALESCE(d.n, 0) >= 1 THEN 1 ELSE 0 END),
               SUM(p.inspections_due),
               SUM(CASE WHEN COALESCE(d.n, 0) < p.inspections_due THEN COALESCE(d.n, 0) ELSE p.inspections_due END),
               SUM(CASE WHEN COALESCE(d.n, 0) < (p.inspections_due * %s) / %s THEN 1 ELSE 0 END)
        FROM ({plans_sql}) p
        LEFT JOIN ({done_sql}) d ON d.enterprise_id = p.enterprise_id
        JOIN {region} r ON r.id = p.township_id
        GROUP BY r.code, r.name
        ORDER BY r.code"""
    names = ("township__code", "township__name", "planned", "covered", "due", "done_total", "overdue")
    with connection.cursor() as cursor:
        cursor.execute(sql, [elapsed_days(year, today), days_in_year(year), *plans_params, *done_params])
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
