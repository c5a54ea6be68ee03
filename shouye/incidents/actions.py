"""The acts on an incident, declared once for the pages and the API (shouye/core/actions.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouye.core.actions import Action, ActionSet, register

from . import forms, selectors, services
from .api import serializers as s
from .workflow import WORKFLOW


def _update(actor, incident, data):
    return services.update_situation(actor=actor, incident=incident, **data)


INCIDENT = register(ActionSet(
    key="incidents.incident", workflow=WORKFLOW, lookup=selectors.incident_detail, noun=_("incident"),
    detail_url=lambda incident: reverse("incidents:detail", kwargs={"pk": incident.pk}),
).add(
    Action("situation", title=_("Update the situation"), button=_("Save"), success=_("The situation is updated."),
           form=forms.UpdateForm, serializer=s.IncidentUpdateSerializer, perform=_update,
           summary="续报内容 Casualties, loss and development; re-grades the incident and its clocks"),
    Action("entry", title=_("Add to the timeline"), button=_("Add"), success=_("Added to the timeline."),
           form=forms.EntryForm, serializer=s.IncidentEntrySerializer, api_path="entries",
           summary="时间线 A call, decision, task or note",
           perform=lambda actor, incident, data: services.add_entry(actor=actor, incident=incident, **data)),
    Action("report", title=_("Record a report sent"), button=_("Record"), success=_("The report is recorded."),
           form=forms.ReportForm, serializer=s.IncidentReportSerializer, api_path="reports",
           summary="快报/续报/终报 A report sent: what, to whom, when; meets the clocks it answers",
           perform=lambda actor, incident, data: services.record_report(actor=actor, incident=incident, **data)),
    Action("command-post", title=_("Set up the command post"), button=_("Save"),
           success=_("The command post is recorded."), form=forms.CommandPostForm,
           serializer=s.IncidentCommandPostSerializer, summary="现场指挥部 The on-site command post and commander",
           perform=lambda actor, incident, data: services.set_command_post(actor=actor, incident=incident,
                                                                           **data)),
    Action("close", title=_("Close the incident"), button=_("Close"), success=_("The incident is closed."),
           form=forms.CloseForm, serializer=s.IncidentCloseSerializer, summary="结束响应 Close with a summary",
           perform=lambda actor, incident, data: services.close_incident(actor=actor, incident=incident,
                                                                         **data)),
))
