from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shouye.accounts.choices import OrganisationKind
from shouye.accounts.models import Organisation, User
from shouye.core import signatures
from shouye.core.api import fields
from shouye.core.api.fields import ScopedPrimaryKeyRelatedField, SlugRelatedField
from shouye.core.bounds import MAX_PHOTOS
from shouye.enterprises.models import Enterprise
from shouye.hazards.choices import HazardLevel

from .. import workflow
from ..choices import DeliveryMethod, DocumentKind, InspectionKind, ItemResult
from ..models import (
    Checklist,
    ChecklistItem,
    Document,
    Inspection,
    InspectionItem,
    InspectionPhoto,
    InspectionPlan,
)

#: Items one request may mark or turn into hazards: several times the longest checklist of the library (20
#: items); a longer checklist is recorded in several requests.
ITEMS_PER_REQUEST = 200


class InspectorSerializer(serializers.ModelSerializer):
    name = serializers.StringRelatedField(source="*")

    class Meta:
        model = User
        fields = ["username", "name"]


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "order", "text", "legal_basis", "default_level", "category"]


class ChecklistSerializer(serializers.ModelSerializer):
    """检查表 Checklist template with its items (each with legal basis and default hazard level)."""

    industry = serializers.SlugRelatedField(slug_field="code", read_only=True)
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = Checklist
        fields = ["id", "code", "name", "description", "industry", "is_active", "version", "updated_at", "items"]


class InspectionPhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionPhoto
        fields = ["id", "item", "image", "thumbnail", "uploaded_at"]


class InspectionItemSerializer(serializers.ModelSerializer):
    photos = InspectionPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionItem
        fields = ["id", "order", "text", "legal_basis", "default_level", "category", "result", "finding",
                  "location", "hazard", "photos"]

#: More inspectors and experts than any inspection has.
MAX_SIGNERS = 20


class InspectionDocumentSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()
    issued_by = serializers.StringRelatedField()

    class Meta:
        model = Document
        fields = ["id", "inspection", "kind", "number", "year", "serial", "deadline", "opinion", "issued_by",
                  "issued_at", "download"]

    def get_download(self, document) -> str:
        return reverse("inspection-document-download", kwargs={"pk": document.pk})


class InspectionListSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    inspectors = InspectorSerializer(many=True, read_only=True)
    experts = InspectorSerializer(many=True, read_only=True)
    non_compliant = serializers.IntegerField(read_only=True)
    hazard_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "kind", "enterprise", "enterprise_name", "township", "township_name", "inspected_at",
                  "place", "subject", "checklist_name", "checklist_version", "inspectors", "experts", "state",
                  "non_compliant", "hazard_count"]


class InspectionSerializer(serializers.ModelSerializer):
    """监督检查记录 Inspection record: who inspected whom, with which checklist version, and each item's result."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    checklist = serializers.SlugRelatedField(slug_field="code", read_only=True)
    inspectors = InspectorSerializer(many=True, read_only=True)
    experts = InspectorSerializer(many=True, read_only=True)
    items = InspectionItemSerializer(many=True, read_only=True)
    photos = serializers.SerializerMethodField()
    documents = InspectionDocumentSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = ["id", "kind", "enterprise", "enterprise_name", "township", "township_name", "inspected_at",
                  "place", "subject", "checklist", "checklist_name", "checklist_version", "inspectors", "experts",
                  "reinspection_of", "notes", "state", "finished_at", "created_at", "items", "photos", "documents",
                  "allowed_actions"]

    def get_photos(self, inspection) -> list[dict]:
        photos = getattr(inspection, "general_photos", None)
        if photos is None:
            photos = inspection.photos.filter(item__isnull=True)
        return InspectionPhotoSerializer(photos, many=True, context=self.context).data

    def get_allowed_actions(self, inspection) -> list[str]:
        return workflow.allowed_actions(inspection.state)


class InspectionCreateSerializer(serializers.Serializer):
    """开始检查 Start an inspection. People are given by user name."""

    enterprise = ScopedPrimaryKeyRelatedField(Enterprise, help_text=_("Enterprise id"))
    kind = serializers.ChoiceField(choices=InspectionKind.choices)
    checklist = SlugRelatedField(slug_field="code", queryset=Checklist.objects.all(), required=False,
                                             allow_null=True, help_text=_("Checklist code"))
    reinspection_of = ScopedPrimaryKeyRelatedField(Inspection, required=False, allow_null=True)
    inspected_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    inspectors = SlugRelatedField(slug_field="username", many=True, required=False, label=_("Inspectors"),
                                  queryset=User.objects.filter(is_active=True))
    experts = SlugRelatedField(slug_field="username", many=True, required=False, label=_("Experts"),
                               queryset=User.objects.filter(is_active=True))


class ItemResultInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    result = serializers.ChoiceField(choices=ItemResult.choices, required=False)
    finding = serializers.CharField(required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ItemResultsInputSerializer(serializers.Serializer):
    """记录检查结果 Mark items: compliant / non_compliant / not_applicable, with finding and location."""

    results = fields.ListSerializer(child=ItemResultInputSerializer(), max_length=ITEMS_PER_REQUEST,
                                    label=_("Results"))
    notes = serializers.CharField(required=False, allow_blank=True)


class ItemSaveSerializer(ItemResultInputSerializer):
    """保存一项（自动保存）Save one item as it is entered: result, finding, location (omitted: unchanged). A
    non-compliant item needs its finding."""


class ProgressSerializer(serializers.Serializer):
    checked = serializers.IntegerField(help_text="已检项数 items marked")
    total = serializers.IntegerField(help_text="全部项数 items of the inspection")


class ItemSavedSerializer(serializers.Serializer):
    """保存结果与进度 The item as saved and the inspection's progress."""

    item = InspectionItemSerializer()
    progress = ProgressSerializer()


class RemainingCompliantSerializer(serializers.Serializer):
    """其余全部符合 The items marked compliant and the inspection's progress."""

    marked = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    progress = ProgressSerializer()


class InspectionPhotoUploadSerializer(serializers.Serializer):
    """上传照片 Photos (multipart, field ``photos``, repeatable), optionally of one item."""

    item = serializers.IntegerField(required=False, allow_null=True)
    photos = fields.ListField(child=serializers.FileField(), allow_empty=False, max_length=MAX_PHOTOS,
                              label=_("Photos"))


class HazardDraftSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    description = serializers.CharField(required=False, allow_blank=True)
    level = serializers.ChoiceField(choices=HazardLevel.choices, required=False)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)


class FinishSerializer(serializers.Serializer):
    """完成检查 Finish: each non-compliant item becomes a hazard, with the optional edits given here."""

    drafts = fields.ListSerializer(child=HazardDraftSerializer(), required=False, max_length=ITEMS_PER_REQUEST,
                                   label=_("Hazard drafts"))

    def validate(self, attrs):
        """The drafts by item id, as the service takes them."""
        return {"drafts": {row["item"]: row for row in attrs.get("drafts", [])}}


class IssueDocumentSerializer(serializers.Serializer):
    """出具文书 Issue a document: deadline for a rectification order, opinion for a re-inspection opinion."""

    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    deadline = serializers.DateField(required=False, allow_null=True)
    opinion = serializers.CharField(required=False, allow_blank=True)
    served_document = ScopedPrimaryKeyRelatedField(
        Document, required=False, allow_null=True,
        help_text="送达回证：送达的本次检查文书 For a delivery receipt: the document of this inspection served")
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices, required=False, allow_blank=True)
    delivery_place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    recipient_name = serializers.CharField(required=False, allow_blank=True, max_length=60)
    inspector_signatures = fields.DictField(
        child=serializers.CharField(max_length=signatures.DATA_URL_CHARS), required=False, max_length=MAX_SIGNERS,
        help_text="检查人员签名：{用户 id: PNG data URL} Inspectors' signatures drawn on screen, by user id")
    recipient_signature = serializers.CharField(required=False, allow_blank=True, max_length=signatures.DATA_URL_CHARS,
                                                help_text="被检查单位签收人签名（PNG data URL）")

    def validate_served_document(self, document):
        """Only a document of this inspection is served (any other: not found, as outside the scope)."""
        if document is not None and document.inspection_id != self.context["obj"].pk:
            raise serializers.ValidationError("请选择本次检查的文书。Choose a document of this inspection.")
        return document


class InspectionPlanSerializer(serializers.ModelSerializer):
    """年度检查计划 One enterprise's inspection plan for a year, with inspections done and expected so far."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    squad = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(kind=OrganisationKind.SQUAD),
                                               required=False, allow_null=True)
    squad_name = serializers.CharField(source="squad.name", read_only=True, default="")
    officer = SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True),
                                           required=False, allow_null=True)
    done = serializers.IntegerField(read_only=True)
    expected = serializers.IntegerField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = InspectionPlan
        fields = ["id", "year", "enterprise", "enterprise_name", "township", "township_name", "inspections_due",
                  "squad", "squad_name", "officer", "done", "expected", "overdue"]
        read_only_fields = ["year", "enterprise"]

    def get_overdue(self, plan) -> bool:
        return getattr(plan, "done", 0) < getattr(plan, "expected", 0)


class GeneratePlansSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class CoverageRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    planned = serializers.IntegerField(help_text=_("Enterprises with at least one inspection due"))
    covered = serializers.IntegerField(help_text=_("Of those, inspected at least once"))
    coverage_percent = serializers.IntegerField()
    due = serializers.IntegerField()
    done = serializers.IntegerField()
    overdue = serializers.IntegerField()


class CoverageSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    by_township = CoverageRowSerializer(many=True, read_only=True)
    by_squad = CoverageRowSerializer(many=True, read_only=True)
    total = CoverageRowSerializer()
