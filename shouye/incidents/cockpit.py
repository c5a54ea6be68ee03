"""The cockpit's incidents panel (issue 14): the active incidents, newest first, each with its grade and the
soonest open reporting clock and what is dispatched to it (teams out there, materials sent); the header counts
the active incidents and the clocks already overdue. Three queries whatever the number of incidents."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.core import charts
from shouye.core.registry import CockpitPanel, cockpit_panels

from .choices import ACTIVE_STATES, ClockState
from .response import dispatched_text, dispatched_to
from .selectors import incidents
from .workflow import VIEW

#: Incidents the panel lists.
TOP = 8


def _active(user) -> dict:
    now = timezone.now()
    active = incidents(user).filter(state__in=ACTIVE_STATES)
    rows = list(active.annotate(next_due=Min("clocks__due_at", filter=Q(clocks__state=ClockState.OPEN)))
                .order_by("-occurred_at", "-id")[:TOP])
    figures = active.aggregate(
        active=Count("id", distinct=True),
        overdue=Count("clocks", filter=Q(clocks__state=ClockState.OPEN, clocks__due_at__lt=now)))
    dispatched = dispatched_to([row.pk for row in rows])
    return {
        "rows": [{"time": timezone.localtime(row.occurred_at).strftime("%m-%d %H:%M"),
                  "text": f"{row.get_grade_display()} · {row.title} · {row.township.name}"
                          + (f" · {_('next clock')} {timezone.localtime(row.next_due):%H:%M}" if row.next_due else "")
                          + (f" · {sent}" if (sent := dispatched_text(dispatched[row.pk])) else ""),
                  "url": reverse("incidents:detail", kwargs={"pk": row.pk})} for row in rows],
        "kpis": [charts.kpi("incidents-active", _("Active incidents"), figures["active"], order=5, tone="danger"),
                 charts.kpi("incidents-clocks-overdue", _("Reporting clocks overdue"), figures["overdue"], order=6,
                            tone="warning")],
    }


cockpit_panels.register(CockpitPanel(key="incidents-active", title=gettext_lazy("Active incidents"), order=5,
                                     size="m", data=_active, permission=VIEW))
