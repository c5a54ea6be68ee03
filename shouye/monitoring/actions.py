"""The acts on an alarm, declared once for the pages, the duty console and the API (shouye/core/actions.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouye.core.actions import Action, ActionSet, register

from . import forms, selectors, services
from .api import serializers as s
from .workflow import WORKFLOW


def _handling(service):
    def perform(actor, alarm, data):
        return service(actor=actor, alarm=alarm, cause=data.get("cause", ""), measures=data.get("measures", ""),
                       photos=data.get("photos", []))
    return perform


ALARM = register(ActionSet(
    key="monitoring.alarm", workflow=WORKFLOW, lookup=selectors.alarms, noun=_("alarm"),
    detail_url=lambda alarm: reverse("monitoring:alarm-detail", kwargs={"pk": alarm.pk}),
).add(
    Action("acknowledge", title=_("Acknowledge"), button=_("Acknowledge"), success=_("The alarm is acknowledged."),
           form=forms.NoteForm, serializer=s.AlarmNoteSerializer, summary="确认报警 Acknowledge a raised alarm",
           perform=lambda actor, alarm, data: services.acknowledge_alarm(actor=actor, alarm=alarm, **data)),
    Action("handle", title=_("Handle"), button=_("Start handling"), success=_("The handling is recorded."),
           form=forms.HandlingForm, serializer=s.AlarmHandlingSerializer, multipart=True,
           summary="处置报警 Start handling: the cause found, the measures taken, photos",
           perform=_handling(services.start_handling)),
    Action("record", title=_("Add to the handling"), button=_("Add"), success=_("The handling is recorded."),
           form=forms.HandlingForm, serializer=s.AlarmHandlingSerializer, multipart=True,
           summary="补充处置 More cause, measures or photos while the alarm is handled",
           perform=_handling(services.record_handling)),
    Action("clear", title=_("Clear"), button=_("Clear the alarm"), success=_("The alarm is cleared."),
           form=forms.NoteForm, serializer=s.AlarmNoteSerializer,
           summary="消警 Clear: a video alarm always; a sensor alarm when its rule clears by hand or its value is "
                   "back within limits",
           perform=lambda actor, alarm, data: services.clear_alarm(actor=actor, alarm=alarm, **data)),
    Action("close", title=_("Close"), button=_("Close the alarm"), success=_("The alarm is closed."),
           form=forms.CloseForm, serializer=s.AlarmCloseSerializer,
           summary="关闭报警 Close a cleared alarm with its disposition (real / false / maintenance / test)",
           perform=lambda actor, alarm, data: services.close_alarm(actor=actor, alarm=alarm, **data)),
    Action("report-hazard", title=_("Report a hazard"), button=_("Report the hazard"),
           success=_("The hazard is reported."), form=forms.ReportHazardForm, serializer=s.AlarmReportHazardSerializer,
           summary="转隐患 Report a general hazard of the enterprise from the alarm (once)",
           next_url=lambda request, alarm, hazard: reverse("hazards:detail", kwargs={"pk": hazard.pk}),
           perform=lambda actor, alarm, data: services.report_hazard_from_alarm(actor=actor, alarm=alarm, **data)),
))
