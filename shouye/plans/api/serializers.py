"""Input and output shapes of the plans API (field validation only; the services decide)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shouye.accounts.models import Organisation
from shouye.core.api.fields import (
    ChoiceLabelField,
    ListField,
    PrimaryKeyRelatedField,
    ScopedPrimaryKeyRelatedField,
    SlugRelatedField,
)
from shouye.enterprises.models import Enterprise
from shouye.regions.models import Region

from ..choices import (
    ENTERPRISE_CATEGORIES,
    LIVE_STATES,
    Audience,
    DocumentKind,
    DrillCategory,
    DrillKind,
    DrillState,
    PlanKind,
    PlanState,
    PlanTopic,
    ProblemOutcome,
    RevisionTrigger,
    UnitKind,
)
from ..forms import MAX_DOCUMENTS
from ..models import Drill, DrillProblem, EmergencyPlan, PlanDocument, PlanUnit


class UnitSerializer(serializers.ModelSerializer):
    """一个预案单位 A unit with its drill category and its "any drill" clock."""

    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_display = ChoiceLabelField(UnitKind.choices, source="kind")
    category_display = ChoiceLabelField(DrillCategory.choices, source="category")

    class Meta:
        model = PlanUnit
        fields = ["id", "kind", "kind_display", "name", "enterprise", "township", "category", "category_display",
                  "category_override", "category_basis", "last_drill_on", "any_drill_due_on", "clock_basis"]


class PlanDocumentSerializer(serializers.ModelSerializer):
    """预案文件 A document of the plan version, downloaded from ``url`` (media serving, in scope)."""

    kind_display = ChoiceLabelField(DocumentKind.choices, source="kind")
    uploaded_by = serializers.StringRelatedField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = PlanDocument
        fields = ["id", "kind", "kind_display", "original_name", "size", "content_type", "sha256", "url",
                  "uploaded_by", "uploaded_at"]

    def get_url(self, document) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(document.file.url) if request else document.file.url


class PlanSerializer(serializers.ModelSerializer):
    """一份应急预案（一个版本） One version of a plan with its clocks and documents."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_display = ChoiceLabelField(PlanKind.choices, source="kind")
    state_display = ChoiceLabelField(PlanState.choices, source="state")
    audience_display = ChoiceLabelField(Audience.choices, source="audience")
    topics = ListField(child=serializers.ChoiceField(choices=PlanTopic.choices), read_only=True)
    topics_display = ListField(child=serializers.CharField(), source="topic_labels", read_only=True)
    documents = PlanDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = EmergencyPlan
        fields = ["id", "unit", "unit_name", "kind", "kind_display", "title", "topics", "topics_display", "version",
                  "previous", "state", "state_display", "audience", "audience_display", "summary", "published_on",
                  "filing_due_on", "filed_on", "filing_number", "last_evaluated_on", "evaluation_due_on",
                  "evaluation_note", "last_drilled_on", "drill_due_on", "revision_trigger", "revision_reason",
                  "documents"]


def _topics() -> ListField:
    return ListField(child=serializers.ChoiceField(choices=PlanTopic.choices), max_length=len(PlanTopic.choices),
                     required=False, default=list,
                     help_text=_("The emergencies a special plan covers (at least one); none for the others"))


class CreatePlanSerializer(serializers.Serializer):
    """A draft plan: of an enterprise (its users), or of a township, a department or (none named) the district
    (the bureau; a township officer its township)."""

    enterprise = ScopedPrimaryKeyRelatedField(Enterprise, required=False, allow_null=True)
    township = SlugRelatedField(slug_field="code", queryset=Region.objects.filter(level="township"),
                                required=False, allow_null=True)
    department = PrimaryKeyRelatedField(queryset=Organisation.objects.filter(kind="department"), required=False,
                                        allow_null=True)
    kind = serializers.ChoiceField(choices=PlanKind.choices)
    title = serializers.CharField(max_length=150)
    topics = _topics()
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.WORKFORCE)
    summary = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class PlanEditSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PlanKind.choices)
    title = serializers.CharField(max_length=150)
    topics = _topics()
    audience = serializers.ChoiceField(choices=Audience.choices)
    summary = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class PlanPublishSerializer(serializers.Serializer):
    published_on = serializers.DateField()


class PlanFileSerializer(serializers.Serializer):
    filed_on = serializers.DateField()
    filing_number = serializers.CharField(max_length=50)


class PlanEvaluateSerializer(serializers.Serializer):
    evaluated_on = serializers.DateField()
    conclusion = serializers.CharField(max_length=4000)


class PlanReviseSerializer(serializers.Serializer):
    trigger = serializers.ChoiceField(choices=RevisionTrigger.choices)
    reason = serializers.CharField(max_length=4000)


class PlanAttachSerializer(serializers.Serializer):
    """附预案文件 Documents of one kind as repeated multipart parts ``files``: any file is accepted here, the
    service checks each by content (PDF, Word, Excel or OFD) and names the file it refuses."""

    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    files = ListField(child=serializers.FileField(allow_empty_file=True, use_url=False), max_length=MAX_DOCUMENTS,
                      label=_("Files"), help_text=_("PDF, Word (DOC/DOCX), Excel (XLS/XLSX) or OFD"))


class UnitCategorySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=ENTERPRISE_CATEGORIES, allow_blank=True,
                                       help_text=_("Empty: as derived from the registry"))


class ProblemSerializer(serializers.ModelSerializer):
    outcome_display = ChoiceLabelField(ProblemOutcome.choices, source="outcome")

    class Meta:
        model = DrillProblem
        fields = ["id", "description", "outcome", "outcome_display", "hazard", "revision", "recorded_at"]


class DrillSerializer(serializers.ModelSerializer):
    """一次演练 A drill, planned or held, with the problems it found."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_display = ChoiceLabelField(DrillKind.choices, source="kind")
    state_display = ChoiceLabelField(DrillState.choices, source="state")
    plans = PrimaryKeyRelatedField(many=True, read_only=True)
    problems = ProblemSerializer(many=True, read_only=True)

    class Meta:
        model = Drill
        fields = ["id", "unit", "unit_name", "title", "kind", "kind_display", "scope", "planned_on", "state",
                  "state_display", "plans", "held_on", "participants", "evaluation", "cancelled_reason",
                  "problems"]


class LivePlans(ScopedPrimaryKeyRelatedField):
    def get_queryset(self):
        return super().get_queryset().filter(state__in=LIVE_STATES)


class CreateDrillSerializer(serializers.Serializer):
    unit = ScopedPrimaryKeyRelatedField(PlanUnit)
    title = serializers.CharField(max_length=150)
    kind = serializers.ChoiceField(choices=DrillKind.choices)
    planned_on = serializers.DateField()
    scope = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    plans = LivePlans(EmergencyPlan, many=True)


class DrillHoldSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    participants = serializers.IntegerField(min_value=1, max_value=100_000)
    evaluation = serializers.CharField(max_length=4000)


class DrillCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


@extend_schema_field(OpenApiTypes.INT)
class DrillPlans(PrimaryKeyRelatedField):
    """One of the drill's own plans (the drill is the act's object)."""

    def get_queryset(self):
        drill = self.context.get("obj")
        return drill.plans.all() if drill is not None else EmergencyPlan.objects.none()


class DrillProblemInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=4000)
    outcome = serializers.ChoiceField(choices=ProblemOutcome.choices, default=ProblemOutcome.NOTED)
    plan = DrillPlans(required=False, allow_null=True)
