"""Input and output shapes of the permits API (field validation only; the services decide)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shouye.core.api import fields
from shouye.core.api.fields import ChoiceLabelField, ScopedPrimaryKeyRelatedField
from shouye.core.bounds import MAX_PHOTOS
from shouye.core.signatures import decode as decode_signature
from shouye.enterprises.models import Enterprise

from .. import chains
from ..choices import ApproverLevel, PermitKind, PermitPersonRole, PermitSource, PermitState, ProblemCode
from ..models import GasTest, PermitMeasure, PermitPerson, PermitSignature, SpecialOperationPermit

#: At most this many people, measures and related numbers in one request (ARCHITECTURE.md §10).
MAX_ROWS = 50


class PermitListSerializer(serializers.ModelSerializer):
    """一张作业票 One permit with the rules' verdicts."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    industry = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_display = ChoiceLabelField(PermitKind.choices, source="kind")
    state_display = ChoiceLabelField(PermitState.choices, source="state")
    source_display = ChoiceLabelField(PermitSource.choices, source="source")

    class Meta:
        model = SpecialOperationPermit
        fields = ["id", "number", "enterprise", "enterprise_name", "township", "industry", "kind", "kind_display",
                  "source", "source_display", "state", "state_display", "grade", "location", "content",
                  "applied_at", "planned_start", "planned_end", "max_validity_hours", "required_approver_level",
                  "last_gas_test_at", "video_required", "filing_due_by", "filed_at", "problem_count"]


class PermitPersonSerializer(serializers.ModelSerializer):
    role_display = ChoiceLabelField(PermitPersonRole.choices, source="role")

    class Meta:
        model = PermitPerson
        fields = ["id", "role", "role_display", "name", "certificate_number", "certificate_issued_on",
                  "certificate_last_review_on", "certificate_expires_on", "certificate_review_due"]


class PermitMeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = PermitMeasure
        fields = ["number", "text", "is_other", "author", "involved", "confirmed_by", "confirmed_at"]


class PermitGasTestSerializer(serializers.ModelSerializer):
    failures = fields.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = GasTest
        fields = ["id", "sampled_at", "sample_point", "representative_gas", "lel_percent", "result_percent",
                  "oxygen_percent", "toxic_gas", "toxic_value", "analyst", "during_work", "passed", "failures",
                  "recorded_at"]


class PermitSignatureSerializer(serializers.ModelSerializer):
    level = serializers.ChoiceField(choices=ApproverLevel.choices, allow_blank=True, read_only=True)
    has_image = serializers.SerializerMethodField()

    class Meta:
        model = PermitSignature
        fields = ["id", "step", "sequence", "name", "opinion", "level", "latitude", "longitude", "accuracy_m",
                  "signed_at", "has_image"]

    def get_has_image(self, signature) -> bool:
        return bool(signature.image)


class PermitStepSerializer(serializers.Serializer):
    """The next signature of the form's chain: its key and the row's label."""

    step = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


class PermitProblemSerializer(serializers.Serializer):
    """一个问题 What the rules found wrong with a pushed permit (a flag on the bureau's board)."""

    code = serializers.ChoiceField(choices=ProblemCode.choices, read_only=True)
    field = serializers.CharField(read_only=True)
    detail = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(read_only=True)


class PermitDetailSerializer(PermitListSerializer):
    details = serializers.SerializerMethodField()
    problems = PermitProblemSerializer(many=True, read_only=True)
    people = PermitPersonSerializer(many=True, read_only=True)
    measures = PermitMeasureSerializer(many=True, read_only=True)
    gas_tests = PermitGasTestSerializer(many=True, read_only=True)
    signatures = PermitSignatureSerializer(many=True, read_only=True)
    next_signature = serializers.SerializerMethodField()
    grade_raised_by = fields.ListField(child=serializers.CharField(), read_only=True)
    related_numbers = fields.ListField(child=serializers.CharField(), read_only=True)
    briefed_to = fields.ListField(child=serializers.CharField(), read_only=True)

    class Meta(PermitListSerializer.Meta):
        fields = [*PermitListSerializer.Meta.fields, "applicant_unit", "work_unit", "longitude", "latitude",
                  "details", "situation_grade", "grade_raised_by", "grade_basis", "risk_identification",
                  "related_numbers", "briefed_by", "briefed_to", "briefed_at", "approved_at", "started_at",
                  "completed_at", "closed_at", "close_reason", "video_url", "problems", "people", "measures",
                  "gas_tests", "signatures", "next_signature"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_details(self, permit) -> dict:
        return permit.details

    @extend_schema_field(PermitStepSerializer(allow_null=True))
    def get_next_signature(self, permit) -> dict | None:
        step = chains.next_step(permit.kind, {s.step for s in permit.signatures.all()})
        return None if step is None else {"step": step.key, "label": str(step.label)}


# --- input ------------------------------------------------------------------------------------------------------


class PermitPersonInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PermitPersonRole.choices)
    name = serializers.CharField(max_length=50)
    certificate_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    certificate_issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    certificate_last_review_on = serializers.DateField(required=False, allow_null=True, default=None)


class _PermitHeaderSerializer(serializers.Serializer):
    applicant_unit = serializers.CharField(max_length=100, label=_("Applying unit"))
    work_unit = serializers.CharField(max_length=100, label=_("Unit doing the work"))
    content = serializers.CharField(max_length=2000, label=_("Work content"))
    location = serializers.CharField(max_length=200, label=_("Place and part"))
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180,
                                         required=False, allow_null=True, default=None)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90,
                                        required=False, allow_null=True, default=None)
    planned_start = serializers.DateTimeField(label=_("Work from"))
    planned_end = serializers.DateTimeField(label=_("Work until"))
    grade = serializers.CharField(max_length=8, required=False, allow_blank=True, default="",
                                  help_text="Leave blank for the rules' grade; a higher grade may be chosen, never a "
                                            "lower one (hot work special/1/2, height I–IV, lifting 1–3).")
    details = fields.DictField(required=False, default=dict, max_length=MAX_ROWS,
                               help_text="The kind's own form fields (standard.DETAIL_FIELDS) and the rules' inputs "
                                         "(hot work: fire_explosion_area, on_operating_equipment, "
                                         "in_mhi_tank_farm_dike, on_pipe_rack, shut_down_and_isolated, outdoor, "
                                         "wind_force; height: height_m, objective_hazards; lifting: mass_t).")
    people = fields.ListSerializer(child=PermitPersonInputSerializer(), required=False, default=list, max_length=MAX_ROWS)
    related_numbers = fields.ListField(child=serializers.CharField(max_length=40), required=False, default=list,
                                       max_length=MAX_ROWS)


class PermitCreateSerializer(_PermitHeaderSerializer):
    """A permit filled in Shouye is refused (400) when the rules say no. With ``source: "external"`` an enterprise's
    own permit system pushes a permit it issued: what it sends is recorded as sent, and what violates GB 30871
    (grade lower than the rules', validity too long, approver below Table B.1's level, no passing gas test in
    time, an expired certificate, prohibited in a special period, video missing) becomes an entry of
    ``problems`` (code and detail) for the bureau's board instead of a refusal. Its acts are posted to the same
    endpoints afterwards, in the form's order."""

    enterprise = ScopedPrimaryKeyRelatedField(Enterprise)
    kind = serializers.ChoiceField(choices=PermitKind.choices)
    source = serializers.ChoiceField(choices=PermitSource.choices, required=False, default=PermitSource.SHOUYE)
    number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="",
                                   help_text="The pushing system's own number; blank: KIND_PREFIX + yyyymmdd + "
                                             "sequence.")
    applied_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    risk_identification = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class PermitEditSerializer(_PermitHeaderSerializer):
    """Every header field replaces the stored one (draft only: nothing signed is edited, 4.18)."""


class PermitIdentifySerializer(serializers.Serializer):
    risk_identification = serializers.CharField(max_length=4000, label=_("Risk identification result"))


class PermitGasTestInputSerializer(serializers.Serializer):
    sampled_at = serializers.DateTimeField(label=_("Sampled at"))
    sample_point = serializers.CharField(max_length=100, label=_("Sampling point"))
    representative_gas = serializers.CharField(max_length=50, label=_("Representative gas"))
    lel_percent = serializers.DecimalField(max_digits=6, decimal_places=3, label=_("Lower explosive limit (%)"))
    result_percent = serializers.DecimalField(max_digits=7, decimal_places=4,
                                              label=_("Flammable concentration (% vol)"))
    oxygen_percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True,
                                              default=None, label=_("Oxygen (% vol)"))
    oxygen_enriched = serializers.BooleanField(required=False, allow_null=True, default=None)
    toxic_gas = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    toxic_value = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    analyst = serializers.CharField(max_length=50, label=_("Analyst"))


class PermitMeasureInputSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=100)
    involved = serializers.BooleanField(allow_null=True)
    confirmed_by = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class PermitConfirmMeasuresSerializer(serializers.Serializer):
    measures = fields.ListSerializer(child=PermitMeasureInputSerializer(), max_length=MAX_ROWS)
    other_measures = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    other_author = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class PermitBriefSerializer(serializers.Serializer):
    briefed_by = serializers.CharField(max_length=50, label=_("Briefed by"))
    briefed_to = fields.ListField(child=serializers.CharField(max_length=50), max_length=MAX_ROWS,
                                  label=_("Briefed to"))


class PermitSignSerializer(serializers.Serializer):
    """One signature of the form's chain, in order. ``step`` names the signature (optional: the next one); a
    step out of order is refused naming the next one. ``image`` is the PNG drawn on screen as a data URL."""

    step = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    name = serializers.CharField(max_length=50, label=_("Name"))
    opinion = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    level = serializers.ChoiceField(choices=ApproverLevel.choices, required=False, allow_blank=True, default="",
                                    help_text="The approving signature: the level the approver approves at.")
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90,
                                        required=False, allow_null=True, default=None)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180,
                                         required=False, allow_null=True, default=None)
    accuracy_m = serializers.IntegerField(min_value=0, max_value=100_000, required=False, allow_null=True,
                                          default=None)
    image = serializers.CharField(required=False, allow_blank=True, default="", max_length=400_000)
    video_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="",
                                     help_text="The acceptance of special hot work: the full-process video link.")
    signed_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                          help_text="A pushed permit only: when it was signed in the enterprise's "
                                                    "system (the rules are judged at that moment).")

    def validate_image(self, value):
        try:
            return decode_signature(value, field="image")
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["image"]) from exc


class PermitFileSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PermitReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PermitRequiredReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, label=_("Reason"))


class PermitEmptySerializer(serializers.Serializer):
    pass


class PermitStartSerializer(serializers.Serializer):
    started_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                           help_text="A pushed permit only: when the work started.")


class PermitPhotoSerializer(serializers.Serializer):
    measure = serializers.IntegerField(min_value=1, max_value=100, required=False, allow_null=True, default=None)
    photos = fields.ListField(child=serializers.FileField(allow_empty_file=True, use_url=False),
                              max_length=MAX_PHOTOS, label=_("Photos"))
