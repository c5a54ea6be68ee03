"""The inspections panel on the enterprise ledger page (一企一账): the enterprise's latest inspections."""

from django.utils.translation import gettext_lazy as _

from shouye.core.registry import Panel, enterprise_panels

from . import selectors
from .services import START


def _enterprise_context(request, enterprise) -> dict:
    user = request.user
    if not user.has_perm("inspections.view_inspection"):
        return {"visible": False}
    return {"visible": True, "can_start": user.has_perm(START), "enterprise": enterprise,
            **selectors.enterprise_inspections(user, enterprise)}


enterprise_panels.register(Panel(key="inspections", title=_("Inspections"),
                                 template="inspections/panels/enterprise.html", context=_enterprise_context,
                                 order=30))
