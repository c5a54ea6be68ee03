"""The inspections app's blocks on pages of lower apps: the enterprise's latest inspections on its ledger page
(一企一账), and the enforcement documents about a hazard on the hazard's page, where the enterprise user
finds the orders it was served."""

from django.utils.translation import gettext_lazy as _

from shouye.core.registry import Panel, enterprise_panels, hazard_panels

from . import selectors
from .services import START


def _enterprise_context(request, enterprise) -> dict:
    user = request.user
    return {"can_start": user.has_perm(START), "enterprise": enterprise,
            **selectors.enterprise_inspections(user, enterprise)}


enterprise_panels.register(Panel(key="inspections", title=_("Inspections"),
                                 template="inspections/panels/enterprise.html", context=_enterprise_context,
                                 order=30, condition=lambda user: user.has_perm("inspections.view_inspection")))


def _hazard_context(request, hazard) -> dict:
    user = request.user
    return {"documents": selectors.hazard_documents(user, hazard)}


hazard_panels.register(Panel(key="documents", title=_("Enforcement documents"),
                             template="inspections/panels/hazard_documents.html", context=_hazard_context,
                             order=10, condition=lambda user: user.has_perm("inspections.view_document")))
