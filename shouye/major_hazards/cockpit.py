"""The cockpit panel of the major hazard installations: counts by grade (GB 18218-2018 Table 6) and the
responsible persons' overdue duties, in a fixed number of queries."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.core import charts
from shouye.core.registry import CockpitPanel, cockpit_panels

from . import selectors
from .choices import GRADE_NAMES
from .workflow import VIEW


def _by_grade(user) -> dict:
    counts = selectors.counts_by_grade(user)
    overdue = selectors.overdue_duty_count(user)
    return {
        "option": charts.bars([GRADE_NAMES[g] for g in GRADE_NAMES], [
            charts.series(_("Installations"), [counts.get(g, 0) for g in GRADE_NAMES], color=charts.RED)]),
        "kpis": [
            charts.kpi("mhi-total", _("Major hazard installations"), sum(counts.values()), order=60),
            charts.kpi("mhi-overdue-duties", _("Overdue responsible-person duties"), overdue, order=61,
                       tone="danger"),
        ],
    }


cockpit_panels.register(CockpitPanel(key="major-hazards-by-grade",
                                     title=gettext_lazy("Major hazard installations by grade"), order=40,
                                     size="s", data=_by_grade, permission=VIEW))
