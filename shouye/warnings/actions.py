"""The acts on a warning, declared once for the pages and the API (shouye/core/actions.py)."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.core.actions import Action, ActionSet, register

from . import forms, selectors, services
from .api import serializers as s
from .workflow import WORKFLOW


def _acknowledge(actor, warning, data):
    """The unit given, or the caller's own unit of the warning that has not answered yet."""
    unit = data.get("unit")
    if unit is None:
        unit = selectors.own_units(actor, warning).filter(acknowledged_at__isnull=True).first()
        if unit is None:
            raise ValidationError({"unit": _("None of your units is waiting to acknowledge this warning.")})
    return services.acknowledge(actor=actor, warning=warning, unit=unit)


def _checklist_url(request, warning, result):
    return reverse("warnings:checklist", kwargs={"pk": warning.pk})


WARNING = register(ActionSet(
    key="warnings.warning", workflow=WORKFLOW, lookup=selectors.warning_detail, noun=gettext_lazy("warning"),
    detail_url=lambda warning: reverse("warnings:detail", kwargs={"pk": warning.pk}),
).add(
    Action("acknowledge", title=gettext_lazy("Acknowledge the warning"), button=gettext_lazy("Acknowledge"),
           success=gettext_lazy("The acknowledgement is recorded."), form=forms.AcknowledgeForm,
           serializer=s.AcknowledgeSerializer, perform=_acknowledge,
           summary="叫应 Acknowledge the warning for a notified unit (the caller's own; the bureau records one "
                   "taken by phone)"),
    Action("tick", title=gettext_lazy("Tick a measure"), button=gettext_lazy("Done"),
           success=gettext_lazy("The measure is updated."), form=forms.TickForm, serializer=s.TickSerializer,
           next_url=_checklist_url, prefixed=False,
           summary="勾选措施 Tick (or untick) a measure of a unit's response checklist",
           perform=lambda actor, warning, data: services.tick(actor=actor, warning=warning, item=data["item"],
                                                              done=data.get("done", True))),
    Action("adjust", title=gettext_lazy("Adjust the level"), button=gettext_lazy("Adjust"),
           success=gettext_lazy("The level is adjusted and the checklists recomputed."), form=forms.AdjustForm,
           serializer=s.AdjustSerializer,
           summary="调整级别 Adjust the warning's level (Art. 70); every unit's checklist is recomputed",
           perform=lambda actor, warning, data: services.adjust_level(
               actor=actor, warning=warning, level=int(data["level"]), note=data.get("note", ""))),
    Action("enterprise-acknowledge", title=gettext_lazy("Acknowledge for your enterprise"),
           button=gettext_lazy("Acknowledge"), success=gettext_lazy("Your enterprise's acknowledgement is recorded."),
           form=forms.EnterpriseAcknowledgeForm, serializer=s.EnterpriseAcknowledgeSerializer,
           summary="企业叫应 Acknowledge the warning for the caller's own enterprises notified of it",
           perform=lambda actor, warning, data: services.acknowledge_as_enterprise(actor=actor, warning=warning)),
    Action("lift", title=gettext_lazy("Lift the warning"), button=gettext_lazy("Lift the warning"),
           success=gettext_lazy("The warning is lifted: the warning period has ended."), form=forms.LiftForm,
           serializer=s.LiftSerializer,
           summary="解除预警 Lift the warning, ending the warning period (Art. 70)",
           perform=lambda actor, warning, data: services.lift_warning(
               actor=actor, warning=warning, note=data.get("note", ""))),
))
