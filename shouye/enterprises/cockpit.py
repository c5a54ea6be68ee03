"""The registry's cockpit panels (驾驶舱, issue 10): enterprises by township, industry and supervision grade, and
licences expiring. Each panel is one grouped query over the actor's scope."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.core import charts
from shouye.core.registry import CockpitPanel, cockpit_panels

from . import selectors
from .models import Licence

VIEW = "enterprises.view_enterprise"
#: The licence panel's bands, in days before the end of validity, up to SHOUYE_LICENCE_WARNING_DAYS.
LICENCE_BANDS = (30, 60)


def _by_township(user) -> dict:
    rows = selectors.counts_by(user, "township__code", "township__name")
    return {"option": charts.bars([row["label"] for row in rows],
                                  [charts.series(_("Enterprises"), [row["count"] for row in rows],
                                                 color=charts.BLUE)], rotate=35),
            "kpis": [charts.kpi("enterprises", _("Enterprises"), sum(row["count"] for row in rows), order=10)]}


def _by_industry(user) -> dict:
    rows = selectors.counts_by(user, "industry__order", "industry__name")
    return {"option": charts.ring((row["label"], row["count"]) for row in rows)}


def _by_grade(user) -> dict:
    """Grades A–D (the supervision grade sets how often an enterprise is inspected), then the ungraded."""
    rows = selectors.counts_by(user, "supervision_grade__code", "supervision_grade__name")
    graded = [row for row in rows if row["key"]]
    ungraded = sum(row["count"] for row in rows if not row["key"])
    items = [(row["label"] or row["key"], row["count"]) for row in graded]
    if ungraded:
        items.append((_("Not graded"), ungraded))
    return {"option": charts.ring(items)}


def _licences(user) -> dict:
    """Licences already expired and those ending within 30, 60 and SHOUYE_LICENCE_WARNING_DAYS days (the same
    warning period as the enterprise's page), counted in one query."""
    today = timezone.localdate()
    horizon = settings.SHOUYE_LICENCE_WARNING_DAYS
    limits = [days for days in LICENCE_BANDS if days < horizon] + [horizon]
    counts = {"expired": Count("id", filter=Q(valid_to__lt=today))}
    start = 0
    for days in limits:
        counts[f"within_{days}"] = Count("id", filter=Q(valid_to__gte=today + timedelta(days=start),
                                                       valid_to__lte=today + timedelta(days=days)))
        start = days + 1
    totals = (Licence.objects.visible_to(user).filter(valid_to__lte=today + timedelta(days=horizon))
              .aggregate(**counts))
    labels = [_("Expired")]
    start = 0
    for days in limits:
        labels.append(_("%(first)d–%(last)d days") % {"first": start, "last": days})
        start = days + 1
    values = [totals["expired"]] + [totals[f"within_{days}"] for days in limits]
    colours = [charts.RED] + [charts.AMBER] * len(limits)
    option = charts.bars(labels, [charts.series(_("Licences"), values, color=charts.AMBER)])
    option["series"][0]["data"] = [{"value": value, "itemStyle": {"color": colour}}
                                   for value, colour in zip(values, colours, strict=True)]
    expiring = sum(values[1:])
    return {"option": option,
            "kpis": [charts.kpi("licences-expiring", _("Licences expiring"), expiring, order=70,
                                tone="warning"),
                     charts.kpi("licences-expired", _("Licences expired"), totals["expired"], order=80,
                                tone="danger")]}


cockpit_panels.register(CockpitPanel(key="enterprises-by-township", title=gettext_lazy("Enterprises by township"),
                                     order=30, size="m", data=_by_township, permission=VIEW))
cockpit_panels.register(CockpitPanel(key="enterprises-by-industry", title=gettext_lazy("Enterprises by industry"),
                                     order=60, size="m", data=_by_industry, permission=VIEW))
cockpit_panels.register(CockpitPanel(key="enterprises-by-grade",
                                     title=gettext_lazy("Enterprises by supervision grade"),
                                     order=70, size="m", data=_by_grade, permission=VIEW))
cockpit_panels.register(CockpitPanel(key="licences-expiring", title=gettext_lazy("Licences expiring"),
                                     order=80, size="m", data=_licences, permission=VIEW))
