"""Shapes of the incidents API: the list and detail (with the clocks and the newest timeline entries), the
intake and the acts' inputs."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shouye.core.api.fields import ListField, ScopedPrimaryKeyRelatedField, SlugRelatedField
from shouye.enterprises.models import Enterprise
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region

from ..choices import HAND_ENTRY_KINDS, AccidentKind, ClockKind, IncidentKind, IncidentSource, ReportKind
from ..masking import contact_phone_for
from ..models import Incident, IncidentClock, TimelineEntry
from .site_serializers import IncidentPhotoSerializer, IncidentTaskSerializer


class IncidentListSerializer(serializers.ModelSerializer):
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    enterprise = serializers.StringRelatedField()

    class Meta:
        model = Incident
        fields = ["id", "title", "kind", "grade", "state", "occurred_at", "received_at", "place", "latitude",
                  "longitude", "township", "enterprise", "unit_name", "deaths", "missing", "serious_injuries",
                  "direct_loss_yuan"]


class IncidentClockSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentClock
        fields = ["kind", "due_at", "met_at", "state", "basis"]


class TimelineEntrySerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()
    photos = IncidentPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = TimelineEntry
        fields = ["id", "kind", "at", "text", "report_kind", "recipient", "author", "photos"]


class IncidentDetailSerializer(IncidentListSerializer):
    clocks = IncidentClockSerializer(many=True, read_only=True)
    tasks = IncidentTaskSerializer(many=True, read_only=True)
    photos = IncidentPhotoSerializer(many=True, read_only=True)
    contact_phone = serializers.SerializerMethodField()

    class Meta(IncidentListSerializer.Meta):
        fields = [*IncidentListSerializer.Meta.fields, "accident_kind", "source", "contact_name", "contact_phone",
                  "burnt_area_ha", "threatens_residential", "scope_of_impact", "development", "handling",
                  "grade_basis", "report_to_national", "command_post", "commander", "summary", "closed_at",
                  "clocks", "investigation_extension_days", "tasks", "photos"]

    def get_contact_phone(self, incident) -> str:
        return contact_phone_for(self.context["request"].user, incident.contact_phone)


class _SituationSerializer(serializers.Serializer):
    deaths = serializers.IntegerField(min_value=0, max_value=100000, required=False)
    missing = serializers.IntegerField(min_value=0, max_value=100000, required=False)
    serious_injuries = serializers.IntegerField(min_value=0, max_value=100000, required=False)
    direct_loss_yuan = serializers.DecimalField(min_value=0, max_digits=14, decimal_places=2, required=False)
    burnt_area_ha = serializers.DecimalField(min_value=0, max_digits=10, decimal_places=2, required=False)
    threatens_residential = serializers.BooleanField(required=False)
    scope_of_impact = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    development = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    handling = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class IncidentCreateSerializer(_SituationSerializer):
    """接报：Art. 29's contents. The township is where it happened (taken from the enterprise when one is
    named); the grade and the clocks follow from the rules."""

    title = serializers.CharField(max_length=120, label=_("What happened"))
    kind = serializers.ChoiceField(choices=IncidentKind.choices)
    accident_kind = serializers.ChoiceField(choices=AccidentKind.choices, required=False,
                                            default=AccidentKind.OTHER)
    occurred_at = serializers.DateTimeField(label=_("Occurred at"))
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=200, label=_("Place"))
    latitude = serializers.DecimalField(min_value=-90, max_value=90, max_digits=8, decimal_places=6,
                                        required=False, allow_null=True, default=None)
    longitude = serializers.DecimalField(min_value=-180, max_value=180, max_digits=9, decimal_places=6,
                                         required=False, allow_null=True, default=None)
    township = SlugRelatedField(slug_field="code", queryset=Region.objects.filter(level=RegionLevel.TOWNSHIP),
                                required=False, allow_null=True, default=None)
    enterprise = ScopedPrimaryKeyRelatedField(Enterprise, required=False, allow_null=True, default=None)
    unit_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    source = serializers.ChoiceField(choices=IncidentSource.choices)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class IncidentUpdateSerializer(_SituationSerializer):
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class IncidentEntrySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in HAND_ENTRY_KINDS])
    text = serializers.CharField(max_length=4000)
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class IncidentReportSerializer(serializers.Serializer):
    report_kind = serializers.ChoiceField(choices=ReportKind.choices)
    recipient = serializers.CharField(max_length=100)
    text = serializers.CharField(max_length=4000)
    sent_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    clocks = ListField(child=serializers.ChoiceField(choices=ClockKind.choices), required=False, default=list)


class IncidentCommandPostSerializer(serializers.Serializer):
    command_post = serializers.CharField(max_length=200)
    commander = serializers.CharField(max_length=50)


class IncidentCloseSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=4000)
