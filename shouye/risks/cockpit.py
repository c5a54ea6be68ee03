"""The cockpit's dual-prevention panels (驾驶舱, issue 11): active risk points by grade (a ring, with the major
ones in the header), and the enterprises whose dual prevention is inactive — how many, and the worst first
(most reasons, then longest without a completed task). From the statistics and liveness selectors: a fixed
number of grouped queries whatever the district's size (one and three)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.core import charts
from shouye.core.registry import CockpitPanel, cockpit_panels

from .choices import RiskLevel
from .selectors.liveness import liveness_rows
from .selectors.statistics import grade_totals

VIEW = "risks.view_liveness"
#: Enterprises the inactive list shows.
TOP = 8


def _points_by_grade(user) -> dict:
    totals = grade_totals(user)
    return {
        "option": charts.ring([(label, totals[value]) for value, label in RiskLevel.choices]),
        "kpis": [charts.kpi("risk-points-major", _("Major risk points"), totals[RiskLevel.MAJOR], order=60,
                            tone="danger")],
    }


def _worst_first(row):
    return (-len(row.reasons), -(row.days_since_done if row.days_since_done is not None else 10**6), row.name)


def _inactive(user) -> dict:
    inactive = sorted((row for row in liveness_rows(user, details=False) if row.inactive), key=_worst_first)
    rows = [{"time": "—" if row.days_since_done is None else _("%(n)d days") % {"n": row.days_since_done},
             "text": f"{row.name} · {'；'.join(row.reason_labels)}",
             "url": reverse("enterprises:detail", args=[row.enterprise_id])} for row in inactive[:TOP]]
    return {"rows": rows, "kpis": [charts.kpi("risk-inactive", _("Dual prevention inactive"), len(inactive),
                                              order=70, tone="warning")]}


cockpit_panels.register(CockpitPanel(key="risk-points-by-grade", title=gettext_lazy("Risk points by grade"),
                                     order=60, size="s", data=_points_by_grade, permission=VIEW))
cockpit_panels.register(CockpitPanel(key="risk-inactive", title=gettext_lazy("Dual prevention inactive"),
                                     order=70, size="m", data=_inactive, permission=VIEW))
