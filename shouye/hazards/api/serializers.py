"""Input and output shapes of the hazards API. Field validation only: the business rules (who, when,
which state, a major hazard's prerequisites) are the services'."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shouye.core.api import fields
from shouye.core.api.fields import ChoiceLabelField, ScopedPrimaryKeyRelatedField, SlugRelatedField
from shouye.core.bounds import MAX_PHOTOS
from shouye.enterprises.models import Enterprise
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region

from .. import services
from ..choices import HazardCategory, HazardLevel, HazardSource, HazardState
from ..models import (
    ExpertVerification,
    Extension,
    GovernancePlan,
    Hazard,
    HazardPhoto,
    ListedSupervision,
    TipOff,
)


def _photo_list(help_text):
    """Photos as repeated multipart parts. Any file is accepted here: the service checks its content and
    names the file it refuses (issue 3: JPEG, PNG or WebP by content)."""
    return fields.ListField(child=serializers.FileField(allow_empty_file=True, use_url=False), required=False,
                            max_length=MAX_PHOTOS, label=_("Photos"), help_text=help_text)


# --- output ---------------------------------------------------------------------------------------------


class HazardListSerializer(serializers.ModelSerializer):
    """一行台账 One row of the hazard ledger."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    credit_code = serializers.CharField(source="enterprise.credit_code", read_only=True)
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    industry = serializers.SlugRelatedField(slug_field="code", read_only=True)
    industry_name = serializers.CharField(source="industry.name", read_only=True)
    level_display = ChoiceLabelField(HazardLevel.choices, source="level")
    state_display = ChoiceLabelField(HazardState.choices, source="state")
    source_display = ChoiceLabelField(HazardSource.choices, source="source")
    overdue = serializers.SerializerMethodField(help_text=_("Past the deadline and not rectified, as of today"))

    class Meta:
        model = Hazard
        fields = ["id", "enterprise", "enterprise_name", "credit_code", "township", "township_name", "industry",
                  "industry_name", "location", "description", "category", "level", "level_display", "source",
                  "source_display", "investigation_type", "state", "state_display", "found_at", "measures", "responsible_person",
                  "deadline", "funds", "extension_count", "reinspected_at", "closed_at", "overdue_since",
                  "overdue"]

    def get_overdue(self, hazard) -> bool:
        return hazard.is_overdue(self.context.get("today") or timezone.localdate())


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = HazardPhoto
        fields = ["id", "kind", "url", "thumbnail_url", "uploaded_at"]

    def _absolute(self, field) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(field.url) if request else field.url

    def get_url(self, photo) -> str:
        return self._absolute(photo.image)

    def get_thumbnail_url(self, photo) -> str:
        return self._absolute(photo.thumbnail)


class GovernancePlanSerializer(serializers.ModelSerializer):
    """重大事故隐患治理方案 The six parts of 16号令 Art. 15; any part may be sent alone."""

    missing_parts = serializers.SerializerMethodField()

    class Meta:
        model = GovernancePlan
        fields = [*GovernancePlan.PARTS, "missing_parts", "updated_at"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {part: {"required": False, "allow_blank": True} for part in GovernancePlan.PARTS}

    def get_missing_parts(self, plan) -> list[str]:
        return plan.missing_parts()


class ListedSupervisionSerializer(serializers.ModelSerializer):
    """挂牌督办 Listed supervision of a major hazard."""

    class Meta:
        model = ListedSupervision
        fields = ["supervising_leader", "document_number", "listed_at", "lifted_at"]
        read_only_fields = ["listed_at", "lifted_at"]


class ExpertVerificationSerializer(serializers.ModelSerializer):
    expert = serializers.StringRelatedField()

    class Meta:
        model = ExpertVerification
        fields = ["id", "expert", "passed", "opinion", "verified_at"]


class ExtensionSerializer(serializers.ModelSerializer):
    requested_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField()

    class Meta:
        model = Extension
        fields = ["id", "requested_deadline", "reason", "requested_by", "requested_at", "state", "decided_by",
                  "decided_at", "decision_note"]


class HazardDetailSerializer(HazardListSerializer):
    """隐患详情 A hazard with its photos, governance plan, listed supervision, expert verifications, extensions
    and the actions the current user may take now."""

    found_by = serializers.StringRelatedField()
    reinspected_by = serializers.StringRelatedField()
    photos = PhotoSerializer(many=True, read_only=True)
    governance_plan = serializers.SerializerMethodField()
    listed_supervision = serializers.SerializerMethodField()
    expert_verifications = ExpertVerificationSerializer(many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField(
        help_text=_("Actions the current user may take now, e.g. assign, submit, verify"))

    class Meta(HazardListSerializer.Meta):
        fields = [*HazardListSerializer.Meta.fields, "legal_basis", "found_by", "found_by_name",
                  "rectification_note", "submitted_at", "reinspected_by", "reinspection_result", "escalated_at",
                  "photos", "governance_plan", "listed_supervision", "expert_verifications", "extensions",
                  "allowed_actions", "created_at", "updated_at"]

    @extend_schema_field(GovernancePlanSerializer(allow_null=True))
    def get_governance_plan(self, hazard):
        plan = getattr(hazard, "governance_plan", None)
        return GovernancePlanSerializer(plan).data if plan else None

    @extend_schema_field(ListedSupervisionSerializer(allow_null=True))
    def get_listed_supervision(self, hazard):
        listing = getattr(hazard, "listed_supervision", None)
        return ListedSupervisionSerializer(listing).data if listing else None

    def get_allowed_actions(self, hazard) -> list[str]:
        return services.available_actions(self.context["request"].user, hazard)


# --- input ----------------------------------------------------------------------------------------------


class HazardReportSerializer(serializers.Serializer):
    """上报隐患 Report a hazard (JSON, or multipart with before-photos)."""

    enterprise = ScopedPrimaryKeyRelatedField(Enterprise, help_text=_("Enterprise id"))
    description = serializers.CharField()
    source = serializers.ChoiceField(choices=HazardSource.choices)
    level = serializers.ChoiceField(choices=HazardLevel.choices, default=HazardLevel.ORDINARY)
    category = serializers.ChoiceField(choices=HazardCategory.choices, default=HazardCategory.THINGS)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    legal_basis = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    found_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    found_by_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    photos = _photo_list(_("Photos before rectification (JPEG, PNG or WebP)"))


class AssignSerializer(serializers.Serializer):
    """责令整改 Order rectification."""

    deadline = serializers.DateField()
    responsible_person = serializers.CharField(max_length=50)
    measures = serializers.CharField()
    funds = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True,
                                     default=None, help_text=_("Funds in yuan"))


class SubmitSerializer(serializers.Serializer):
    """提交整改 Submit the rectification with after-photos."""

    note = serializers.CharField()
    photos = _photo_list(_("Photos after rectification (at least one)"))


class VerifySerializer(serializers.Serializer):
    """复查通过 Pass the re-inspection."""

    note = serializers.CharField(required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    """复查不通过 Reject the rectification."""

    reason = serializers.CharField()


class CloseOnSpotSerializer(serializers.Serializer):
    """立查立改 Close an ordinary hazard on the spot."""

    note = serializers.CharField()
    photos = _photo_list(_("Photos after rectification (at least one)"))


class RequestExtensionSerializer(serializers.Serializer):
    """申请延期 Ask for a later deadline."""

    requested_deadline = serializers.DateField()
    reason = serializers.CharField()


class ApproveExtensionSerializer(serializers.Serializer):
    """审批延期 Approve or refuse an extension request of this hazard."""

    extension = serializers.PrimaryKeyRelatedField(queryset=Extension.objects.none(), help_text=_("Extension id"))
    approved = serializers.BooleanField(default=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hazard = self.context.get("obj")
        if hazard is not None:
            self.fields["extension"].queryset = Extension.objects.filter(hazard=hazard)


class ExpertVerifySerializer(serializers.Serializer):
    """专家复核 Expert verification of a major hazard."""

    passed = serializers.BooleanField()
    opinion = serializers.CharField()


class ListSupervisionSerializer(serializers.Serializer):
    """挂牌督办 List a major hazard for supervision."""

    supervising_leader = serializers.CharField(max_length=50)
    document_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class StatsQuerySerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, attrs):
        today = timezone.localdate()
        attrs.setdefault("date_to", today)
        attrs.setdefault("date_from", attrs["date_to"].replace(month=1, day=1))
        if attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_from": _("The start of the period is after its end.")})
        return attrs


class StatsRowSerializer(serializers.Serializer):
    found = serializers.IntegerField()
    closed = serializers.IntegerField()
    on_time = serializers.IntegerField()
    overdue_now = serializers.IntegerField()
    rectification_rate = serializers.FloatField(allow_null=True, help_text=_("closed / found"))
    on_time_rate = serializers.FloatField(allow_null=True, help_text=_("closed on time / closed"))


class GroupStatsSerializer(StatsRowSerializer):
    code = serializers.CharField()
    name = serializers.CharField()


class LevelStatsSerializer(StatsRowSerializer):
    level = serializers.CharField()
    label = serializers.CharField()


class HazardStatsSerializer(StatsRowSerializer):
    """隐患统计 Statistics for the caller's scope and a period."""

    date_from = serializers.DateField()
    date_to = serializers.DateField()
    by_township = GroupStatsSerializer(many=True, read_only=True)
    by_industry = GroupStatsSerializer(many=True, read_only=True)
    by_level = LevelStatsSerializer(many=True, read_only=True)


# --- tip-offs -------------------------------------------------------------------------------------------


class TipOffCreateSerializer(serializers.Serializer):
    """群众举报 A tip-off from the public (no sign-in)."""

    enterprise_name = serializers.CharField(max_length=200)
    township = SlugRelatedField(slug_field="code", required=False, allow_null=True, default=None,
                                            queryset=Region.objects.filter(level=RegionLevel.TOWNSHIP),
                                            help_text=_("Township code, if known"))
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField()
    reporter_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    photo = serializers.FileField(required=False, allow_null=True, allow_empty_file=True, use_url=False,
                                  help_text=_("One photo (JPEG, PNG or WebP)"))


class TipOffReceiptSerializer(serializers.Serializer):
    """The receipt: a random code (not the sequential id) with which the sender reads the status page."""

    receipt_code = serializers.CharField(help_text=_("Receipt code for the public status page /tip-off/status/"))
    received_at = serializers.DateTimeField()
    detail = serializers.CharField()


class TipOffSerializer(serializers.ModelSerializer):
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True, default=None)
    photo_url = serializers.SerializerMethodField()

    class Meta:
        model = TipOff
        fields = ["id", "receipt_code", "enterprise_name", "enterprise", "township", "township_name", "address",
                  "description", "reporter_name", "reporter_phone", "photo_url", "created_at", "state", "hazard",
                  "dismiss_reason", "public_reason", "triaged_at", "check_request", "sent_at", "check_result",
                  "checked_at"]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_photo_url(self, tip_off):
        if not tip_off.photo:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(tip_off.photo.url) if request else tip_off.photo.url


class TriageSerializer(serializers.Serializer):
    """分拣举报 Turn a tip-off into a hazard, or dismiss it with a reason."""

    accept = serializers.BooleanField()
    enterprise = ScopedPrimaryKeyRelatedField(Enterprise, required=False, allow_null=True, default=None,
                                              help_text=_("Enterprise id (when accepting)"))
    level = serializers.ChoiceField(choices=HazardLevel.choices, default=HazardLevel.ORDINARY)
    description = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text=_("The hazard in the officer's own words (required when accepting): the enterprise and the "
                    "township read it, never the text of the tip-off or who sent it."))
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                     help_text=_("Location in the enterprise (when accepting)"))
    dismiss_reason = serializers.CharField(required=False, allow_blank=True, default="")
    public_reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="",
        help_text=_("When dismissing: the reply the sender reads on the public status page (optional)"))


class SendToTownshipSerializer(serializers.Serializer):
    """转属地核查 Send the tip-off to the township's officers to check on site."""

    township = SlugRelatedField(slug_field="code", queryset=Region.objects.filter(level=RegionLevel.TOWNSHIP),
                                help_text=_("Township code"))
    enterprise = ScopedPrimaryKeyRelatedField(Enterprise, required=False, allow_null=True, default=None,
                                              help_text=_("Enterprise id, when the place is a registered one"))
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                    help_text=_("Address of the place (required without an enterprise)"))
    check_request = serializers.CharField(help_text=_("What to check, in the staff's own words: the township "
                                                      "reads it, never the text of the tip-off"))
