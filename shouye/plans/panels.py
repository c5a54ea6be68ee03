"""The enterprise ledger page's panel (一企一账): the enterprise's drill category and clocks, its plans in force
and its latest drills, read through the scoped selectors."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from shouye.core.registry import Panel, enterprise_panels

from . import selectors
from .choices import LIVE_STATES
from .permissions import VIEW


def _enterprise_context(request, enterprise) -> dict:
    user = request.user
    unit = selectors.units(user).filter(enterprise=enterprise).first()
    plans = drills = []
    if unit is not None:
        plans = list(selectors.plans(user).filter(unit=unit, state__in=LIVE_STATES).order_by("kind", "id")[:20])
        drills = list(selectors.drills(user).filter(unit=unit).order_by("-planned_on")[:5])
    return {"enterprise": enterprise, "unit": unit, "plans": plans, "drills": drills,
            "today": timezone.localdate()}


enterprise_panels.register(Panel(key="plans", title=gettext_lazy("Emergency plans and drills"),
                                 template="plans/panels/enterprise.html", context=_enterprise_context,
                                 order=60, condition=lambda user: user.has_perm(VIEW)))
