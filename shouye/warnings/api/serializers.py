"""Input and output shapes of the warnings API (field validation only; the services decide)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shouye.core.api.fields import ChoiceLabelField, ListSerializer, PrimaryKeyRelatedField
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region

from ..choices import (
    FIRE_DANGER_CHOICES,
    LEVEL_CHOICES,
    SeasonKind,
    WarningColour,
    WarningKind,
    WarningSource,
    WarningState,
)
from ..models import (
    ChecklistItem,
    EarlyWarning,
    FireDangerLevel,
    FireDangerReading,
    NotifiedEnterprise,
    NotifiedUnit,
    Season,
)


class WarningListSerializer(serializers.ModelSerializer):
    """一条预警 One warning with its acknowledgement count."""

    kind_display = ChoiceLabelField(WarningKind.choices, source="kind")
    colour_display = ChoiceLabelField(WarningColour.choices, source="colour")
    state_display = ChoiceLabelField(WarningState.choices, source="state")
    unit_count = serializers.IntegerField(read_only=True)
    acknowledged_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = EarlyWarning
        fields = ["id", "title", "kind", "kind_display", "source", "level", "colour", "colour_display", "state",
                  "state_display", "issued_at", "all_district", "lifted_at", "unit_count", "acknowledged_count"]


class WarningChecklistItemSerializer(serializers.ModelSerializer):
    done_by = serializers.StringRelatedField()

    class Meta:
        model = ChecklistItem
        fields = ["id", "article", "position", "text", "done_at", "done_by"]


class NotifiedUnitSerializer(serializers.ModelSerializer):
    """A notified unit: who it is, when it acknowledged (叫应) and its measures."""

    name = serializers.SerializerMethodField()
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department = serializers.StringRelatedField()
    acknowledged_by = serializers.StringRelatedField()
    minutes_to_acknowledge = serializers.IntegerField(read_only=True, allow_null=True)
    items = WarningChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = NotifiedUnit
        fields = ["id", "name", "township", "department", "notified_at", "acknowledged_at", "acknowledged_by",
                  "minutes_to_acknowledge", "items"]

    def get_name(self, unit) -> str:
        return str(unit)


class NotifiedEnterpriseSerializer(serializers.ModelSerializer):
    """A notified enterprise: when it acknowledged (叫应), counted apart from the units."""

    name = serializers.CharField(source="enterprise.name", read_only=True)
    township = serializers.SlugRelatedField(source="enterprise.township", slug_field="code", read_only=True)
    acknowledged_by = serializers.StringRelatedField()
    minutes_to_acknowledge = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = NotifiedEnterprise
        fields = ["id", "enterprise", "name", "township", "notified_at", "acknowledged_at", "acknowledged_by",
                  "minutes_to_acknowledge"]


class WarningDetailSerializer(serializers.ModelSerializer):
    """一条预警及叫应情况 A warning with every notified unit's acknowledgement and checklist, and the notified
    enterprises the caller sees with theirs."""

    kind_display = ChoiceLabelField(WarningKind.choices, source="kind")
    colour_display = ChoiceLabelField(WarningColour.choices, source="colour")
    state_display = ChoiceLabelField(WarningState.choices, source="state")
    created_by = serializers.StringRelatedField()
    units = NotifiedUnitSerializer(many=True, read_only=True)
    enterprises = NotifiedEnterpriseSerializer(many=True, read_only=True, source="visible_enterprises")

    class Meta:
        model = EarlyWarning
        fields = ["id", "title", "kind", "kind_display", "source", "level", "colour", "colour_display", "basis",
                  "state", "state_display", "issued_at", "all_district", "content", "lifted_at", "lift_note",
                  "created_by", "created_at", "units", "enterprises"]


class IssueSerializer(serializers.Serializer):
    title = serializers.CharField(label=_("Title"), max_length=120)
    kind = serializers.ChoiceField(label=_("Kind"), choices=WarningKind.choices)
    source = serializers.ChoiceField(label=_("Source"), choices=WarningSource.choices)
    level = serializers.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES)
    issued_at = serializers.DateTimeField(label=_("Issued at"))
    all_district = serializers.BooleanField(label=_("The whole district"), default=True)
    townships = PrimaryKeyRelatedField(label=_("Townships"), many=True, required=False,
                                       queryset=Region.objects.filter(level=RegionLevel.TOWNSHIP))
    content = serializers.CharField(label=_("Content"))


class AdjustSerializer(serializers.Serializer):
    level = serializers.ChoiceField(label=_("New level"), choices=LEVEL_CHOICES)
    note = serializers.CharField(label=_("Reason"), max_length=300, required=False, allow_blank=True)


class LiftSerializer(serializers.Serializer):
    note = serializers.CharField(label=_("Note"), max_length=300, required=False, allow_blank=True)


class AcknowledgeSerializer(serializers.Serializer):
    """The unit answering; without it, the caller's own unit of the warning that has not answered yet."""

    unit = serializers.IntegerField(label=_("Unit"), min_value=1, max_value=2**31 - 1, required=False)


class EnterpriseAcknowledgeSerializer(serializers.Serializer):
    """No input: every enterprise of the caller notified of the warning and not yet answering answers it."""


class TickSerializer(serializers.Serializer):
    item = serializers.IntegerField(label=_("Measure"), min_value=1, max_value=2**31 - 1)
    done = serializers.BooleanField(label=_("Done"), default=True)


class SeasonSerializer(serializers.ModelSerializer):
    """A season of one year (one of a kind a year: recording it again corrects its dates)."""

    name = serializers.SerializerMethodField()
    kind_display = ChoiceLabelField(SeasonKind.choices, source="kind")

    class Meta:
        model = Season
        fields = ["id", "name", "kind", "kind_display", "year", "starts_on", "ends_on", "notice"]

    def get_name(self, season) -> str:
        return str(season)


class FireDangerReadingSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    recorded_by = serializers.StringRelatedField()
    level = serializers.ChoiceField(label=_("Fire-danger level"), choices=FIRE_DANGER_CHOICES)

    class Meta:
        model = FireDangerReading
        fields = ["id", "name", "day", "level", "source", "recorded_by", "recorded_at"]
        read_only_fields = ["recorded_at"]

    def get_name(self, reading) -> str:
        return str(reading)


class FireDangerLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = FireDangerLevel
        fields = ["level", "name", "action", "colour"]


class StatusSerializer(serializers.Serializer):
    """今日状态 Today: the seasons in force and the fire-danger level."""

    day = serializers.DateField()
    seasons = ListSerializer(child=SeasonSerializer())
    reading = FireDangerReadingSerializer(allow_null=True)
    fire_level = FireDangerLevelSerializer(allow_null=True)
