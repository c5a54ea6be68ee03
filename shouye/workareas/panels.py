"""The enterprise's 一企一账 for chemicals (issue 11): on its ledger page, its high-risk work areas with their
occupancy, and the people of its personnel ledger with their certificate flags. On the page of a chemical
enterprise only (``shouye.enterprises.chemical``, the panel's ``applies_to``), for a user who may read the ledger; read through
the scoped selectors only."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from shouye.core.registry import Panel, enterprise_panels
from shouye.enterprises.chemical import is_chemical
from shouye.enterprises.masking import sees_personal_data

from . import selectors

VIEW = "workareas.view_worker"
#: People the panel lists; the ledger filtered to the enterprise shows them all.
PANEL_ROWS = 20


def _shown_to(user) -> bool:
    return user.has_perm(VIEW) and user.has_perm("workareas.view_workarea")


def _context(request, enterprise) -> dict:
    user = request.user
    today = timezone.localdate()
    summary = selectors.ledger_summary(user, enterprise, today, PANEL_ROWS)
    return {"enterprise": enterprise, "today": today, "masked": not sees_personal_data(user),
            "can_edit": user.has_perm("workareas.add_worker"), **summary}


enterprise_panels.register(Panel(key="workareas", title=gettext_lazy("High-risk work areas and people"),
                                 template="workareas/panels/enterprise.html", context=_context, order=60,
                                 condition=_shown_to, applies_to=is_chemical))
