"""The enterprise ledger page's panel (一企一账): the enterprise's major hazard installations with their grade
and its overdue responsible-person duties, read through the scoped selectors."""

from django.utils.translation import gettext_lazy

from shouye.core.registry import Panel, enterprise_panels

from . import selectors
from .workflow import MANAGE, VIEW


def _enterprise_context(request, enterprise) -> dict:
    user = request.user
    rows = list(selectors.installations(user).filter(enterprise=enterprise).order_by("grade", "id")[:20])
    overdue = selectors.overdue_duty_count(user, enterprise=enterprise)
    return {"enterprise": enterprise, "rows": rows, "overdue": overdue,
            "can_create": user.has_perm(MANAGE)}


enterprise_panels.register(Panel(key="major-hazards", title=gettext_lazy("Major hazard installations"),
                                 template="major_hazards/panels/enterprise.html", context=_enterprise_context,
                                 order=45, condition=lambda user: user.has_perm(VIEW)))
