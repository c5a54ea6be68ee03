"""The enterprise ledger's (一企一账) four-colour map: a small read-only view of the enterprise's current
plant plan with its zones coloured (issue 11), read through the scoped selectors only."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from shouye.core.registry import Panel, enterprise_panels

from .selectors import plans as selectors

VIEW = "risks.view_riskpoint"
MANAGE = "risks.manage_risk_list"


def _enterprise_context(request, enterprise) -> dict:
    user = request.user
    plan = selectors.current_plan(user, enterprise)
    context = {"enterprise": enterprise, "plan": plan, "can_upload": user.has_perm(MANAGE)}
    if plan is None:
        return context
    zones = selectors.plan_zones(user, plan)
    return context | {
        "zones": zones, "legend": selectors.legend(zones),
        "plan_data": {"image": plan.image.url, "width": plan.width, "height": plan.height, "plan": plan.pk,
                      "zones": [zone.as_json() for zone in zones], "api": reverse("plan-zone-list"),
                      "editable": False},
    }


enterprise_panels.register(Panel(key="risk-map", title=gettext_lazy("Four-colour risk map"),
                                 template="risks/plans/panels/enterprise.html", context=_enterprise_context,
                                 order=35, condition=lambda user: user.has_perm(VIEW)))
