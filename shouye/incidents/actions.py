"""The acts on an incident, declared once for the pages and the API (shouye/core/actions.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouye.core.actions import Action, ActionSet, register

from . import assignments, forms, investigation, selectors, services, site, site_forms
from .api import serializers as s
from .api import site_serializers as ss
from .workflow import TASK_WORKFLOW, WORKFLOW


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

# The response's tasks, the investigation report's extension and the on-site acts (issue 14).
INCIDENT.add(
    Action("assign-task", title=_("Give a task to a township or department"), button=_("Assign"),
           success=_("The task is assigned and the unit notified."), form=site_forms.AssignTaskForm,
           serializer=ss.AssignTaskSerializer, api_path="tasks",
           summary="派发任务 A task to a township or department, which must acknowledge it",
           perform=lambda actor, incident, data: assignments.assign_task(actor=actor, incident=incident, **data)),
    Action("extend-investigation", title=_("Extend the investigation report"), button=_("Extend"),
           success=_("The investigation report's due date is moved."), form=site_forms.ExtendInvestigationForm,
           serializer=ss.ExtendInvestigationSerializer,
           summary="调查报告延期 Extend the investigation report (at most 60 days in all, 493号令 Art. 29)",
           perform=lambda actor, incident, data: investigation.extend_investigation(actor=actor, incident=incident,
                                                                                    **data)),
    Action("position", title=_("Report the position on site"), button=_("Report the position"),
           success=_("The position is recorded."), form=site_forms.PositionForm,
           serializer=ss.PositionSerializer, prefixed=False,
           summary="现场位置 The position on site; moves the incident's point on the map",
           perform=lambda actor, incident, data: site.report_position(actor=actor, incident=incident, **data)),
    Action("photos", title=_("Add photos from the site"), button=_("Upload"), success=_("The photos are added."),
           form=site_forms.PhotosForm, serializer=ss.PhotosSerializer, multipart=True,
           summary="现场照片 Photos from the site (JPEG, PNG or WebP)",
           perform=lambda actor, incident, data: site.add_photos(actor=actor, incident=incident, **data)),
)

TASK = register(ActionSet(
    key="incidents.task", workflow=TASK_WORKFLOW, lookup=selectors.tasks, noun=_("task"),
    detail_url=lambda task: reverse("incidents:task", kwargs={"pk": task.pk}),
).add(
    Action("acknowledge", title=_("Acknowledge the task"), button=_("Acknowledge"),
           success=_("The task is acknowledged."), form=site_forms.AcknowledgeTaskForm,
           serializer=ss.AcknowledgeTaskSerializer, summary="签收 The unit acknowledges the task",
           perform=lambda actor, task, data: assignments.acknowledge_task(actor=actor, task=task)),
    Action("complete", title=_("Report the task done"), button=_("Report done"),
           success=_("The task is reported done."), form=site_forms.CompleteTaskForm,
           serializer=ss.CompleteTaskSerializer, summary="办结 The unit reports the task done, with what it did",
           perform=lambda actor, task, data: assignments.complete_task(actor=actor, task=task, **data)),
))
