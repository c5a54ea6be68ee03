"""Read queries of inspections and plans. Each takes the actor, so nothing leaves its scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from shouye.enterprises.models import Enterprise
from shouye.regions.models import Region

from .choices import ItemResult
from .models import Checklist, Document, Inspection, InspectionItem, InspectionPhoto, InspectionPlan


def _people(relation: str) -> Prefetch:
    """Inspectors or experts in the order they were named (by account), the same on every page and document:
    a many-to-many relation has no order of its own, and PostgreSQL returns its rows in any order."""
    return Prefetch(relation, queryset=get_user_model().objects.order_by("id"))


def inspection_list(actor):
    """The scoped list with what a list row shows, in a fixed number of queries."""
    return (Inspection.objects.visible_to(actor)
            .select_related("enterprise", "township", "industry")
            .prefetch_related(_people("inspectors"), _people("experts"))
            .annotate(non_compliant=Count("items", filter=Q(items__result=ItemResult.NON_COMPLIANT)),
                      hazard_count=Count("items", filter=Q(items__hazard__isnull=False))))


def inspection_detail(actor):
    return (Inspection.objects.visible_to(actor)
            .select_related("enterprise", "township", "industry", "checklist", "reinspection_of",
                            "reinspection_of__enterprise", "created_by", "finished_by")
            .prefetch_related(
                _people("inspectors"), _people("experts"),
                Prefetch("items", queryset=InspectionItem.objects.select_related("hazard")
                         .prefetch_related("photos").order_by("order", "id")),
                Prefetch("photos", queryset=InspectionPhoto.objects.filter(item__isnull=True),
                         to_attr="general_photos"),
                Prefetch("documents", queryset=Document.objects.select_related("issued_by").order_by("-issued_at")),
            ))


def progress(inspection) -> dict:
    """已检 n/N: the items marked (anything but "not checked yet") and all items, in one query."""
    counts = inspection.items.aggregate(total=Count("id"), checked=Count("id", filter=~Q(result=ItemResult.PENDING)))
    return {"checked": counts["checked"], "total": counts["total"]}


#: Matches the enterprise search returns: enough to pick from on a phone; narrow the words for more.
ENTERPRISE_SEARCH_LIMIT = 20
#: Longest search text taken (a credit code is 18 characters; a name or address part is shorter than this).
ENTERPRISE_SEARCH_MAX_LENGTH = 60


def suggested_checklists(industry_ids) -> dict[int, Checklist]:
    """The checklist an inspection of an enterprise of each industry starts with: the industry's active
    checklist that comes first in the library (checklist_library.py: the general one before the special ones,
    e.g. the 20 criteria of 安监总管三〔2017〕121号 before the gas-station list), in one query."""
    suggested: dict[int, Checklist] = {}
    for checklist in (Checklist.objects.filter(is_active=True, industry_id__in=set(industry_ids))
                      .order_by("id")):
        suggested.setdefault(checklist.industry_id, checklist)
    return suggested


def enterprise_search(actor, text: str) -> list[dict]:
    """The enterprises in ``actor``'s scope whose name or address contains ``text`` or whose credit code
    starts with it (at most :data:`ENTERPRISE_SEARCH_LIMIT`: names starting with the text first, then by
    name; without a text the latest registered), each with the checklist suggested for its industry. Two
    queries whatever the registry's size (enterprises, checklists).

    Measured at 100,000 enterprises on PostgreSQL (bench/enterprise_search.py): case-sensitive ``LIKE``,
    not ``icontains`` (Chinese names have no case, a credit code is upper case, GB 32100-2015), and an
    order the name index cannot give, because either ``UPPER(name) LIKE`` or ``ORDER BY name LIMIT 20``
    makes the planner walk the name index over every row (0.3–0.9 s, against a scan and a top-20 sort)."""
    text = " ".join(text.split())[:ENTERPRISE_SEARCH_MAX_LENGTH]
    rows = Enterprise.objects.visible_to(actor).select_related("township", "industry")
    if text:
        rows = (rows.filter(Q(name__contains=text) | Q(credit_code__startswith=text.upper())
                            | Q(address__contains=text))
                .annotate(rank=Case(When(name__startswith=text, then=Value(0)), default=Value(1)))
                .order_by("rank", "name", "id"))
    else:
        rows = rows.order_by("-id")
    rows = list(rows[:ENTERPRISE_SEARCH_LIMIT])
    suggested = suggested_checklists(row.industry_id for row in rows)
    return [{"id": row.pk, "name": row.name, "credit_code": row.credit_code, "address": row.address,
             "township": row.township.name, "industry": row.industry.name,
             "checklist": getattr(suggested.get(row.industry_id), "pk", None),
             "checklist_name": getattr(suggested.get(row.industry_id), "name", "")}
            for row in rows]


def document_list(actor):
    return Document.objects.visible_to(actor).select_related("inspection__enterprise", "issued_by")


def hazard_documents(actor, hazard) -> list[Document]:
    """The documents of the inspections that found or re-inspected ``hazard`` (the order that set its
    deadline, the record, the re-inspection opinion, their receipts), newest first, in one query."""
    inspections = InspectionItem.objects.filter(hazard=hazard).values("inspection_id")
    return list(document_list(actor).filter(inspection_id__in=inspections).order_by("-issued_at", "-id"))


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
