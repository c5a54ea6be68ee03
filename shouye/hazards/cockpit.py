"""The hazards' cockpit panels (驾驶舱, issue 10): hazards found and closed out by month over the last twelve
months, and rectification and on-time rates by township this year, with the header's figures (open, overdue,
major hazards open, rectification rate). Read through the statistics' selectors, which count from the daily
totals (``shouye.hazards.totals``) in a fixed number of grouped queries."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.core import charts
from shouye.core.registry import CockpitPanel, cockpit_panels

from . import selectors

VIEW = "hazards.view_hazard"
#: Months the trend shows, this one included.
TREND_MONTHS = 12


def _as_percent(rate):
    return None if rate is None else round(rate * 100, 1)


def _trend(user) -> dict:
    today = timezone.localdate()
    first = date(today.year - (1 if today.month < TREND_MONTHS else 0), (today.month - TREND_MONTHS) % 12 + 1, 1)
    rows = selectors.monthly_counts(user, date_from=first, date_to=today)
    return {"option": charts.bars([row["month"] for row in rows], [
        charts.series(_("Found"), [row["found"] for row in rows], color=charts.BLUE),
        charts.series(_("Of which closed out"), [row["closed"] for row in rows], color=charts.GREEN),
        charts.series(_("Rectification rate"), [_as_percent(row["rectification_rate"]) for row in rows],
                      color=charts.CYAN, kind="line", percent=True),
    ], every_label=False)}


def _by_township(user) -> dict:
    """This year's hazards by township (the statistics of ``selectors.hazard_stats``), and the header's figures:
    hazards open now, overdue now and major ones open, whenever found, and this year's rectification rate."""
    today = timezone.localdate()
    stats = selectors.hazard_stats(user, date_from=date(today.year, 1, 1), date_to=today, today=today,
                                   group_by=("township",))
    rows = stats["by_township"]
    open_now = selectors.open_hazard_counts(user, today)
    return {
        "option": charts.bars([row["name"] for row in rows], [
            charts.series(_("Found"), [row["found"] for row in rows], color=charts.BLUE),
            charts.series(_("Closed out"), [row["closed"] for row in rows], color=charts.GREEN),
            charts.series(_("Overdue now"), [row["overdue_now"] for row in rows], color=charts.RED),
            charts.series(_("Rectification rate"), [_as_percent(row["rectification_rate"]) for row in rows],
                          color=charts.CYAN, kind="line", percent=True),
            charts.series(_("On-time rate"), [_as_percent(row["on_time_rate"]) for row in rows],
                          color=charts.AMBER, kind="line", percent=True),
        ], rotate=35),
        "kpis": [
            charts.kpi("hazards-open", _("Open hazards"), open_now["open"], order=20),
            charts.kpi("hazards-overdue", _("Overdue"), open_now["overdue"], order=30, tone="danger"),
            charts.kpi("hazards-major", _("Major hazards open"), open_now["major"], order=40, tone="danger"),
            charts.kpi("rectification-rate", _("Rectification rate this year"),
                       _as_percent(stats["rectification_rate"]), order=50, unit="%"),
        ],
    }


cockpit_panels.register(CockpitPanel(key="hazards-trend", title=gettext_lazy("Hazards by month found"),
                                     order=10, size="l", data=_trend, permission=VIEW))
cockpit_panels.register(CockpitPanel(key="hazards-by-township",
                                     title=gettext_lazy("Rectification by township, this year"),
                                     order=20, size="l", data=_by_township, permission=VIEW))
