"""The enterprise's 一企一账 for chemicals (issue 11): on its ledger page, its high-risk work areas with their
occupancy, and the people of its personnel ledger with their certificate flags. Shown only for a chemical
enterprise (``eligibility``) to a user who may read the ledger; read through the scoped selectors only."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from shouye.core.registry import Panel, enterprise_panels
from shouye.enterprises.masking import sees_personal_data

from . import selectors
from .eligibility import is_chemical

VIEW = "workareas.view_worker"
#: People the panel lists; the ledger filtered to the enterprise shows them all.
PANEL_ROWS = 20


def _shown_to(user) -> bool:
    return user.has_perm(VIEW) and user.has_perm("workareas.view_workarea")


def _context(request, enterprise) -> dict:
    user = request.user
    if not _shown_to(user) or not is_chemical(enterprise):
        return {"visible": False}
    today = timezone.localdate()
    summary = selectors.ledger_summary(user, enterprise, today, PANEL_ROWS)
    return {"visible": True, "enterprise": enterprise, "today": today, "masked": not sees_personal_data(user),
            "can_edit": user.has_perm("workareas.add_worker"), **summary}


enterprise_panels.register(Panel(key="workareas", title=gettext_lazy("High-risk work areas and people"),
                                 template="workareas/panels/enterprise.html", context=_context, order=60,
                                 condition=_shown_to))
