"""The acts on a hazard and on a tip-off, declared once for the pages and the API (shouye/core/actions.py):
each names its service call, its page form and API serializer, its label and success message. The
workflow (workflow.py) decides who may take each in which state."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouye.core.actions import Action, ActionSet, register

from . import forms, selectors, services
from .api import serializers as s
from .workflow import TIPOFF_WORKFLOW, WORKFLOW


def _governance_plan(actor, hazard, data):
    """The page sends all six parts; the API's PUT replaces the plan, its POST writes the parts it names."""
    return services.save_governance_plan(actor=actor, hazard=hazard, **data)


#: In the order a hazard meets them (the page shows their forms in this order).
HAZARD = register(ActionSet(
    key="hazards.hazard", workflow=WORKFLOW, lookup=selectors.hazard_detail, noun=_("hazard"),
    detail_url=lambda hazard: reverse("hazards:detail", kwargs={"pk": hazard.pk}),
).add(
    Action("governance-plan", title=_("Governance plan"), button=_("Save the plan"),
           success=_("The governance plan is saved."), form=forms.GovernancePlanForm,
           serializer=s.GovernancePlanSerializer, perform=_governance_plan,
           summary="治理方案（部分）Write some parts of the governance plan of a major hazard"),
    Action("listed-supervision", title=_("Listed supervision"), button=_("Put under listed supervision"),
           success=_("The hazard is under listed supervision."), form=forms.ListedSupervisionForm,
           serializer=s.ListSupervisionSerializer, summary="挂牌督办 Put a major hazard under listed supervision",
           perform=lambda actor, hazard, data: services.list_for_supervision(actor=actor, hazard=hazard, **data)),
    Action("assign", title=_("Order rectification"), button=_("Order rectification"),
           success=_("Rectification ordered."), form=forms.AssignForm, serializer=s.AssignSerializer,
           summary="责令整改 Order rectification: deadline, responsible person, measures",
           perform=lambda actor, hazard, data: services.assign_rectification(actor=actor, hazard=hazard, **data)),
    Action("close-on-spot", title=_("Close on the spot"), button=_("Close on the spot"),
           success=_("The hazard is closed."), form=forms.CloseOnSpotForm, serializer=s.CloseOnSpotSerializer,
           multipart=True, summary="立查立改销号 Close an ordinary hazard on the spot with an after-photo",
           perform=lambda actor, hazard, data: services.close_on_spot(
               actor=actor, hazard=hazard, note=data["note"], photos=data.get("photos", []))),
    Action("submit", title=_("Submit the rectification"), button=_("Submit for re-inspection"),
           success=_("The rectification is submitted for re-inspection."), form=forms.SubmitForm,
           serializer=s.SubmitSerializer, multipart=True,
           summary="提交整改 Submit the rectification with after-photos",
           perform=lambda actor, hazard, data: services.submit_rectification(
               actor=actor, hazard=hazard, note=data["note"], photos=data.get("photos", []))),
    Action("request-extension", title=_("Ask for more time"), button=_("Request the extension"),
           success=_("The extension is requested."), form=forms.RequestExtensionForm,
           serializer=s.RequestExtensionSerializer, summary="申请延期 Ask for a later deadline",
           perform=lambda actor, hazard, data: services.request_extension(actor=actor, hazard=hazard, **data)),
    Action("approve-extension", title=_("Decide the extension request"),
           success=_("The extension request is decided."), form=forms.ApproveExtensionForm,
           serializer=s.ApproveExtensionSerializer, summary="审批延期 Approve or refuse an extension request",
           perform=lambda actor, hazard, data: services.approve_extension(actor=actor, **data)),
    Action("expert-verify", title=_("Expert verification"), button=_("Record the verification"),
           success=_("The expert verification is recorded."), form=forms.ExpertVerifyForm,
           serializer=s.ExpertVerifySerializer,
           summary="专家复核 Expert verification of a major hazard's rectification",
           perform=lambda actor, hazard, data: services.expert_verify(actor=actor, hazard=hazard, **data)),
    Action("verify", title=_("Pass the re-inspection"), button=_("Pass and close out"),
           success=_("The hazard is closed out."), form=forms.VerifyForm, serializer=s.VerifySerializer,
           summary="复查通过并销号 Pass the re-inspection and close the hazard",
           perform=lambda actor, hazard, data: services.verify_rectification(
               actor=actor, hazard=hazard, passed=True, note=data["note"])),
    Action("reject", title=_("Reject the rectification"), button=_("Reject"),
           success=_("The rectification is sent back."), form=forms.RejectForm, serializer=s.RejectSerializer,
           summary="复查不通过 Reject the rectification with a reason",
           perform=lambda actor, hazard, data: services.reject_rectification(
               actor=actor, hazard=hazard, reason=data["reason"])),
))

def _triage(actor, tip_off, data):
    return services.triage_tip_off(actor=actor, tip_off=tip_off, **data)


def _after_triage(request, tip_off, result) -> str:
    """An accepted tip-off continues on its hazard's page; a dismissed one back at the list."""
    if result.hazard_id:
        return reverse("hazards:detail", kwargs={"pk": result.hazard_id})
    return reverse("hazards:tip-offs")


TIPOFF = register(ActionSet(
    key="hazards.tipoff", workflow=TIPOFF_WORKFLOW, lookup=selectors.tip_offs, noun=_("tip-off"),
    detail_url=lambda tip_off: reverse("hazards:tip-off", kwargs={"pk": tip_off.pk}),
).add(
    Action("triage", step="accept", title=_("Triage"), form=forms.TriageForm, prefixed=False, serializer=s.TriageSerializer,
           summary="分拣举报 Triage: turn the tip-off into a hazard or dismiss it with a reason",
           success=lambda tip_off: (_("The tip-off is now a hazard in the ledger.") if tip_off.hazard_id
                                    else _("The tip-off is dismissed.")),
           perform=_triage, next_url=_after_triage),
    Action("send", title=_("Send to the township to check"), button=_("Send to the township"),
           form=forms.SendToTownshipForm, serializer=s.SendToTownshipSerializer,
           summary="转属地核查 Send the tip-off to the township's officers to check on site",
           success=_("The tip-off is sent to the township's officers to check."),
           perform=lambda actor, tip_off, data: services.send_tip_off_to_township(
               actor=actor, tip_off=tip_off, **data),
           next_url=lambda request, tip_off, result: reverse("hazards:tip-offs")),
))


def _after_check(request, tip_off, result) -> str:
    """A hazard found continues on the hazard's page; otherwise back at the township's list."""
    if result.hazard_id:
        return reverse("hazards:detail", kwargs={"pk": result.hazard_id})
    return reverse("hazards:tip-off-checks")


#: The township officer's check of a tip-off the bureau sent (found among the tip-offs sent to its township).
TIPOFF_CHECK = register(ActionSet(
    key="hazards.tipoff-check", workflow=TIPOFF_WORKFLOW, lookup=selectors.tip_offs_to_check,
    noun=_("tip-off"), detail_url=lambda tip_off: reverse("hazards:tip-off-check", kwargs={"pk": tip_off.pk}),
).add(
    Action("check", step="check-found", title=_("Result of the check"), form=forms.TipOffCheckForm,
           prefixed=False, summary="属地核查结果 The township's result of the check on site",
           success=lambda tip_off: (_("The tip-off is now a hazard in the ledger.") if tip_off.hazard_id
                                    else _("The check is recorded and the tip-off closed.")),
           perform=lambda actor, tip_off, data: services.record_tip_off_check(actor=actor, tip_off=tip_off,
                                                                              **data),
           next_url=_after_check),
))
