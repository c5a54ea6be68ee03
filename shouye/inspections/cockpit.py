"""The inspections' cockpit panels (驾驶舱, issue 10): this year's inspection plan coverage by township, and the
latest events in the actor's scope — hazards reported and closed out, inspections finished, documents
issued. Inspections sit above hazards, so the events panel reads both."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.core import charts
from shouye.core.registry import CockpitPanel, cockpit_panels
from shouye.hazards.choices import HazardState
from shouye.hazards.models import Hazard

from . import selectors
from .choices import InspectionState
from .models import Document, Inspection

PLAN_VIEW = "inspections.view_inspectionplan"
#: Lines of the events panel; each kind of event reads at most this many, newest first.
EVENTS = 10


def _coverage(user) -> dict:
    """Coverage = enterprises inspected at least once ÷ enterprises with an inspection due this year (the
    definition of the plans page, ``selectors.CoverageRow``), and inspections done against those due."""
    today = timezone.localdate()
    rows = selectors.coverage_by_township(user, today.year, today)
    planned = sum(row["planned"] for row in rows)
    covered = sum(row["covered"] for row in rows)
    return {
        "option": charts.bars([row["township__name"] for row in rows], [
            charts.series(_("Inspections due"), [row["due"] for row in rows], color=charts.BLUE),
            charts.series(_("Inspections done"), [row["done_total"] for row in rows], color=charts.GREEN),
            charts.series(_("Plans behind schedule"), [row["overdue"] for row in rows], color=charts.RED),
            charts.series(_("Coverage"), [charts.percent(row["covered"], row["planned"]) for row in rows],
                          color=charts.CYAN, kind="line", percent=True),
        ], rotate=35),
        "kpis": [charts.kpi("plan-coverage", _("Plan coverage"), charts.percent(covered, planned), order=60,
                            unit="%")],
    }


def _line(when, kind: str, tone: str, text: str, url: str) -> dict:
    return {"at": when, "time": f"{timezone.localtime(when):%m-%d %H:%M}", "kind": kind, "tone": tone,
            "text": text, "url": url}


def _events(user) -> dict:
    """The newest events, one bounded query per kind (four whatever the data size), merged newest first."""
    lines = []
    if user.has_perm("hazards.view_hazard"):
        hazards = Hazard.objects.visible_to(user).order_by()
        for row in hazards.values("found_at", "id", "description", "enterprise__name").order_by("-found_at")[:EVENTS]:
            lines.append(_line(row["found_at"], _("Hazard reported"), "warning",
                               f"{row['enterprise__name']} · {row['description'][:40]}",
                               reverse("hazards:detail", args=[row["id"]])))
        closed = hazards.filter(state=HazardState.CLOSED, closed_at__isnull=False)
        for row in closed.values("closed_at", "id", "description", "enterprise__name").order_by("-closed_at")[:EVENTS]:
            lines.append(_line(row["closed_at"], _("Hazard closed out"), "success",
                               f"{row['enterprise__name']} · {row['description'][:40]}",
                               reverse("hazards:detail", args=[row["id"]])))
    if user.has_perm("inspections.view_inspection"):
        finished = (Inspection.objects.visible_to(user).filter(state=InspectionState.FINISHED, finished_at__isnull=False)
                    .order_by("-finished_at").values("finished_at", "id", "kind", "enterprise__name")[:EVENTS])
        for row in finished:
            lines.append(_line(row["finished_at"], _("Inspection finished"), "info", row["enterprise__name"],
                               reverse("inspections:detail", args=[row["id"]])))
    if user.has_perm("inspections.view_document"):
        documents = (Document.objects.visible_to(user).order_by("-issued_at")
                     .values("issued_at", "inspection_id", "number", "inspection__enterprise__name")[:EVENTS])
        for row in documents:
            lines.append(_line(row["issued_at"], _("Document issued"), "primary",
                               f"{row['inspection__enterprise__name']} · {row['number']}",
                               reverse("inspections:documents", args=[row["inspection_id"]])))
    lines.sort(key=lambda line: line["at"], reverse=True)
    return {"rows": [{key: value for key, value in line.items() if key != "at"} for line in lines[:EVENTS]]}


cockpit_panels.register(CockpitPanel(key="plan-coverage", title=gettext_lazy("Inspection plan coverage, this year"),
                                     order=40, size="m", data=_coverage, permission=PLAN_VIEW))
cockpit_panels.register(CockpitPanel(key="recent-events", title=gettext_lazy("Recent events"), order=50, size="m",
                                     data=_events))
