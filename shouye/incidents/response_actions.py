"""The response's acts on an incident (response.py), declared once for the pages and the API
(shouye/core/actions.py). They share the incident's workflow; the incident's page shows them in its "Response"
panel (nearest forces, dispatches, plans) rather than as generic forms."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouye.core.actions import Action, ActionSet, register

from . import response, response_forms, selectors
from .api import response_serializers as s
from .workflow import WORKFLOW

RESPONSE = register(ActionSet(
    key="incidents.response", workflow=WORKFLOW, lookup=selectors.incident_detail, noun=_("incident"),
    detail_url=lambda incident: reverse("incidents:detail", kwargs={"pk": incident.pk}),
).add(
    Action("dispatch-team", title=_("Dispatch a team"), button=_("Dispatch"),
           success=lambda row: _("%(team)s is dispatched.") % {"team": row.team.name},
           form=response_forms.DispatchTeamForm, serializer=s.IncidentDispatchTeamSerializer,
           summary="派遣队伍 Dispatch a ready team (the team becomes deployed); 409 when it is not ready",
           perform=lambda actor, incident, data: response.dispatch_team(actor=actor, incident=incident, **data)),
    Action("dispatch-items", title=_("Dispatch materials"), button=_("Dispatch"),
           success=_("The materials are dispatched."), form=response_forms.DispatchItemsForm,
           serializer=s.IncidentDispatchItemsSerializer,
           summary="调拨物资 Dispatch a quantity of an item from a warehouse; 409 when the stock is short",
           perform=lambda actor, incident, data: response.dispatch_items(actor=actor, incident=incident, **data)),
    Action("return-team", title=_("Return a team"), button=_("Returned"),
           success=_("The team is back and ready."), form=response_forms.ReturnTeamForm,
           serializer=s.IncidentReturnTeamSerializer,
           summary="队伍归队 The team is back at the end of its task: ready again, its dispatch closed",
           perform=lambda actor, incident, data: response.return_team(actor=actor, incident=incident, **data)),
    Action("activate-plan", title=_("Activate a plan"), button=_("Activate"),
           success=_("The plan is activated."), form=response_forms.ActivatePlanForm,
           serializer=s.IncidentActivatePlanSerializer,
           summary="启动预案 Activate one of the emergency plans that apply; recorded on the timeline",
           perform=lambda actor, incident, data: response.activate_plan(actor=actor, incident=incident, **data)),
))
