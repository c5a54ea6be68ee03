"""The enterprise ledger page's panel (一企一账; issue 13: "Alarm handling quality feeds the enterprise's ledger
page"): the enterprise's alarms of the last :data:`DAYS` days by level, its acknowledgement time (median and
p90), the acknowledgements missed, the false-alarm rate, its open alarms and its points offline now, with a link to
the statistics filtered to it (``statistics.py`` computes every figure, the same as the statistics page).

Which enterprises: the panel may not query to decide (core ``Panel.applies_to``), so it is shown for the
enterprises the monitoring requirements concern, read from the loaded row: a major hazard installation's
enterprise (tag ``mhi``; 40号令 Art. 13 requires its readings, REGULATIONS-2 §B.3), or a chemical enterprise (the
hazardous-chemicals industry, gas stations among them, whose video the bureau connects, §D.2). One without points
or cameras sees "no alarm"."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy

from shouye.core.registry import Panel, enterprise_panels
from shouye.enterprises.chemical import is_chemical

from . import statistics as stats
from .models import Alarm, PointStatus
from .workflow import VIEW

DAYS = 30
MONITORED_TAG_CODES = ("mhi",)


def applies_to(enterprise) -> bool:
    """From the row the ledger page loaded (its industry selected, its tags prefetched): no query."""
    return is_chemical(enterprise) or any(tag.code in MONITORED_TAG_CODES for tag in enterprise.tags.all())


def enterprise_summary(user, enterprise, now=None) -> dict:
    """The last :data:`DAYS` days' figures (one query on PostgreSQL, two on SQLite) and the offline points now
    (one query)."""
    now = now or timezone.now()
    alarms = Alarm.objects.visible_to(user).filter(enterprise=enterprise, raised_at__gte=now - timedelta(days=DAYS))
    figures = stats.summarise(alarms.order_by(), now)
    offline = PointStatus.objects.visible_to(user).filter(point__enterprise=enterprise, is_offline=True).count()
    return {"days": DAYS, "enterprise": enterprise, **figures, "offline_points": offline}


def _shown_to(user) -> bool:
    return user.has_perm(VIEW)


def _context(request, enterprise) -> dict:
    return enterprise_summary(request.user, enterprise)


enterprise_panels.register(Panel(key="alarms", title=gettext_lazy("Alarms and their handling (last 30 days)"),
                                 template="monitoring/panels/enterprise.html", context=_context, order=55,
                                 condition=_shown_to, applies_to=applies_to))
