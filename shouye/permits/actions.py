"""The acts on a permit, declared once for the pages and the API (shouye/core/actions.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouye.core.actions import Action, ActionSet, register

from . import forms, selectors, services
from .api import serializers as s
from .workflow import WORKFLOW


def _edit(actor, permit, data):
    fields = {name: data[name] for name in services.HEADER if name in data}
    return services.edit_permit(actor=actor, permit=permit, details=data.get("details", {}),
                                grade=data.get("grade", ""), people=data.get("people", []), **fields)


def _gas_test(actor, permit, data):
    return services.record_gas_test(actor=actor, permit=permit, **data)


def _signing(act: str):
    def perform(actor, permit, data):
        return services.sign_permit(actor=actor, permit=permit, act=act, step=data.get("step", ""),
                                    name=data["name"], opinion=data.get("opinion", ""), level=data.get("level", ""),
                                    latitude=data.get("latitude"), longitude=data.get("longitude"),
                                    accuracy_m=data.get("accuracy_m"), image=data.get("image"),
                                    video_url=data.get("video_url", ""), signed_at=data.get("signed_at"))
    return perform


PERMIT = register(ActionSet(
    key="permits.permit", workflow=WORKFLOW, lookup=selectors.permit_detail, noun=_("permit"),
    detail_url=lambda permit: reverse("permits:detail", kwargs={"pk": permit.pk}),
).add(
    Action("edit", title=_("Edit the draft"), button=_("Save"), success=_("The draft is saved."),
           form=forms.EditForm, serializer=s.PermitEditSerializer, perform=_edit, prefixed=False,
           summary="修改作业票（仅草稿：已签字的不得涂改，4.18）Edit a draft permit; the rules decide again"),
    Action("identify", title=_("Record the risk identification"), button=_("Save"),
           success=_("The risks are recorded."), form=forms.IdentifyForm, serializer=s.PermitIdentifySerializer,
           summary="风险辨识结果 Record the risks identified",
           perform=lambda actor, permit, data: services.identify_risks(actor=actor, permit=permit, **data)),
    Action("gas-test", title=_("Record a gas test"), button=_("Record"), success=_("The gas test is recorded."),
           form=forms.GasTestForm, serializer=s.PermitGasTestInputSerializer, perform=_gas_test, api_path="gas-tests",
           summary="气体分析 Record a gas analysis (its verdict by GB 30871-2022 5.3, 6.4 is stored)"),
    Action("confirm-measures", title=_("Confirm the safety measures"), button=_("Confirm"),
           success=_("The measures are confirmed."), form=forms.ConfirmMeasuresForm,
           serializer=s.PermitConfirmMeasuresSerializer,
           summary="安全措施确认 Each measure involved or not with its confirmer; other measures with their author",
           perform=lambda actor, permit, data: services.confirm_measures(actor=actor, permit=permit, **data)),
    Action("brief", title=_("Record the safety briefing"), button=_("Record"),
           success=_("The briefing is recorded."), form=forms.BriefForm, serializer=s.PermitBriefSerializer,
           summary="安全交底 Who briefed whom (4.4)",
           perform=lambda actor, permit, data: services.brief_permit(actor=actor, permit=permit, **data)),
    Action("sign", title=_("Sign"), button=_("Sign"), success=_("Signed."), form=forms.SignForm,
           serializer=s.PermitSignSerializer, perform=_signing("sign"),
           summary="签字 The next signature of the form's chain before the approval (in order only)"),
    Action("approve", title=_("Approve on site"), button=_("Approve"), success=_("The permit is approved."),
           form=forms.SignForm, serializer=s.PermitSignSerializer, perform=_signing("approve"),
           summary="审批 The approving signature: level (Table B.1), gas test within 30 min, video measure"),
    Action("check", title=_("Shift leader's check"), button=_("Checked"), success=_("The permit is checked."),
           form=forms.SignForm, serializer=s.PermitSignSerializer, perform=_signing("check"),
           summary="动火前岗位当班班长验票 The shift leader's check before hot work"),
    Action("file", title=_("File with the bureau"), button=_("File"), success=_("The permit is filed."),
           form=forms.FileForm, serializer=s.PermitFileSerializer,
           summary="报备 File the permit with the bureau in a special period (notifies the bureau)",
           perform=lambda actor, permit, data: services.file_permit(actor=actor, permit=permit, **data)),
    Action("start", title=_("Start the work"), button=_("Start the work"), success=_("The work has started."),
           form=forms.EmptyForm, serializer=s.PermitStartSerializer,
           summary="开始作业 The work starts under its watchperson",
           perform=lambda actor, permit, data: services.start_work(actor=actor, permit=permit,
                                                                   started_at=data.get("started_at"))),
    Action("suspend", title=_("Suspend the work"), button=_("Suspend"), success=_("The work is suspended."),
           form=forms.ReasonForm, serializer=s.PermitReasonSerializer, summary="暂停作业 The watchperson stops the work",
           perform=lambda actor, permit, data: services.suspend_work(actor=actor, permit=permit, **data)),
    Action("resume", title=_("Resume the work"), button=_("Resume"), success=_("The work is resumed."),
           form=forms.ReasonForm, serializer=s.PermitReasonSerializer, summary="恢复作业 Resume the work",
           perform=lambda actor, permit, data: services.resume_work(actor=actor, permit=permit, **data)),
    Action("revoke", title=_("Take the permit back"), button=_("Take back"),
           success=_("The permit is taken back; the work needs a new permit."), form=forms.RequiredReasonForm,
           serializer=s.PermitRequiredReasonSerializer,
           summary="收回作业票 The watchperson takes the permit back on an abnormality (4.10); reason required",
           perform=lambda actor, permit, data: services.revoke_permit(actor=actor, permit=permit, **data)),
    Action("accept", title=_("Accept on completion"), button=_("Accept"), success=_("The work is accepted."),
           form=forms.SignForm, serializer=s.PermitSignSerializer, perform=_signing("accept"),
           summary="完工验收 The completion acceptance (special hot work: the video link)"),
    Action("archive", title=_("Archive"), button=_("Archive"), success=_("The permit is archived."),
           form=forms.EmptyForm, serializer=s.PermitEmptySerializer, summary="归档 Archive an accepted permit",
           perform=lambda actor, permit, data: services.archive_permit(actor=actor, permit=permit)),
    Action("cancel", title=_("Cancel the permit"), button=_("Cancel the permit"),
           success=_("The permit is cancelled."), form=forms.RequiredReasonForm,
           serializer=s.PermitRequiredReasonSerializer, summary="作废 Cancel a permit before its work; reason required",
           perform=lambda actor, permit, data: services.cancel_permit(actor=actor, permit=permit, **data)),
    Action("photo", title=_("Add photos"), button=_("Upload"), success=_("The photos are added."),
           form=forms.PhotoForm, serializer=s.PermitPhotoSerializer, multipart=True, api_path="photos",
           summary="现场照片 Photos of measures in place or of the site",
           perform=lambda actor, permit, data: services.add_photos(
               actor=actor, permit=permit, photos=data.get("photos", []), measure_number=data.get("measure"))),
))
