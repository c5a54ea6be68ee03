"""The cockpit's alarm panels (issue 13: "on the map layer and the cockpit panel"): the active alarms by township,
stacked by level (红/橙/黄/蓝, REGULATIONS-2 §B.5), with the active, overdue and offline figures in the header;
and the alarms raised per day over the last :data:`DAYS` days, by level. From the board's and the statistics'
selectors: a fixed number of queries whatever the number of alarms."""

from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.core import charts
from shouye.core.registry import CockpitPanel, cockpit_panels

from .board import ACTIVE, board_alarms, counts
from .choices import LEVEL_ORDER
from .statistics import start_of
from .workflow import BOARD

DAYS = 30
LEVEL_COLOURS = {"red": charts.RED, "orange": "#ff8c1a", "yellow": charts.AMBER, "blue": charts.BLUE}


def _active(user) -> dict:
    """Active alarms by township and level (one query), and the board's figures (two)."""
    rows = (board_alarms(user).filter(ACTIVE).values_list("township__name", "level").annotate(n=Count("id"))
            .order_by("township__name"))
    table: dict[str, dict[str, int]] = {}
    for township, level, n in rows:
        table.setdefault(township, {})[level] = n
    townships = sorted(table)
    series = [charts.series(str(level.label), [table[t].get(level.value, 0) for t in townships],
                            color=LEVEL_COLOURS[level.value], stack="level") for level in LEVEL_ORDER]
    figures = counts(user, timezone.now())["figures"]
    return {
        "option": charts.bars(townships, series, rotate=30),
        "kpis": [
            charts.kpi("alarms-active", _("Active alarms"), figures["active"], order=90, tone="danger"),
            charts.kpi("alarms-overdue", _("Acknowledgement overdue"), figures["overdue"], order=91, tone="warning"),
            charts.kpi("points-offline", _("Points offline"), figures["offline_points"], order=92),
        ],
    }


def _per_day(user) -> dict:
    """Alarms raised per day over the last :data:`DAYS` days by level (one query)."""
    today = timezone.localdate()
    first = today - timedelta(days=DAYS - 1)
    rows = (board_alarms(user).filter(raised_at__gte=start_of(first))
            .annotate(day=TruncDate("raised_at", tzinfo=timezone.get_current_timezone()))
            .values_list("day", "level").annotate(n=Count("id")).order_by())
    table = {(day, level): n for day, level, n in rows}
    days = [first + timedelta(days=i) for i in range(DAYS)]
    series = [charts.series(str(level.label), [table.get((day, level.value), 0) for day in days],
                            color=LEVEL_COLOURS[level.value], stack="level") for level in LEVEL_ORDER]
    return {"option": charts.bars([day.strftime("%m-%d") for day in days], series, rotate=45)}


cockpit_panels.register(CockpitPanel(key="alarms-active", title=gettext_lazy("Active alarms by township"),
                                     order=90, size="m", data=_active, permission=BOARD))
cockpit_panels.register(CockpitPanel(key="alarms-per-day", title=gettext_lazy("Alarms per day (30 days)"),
                                     order=91, size="m", data=_per_day, permission=BOARD))
