"""The enterprise ledger page's panel (一企一账): the enterprise's rescue teams and warehouses, and the rescue
agreements that bind a team to it (708号令 Art. 10), read through the scoped selectors."""

from django.utils.translation import gettext_lazy

from shouye.core.registry import Panel, enterprise_panels

from . import selectors
from .models import TeamAgreement
from .permissions import VIEW_TEAM


def _enterprise_context(request, enterprise) -> dict:
    user = request.user
    return {"teams": list(selectors.teams(user).filter(enterprise=enterprise).order_by("name")[:20]),
            "warehouses": list(selectors.warehouse_detail(user).filter(enterprise=enterprise).order_by("name")[:20]),
            "agreements": list(TeamAgreement.objects.visible_to(user).filter(enterprise=enterprise)
                               .select_related("team").order_by("-ends_on")[:20])}


enterprise_panels.register(Panel(key="resources", title=gettext_lazy("Rescue forces and reserves"),
                                 template="resources/panels/enterprise.html", context=_enterprise_context,
                                 order=70, condition=lambda user: user.has_perm(VIEW_TEAM)))
