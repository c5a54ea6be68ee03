"""The acts on an installation, declared once for the pages and the API (shouye/core/actions.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouye.core.actions import Action, ActionSet, register

from . import forms, selectors, services
from .api import serializers as s
from .workflow import WORKFLOW


def _edit(actor, installation, data):
    fields = {name: data.get(name) for name in services.EDITABLE}
    fields["location"] = fields["location"] or ""
    return services.update_installation(actor=actor, installation=installation, **fields)


INSTALLATION = register(ActionSet(
    key="major_hazards.installation", workflow=WORKFLOW, lookup=selectors.installation_detail,
    noun=_("major hazard installation"),
    detail_url=lambda installation: reverse("major_hazards:detail", kwargs={"pk": installation.pk}),
).add(
    Action("add-substance", title=_("Add a substance"), button=_("Add and recompute"),
           success=_("The substance is added and the installation recomputed."), form=forms.AddSubstanceForm,
           serializer=s.SubstanceInputSerializer,
           summary="增加物质并重新辨识 Add a substance to the inventory and recompute (GB 18218-2018)",
           perform=lambda actor, installation, data: services.add_substance(
               actor=actor, installation=installation, name=data.get("name", ""),
               category=data.get("category", ""), quantity_t=data["quantity_t"])),
    Action("remove-substance", title=_("Remove a substance"), button=_("Remove"),
           success=_("The substance is removed and the installation recomputed."),
           form=forms.RemoveSubstanceForm, serializer=s.RemoveSubstanceSerializer,
           summary="删除物质并重新辨识 Remove a substance from the inventory and recompute",
           perform=lambda actor, installation, data: services.remove_substance(
               actor=actor, installation=installation, substance=data["substance"])),
    Action("appoint", title=_("Appoint a responsible person"), button=_("Appoint"),
           success=_("The responsible person is appointed."), form=forms.AppointForm,
           serializer=s.AppointSerializer,
           summary="任命包保责任人 Appoint the principal, technical or operational responsible person (their "
                   "duties become investigation tasks of the linked user account)",
           perform=lambda actor, installation, data: services.appoint_person(
               actor=actor, installation=installation, **data)),
    Action("edit", title=_("Edit the installation"), button=_("Save"), success=_("The installation is saved."),
           form=forms.EditForm, serializer=s.EditSerializer, perform=_edit,
           summary="修改重大危险源 Edit the installation (a change of the exposed population recomputes)"),
    Action("filing", title=_("Record the filing"), button=_("Record the filing"),
           success=_("The filing is recorded."), form=forms.FileForm, serializer=s.FileSerializer,
           summary="备案 Record the filing of a major hazard installation",
           perform=lambda actor, installation, data: services.file_installation(
               actor=actor, installation=installation, **data)),
    Action("cancel", title=_("Cancel the installation"), button=_("Cancel the installation"),
           success=_("The installation is cancelled."), form=forms.CancelForm, serializer=s.CancelInstallationSerializer,
           summary="核销 Cancel a major hazard installation with a reason",
           perform=lambda actor, installation, data: services.cancel_installation(
               actor=actor, installation=installation, **data)),
))
