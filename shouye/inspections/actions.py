"""The acts on an inspection, declared once for the pages and the API (shouye/core/actions.py). The
workflow (workflow.py) decides who may take each in which state."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.core.actions import Action, ActionSet, register

from . import forms, selectors, services
from .api import serializers as s
from .workflow import WORKFLOW


def _record(actor, inspection, data):
    return services.record_results(actor=actor, inspection=inspection, results=data["results"],
                                   photos=data.get("photos"), notes=data.get("notes"))


def _after_record(request, inspection, result) -> str:
    """"Save and finish" continues on the confirmation page; "save" stays on the record."""
    name = "inspections:finish" if request.POST.get("next") == "finish" else "inspections:detail"
    return reverse(name, kwargs={"pk": inspection.pk})


def _add_photos(actor, inspection, data):
    """Photos of the inspection, or of one of its items (404 for an item of another inspection)."""
    item_id = data.get("item")
    item = get_object_or_404(inspection.items.all(), pk=item_id) if item_id else None
    return services.add_photos(actor=actor, inspection=inspection, item=item, photos=data["photos"])


def _documents_url(request, inspection, document) -> str:
    return reverse("inspections:documents", kwargs={"pk": inspection.pk})


INSPECTION = register(ActionSet(
    key="inspections.inspection", workflow=WORKFLOW, lookup=selectors.inspection_detail,
    noun=gettext_lazy("inspection"),
    detail_url=lambda inspection: reverse("inspections:detail", kwargs={"pk": inspection.pk}),
).add(
    Action("record", title=gettext_lazy("Record the results"), success=gettext_lazy("Saved."),
           form=forms.RecordForm, prefixed=False, serializer=s.ItemResultsInputSerializer, api_path="items",
           summary="记录检查项结果 Record item results", perform=_record, next_url=_after_record),
    Action("add-photos", title=gettext_lazy("Add photos"), serializer=s.InspectionPhotoUploadSerializer,
           api_path="photos", multipart=True, summary="上传检查照片 Upload photos (multipart)",
           perform=_add_photos),
    Action("finish", title=gettext_lazy("Finish the inspection"), form=forms.FinishForm, prefixed=False,
           success=gettext_lazy("The inspection is finished; its hazards are in the hazard ledger."),
           serializer=s.FinishSerializer, summary="完成检查并生成隐患 Finish: non-compliant items become hazards",
           perform=lambda actor, inspection, data: services.finish_inspection(
               actor=actor, inspection=inspection, drafts=data["drafts"])),
    Action("issue-document", title=gettext_lazy("Issue a document"), form=forms.DocumentForm, prefixed=False,
           success=lambda document: _("Issued %(number)s.") % {"number": document.number},
           serializer=s.IssueDocumentSerializer, api_path="documents",
           summary="出具文书（PDF，编号连续）Issue a numbered PDF document",
           perform=lambda actor, inspection, data: services.issue_document(
               actor=actor, inspection=inspection, **data),
           next_url=_documents_url),
))
