"""The inspections' cockpit panels (驾驶舱, issue 10): this year's inspection plan coverage by township, and the
latest events in the actor's scope — hazards reported and closed out, inspections finished, documents
issued. Inspections sit above hazards, so the events panel reads both."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.audit.models import AuditEvent
from shouye.core import charts
from shouye.core.registry import CockpitPanel, cockpit_panels
from shouye.hazards.models import Hazard

from . import selectors
from .models import Inspection

PLAN_VIEW = "inspections.view_inspectionplan"
#: Lines of the events panel.
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


#: The audit verbs the events panel shows: (label, badge colour, permission to see the object, its model).
EVENT_VERBS = {
    "hazard.report": (gettext_lazy("Hazard reported"), "warning", "hazards.view_hazard", Hazard),
    "hazard.verify": (gettext_lazy("Hazard closed out"), "success", "hazards.view_hazard", Hazard),
    "hazard.close-on-spot": (gettext_lazy("Hazard closed out"), "success", "hazards.view_hazard", Hazard),
    "inspection.finish": (gettext_lazy("Inspection finished"), "info", "inspections.view_inspection", Inspection),
    "inspection.document": (gettext_lazy("Document issued"), "primary", "inspections.view_document", Inspection),
}
#: The district's latest events of those verbs among which the panel looks for the user's: enough that a
#: township's own show among ten townships' activity.
EVENT_WINDOW = 500


def _events(user) -> dict:
    """The newest events in the user's scope, from the audit log (ARCHITECTURE.md §6), which records every
    act with its time: the district's latest events of ``EVENT_VERBS`` (one query down the log's primary key),
    then which of their hazards and inspections the user sees (one scoped query per model) — three queries
    whatever the size of the log or of the registers."""
    verbs = [verb for verb, (_label, _tone, perm, _model) in EVENT_VERBS.items() if user.has_perm(perm)]
    events = list(AuditEvent.objects.filter(verb__in=verbs).order_by("-id")
                  .values("created_at", "verb", "target_id", "note")[:EVENT_WINDOW])
    wanted: dict = {}
    for event in events:
        wanted.setdefault(EVENT_VERBS[event["verb"]][3], set()).add(event["target_id"])
    hazards = (Hazard.objects.visible_to(user).filter(pk__in=[int(pk) for pk in wanted.get(Hazard, ())])
               .values_list("pk", "enterprise__name", "description")) if Hazard in wanted else []
    inspections = (Inspection.objects.visible_to(user).filter(pk__in=[int(pk) for pk in wanted.get(Inspection, ())])
                   .values_list("pk", "enterprise__name", "kind")) if Inspection in wanted else []
    seen = {Hazard: {str(pk): (name, text) for pk, name, text in hazards},
            Inspection: {str(pk): (name, "") for pk, name, _kind in inspections}}
    rows = []
    for event in events:
        label, tone, _perm, model = EVENT_VERBS[event["verb"]]
        if event["target_id"] not in seen[model]:
            continue
        name, text = seen[model][event["target_id"]]
        if model is Hazard:
            url = reverse("hazards:detail", args=[event["target_id"]])
            detail = f"{name} · {text[:40]}"
        elif event["verb"] == "inspection.document":
            url = reverse("inspections:documents", args=[event["target_id"]])
            detail = f"{name} · {event['note']}"
        else:
            url = reverse("inspections:detail", args=[event["target_id"]])
            detail = name
        rows.append({"time": f"{timezone.localtime(event['created_at']):%m-%d %H:%M}", "kind": label, "tone": tone,
                     "text": detail, "url": url})
        if len(rows) == EVENTS:
            break
    return {"rows": rows}


cockpit_panels.register(CockpitPanel(key="plan-coverage", title=gettext_lazy("Inspection plan coverage, this year"),
                                     order=40, size="m", data=_coverage, permission=PLAN_VIEW))
cockpit_panels.register(CockpitPanel(key="recent-events", title=gettext_lazy("Recent events"), order=50, size="m",
                                     data=_events))
