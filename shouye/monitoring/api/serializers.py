"""Input and output shapes of the alarms API (field validation only; the services decide)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shouye.core.api import fields
from shouye.core.api.fields import ChoiceLabelField
from shouye.core.bounds import MAX_PHOTOS

from ..choices import AlarmKind, AlarmLevel, AlarmSource, AlarmState, Condition, Disposition
from ..models import Alarm, AlarmPhoto
from ..workflow import WORKFLOW


class AlarmListSerializer(serializers.ModelSerializer):
    """一条报警 One alarm: what, where, its level and state."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    point = serializers.StringRelatedField()
    camera = serializers.StringRelatedField()
    scenario = serializers.StringRelatedField()
    source_display = ChoiceLabelField(AlarmSource.choices, source="source")
    kind_display = ChoiceLabelField(AlarmKind.choices, source="kind")
    level_display = ChoiceLabelField(AlarmLevel.choices, source="level")
    state_display = ChoiceLabelField(AlarmState.choices, source="state")
    condition_display = ChoiceLabelField(Condition.choices, source="condition")

    class Meta:
        model = Alarm
        fields = ["id", "source", "source_display", "kind", "kind_display", "level", "level_display", "state",
                  "state_display", "enterprise", "enterprise_name", "township", "installation", "point", "camera",
                  "scenario", "condition", "condition_display", "value", "setpoint", "peak_value", "description",
                  "raised_at", "last_seen_at", "repeat_count", "ack_due_by", "acknowledged_at", "escalated_at",
                  "cleared_at", "closed_at", "disposition", "hazard", "changed_at"]


class AlarmPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = AlarmPhoto
        fields = ["id", "is_snapshot", "url", "thumbnail_url", "uploaded_at"]

    def _absolute(self, field) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(field.url) if request else field.url

    def get_url(self, photo) -> str:
        return self._absolute(photo.image)

    def get_thumbnail_url(self, photo) -> str:
        return self._absolute(photo.thumbnail)


class AlarmDetailSerializer(AlarmListSerializer):
    """报警详情 An alarm with its handling, photos, repeats and the acts the current user may take now."""

    acknowledged_by = serializers.StringRelatedField()
    handled_by = serializers.StringRelatedField()
    cleared_by = serializers.StringRelatedField()
    closed_by = serializers.StringRelatedField()
    photos = AlarmPhotoSerializer(many=True, read_only=True)
    repeats = serializers.IntegerField(read_only=True, help_text=_("Alarms of this kind here within the window"))
    repeat_threshold = serializers.IntegerField(read_only=True)
    proposes_hazard = serializers.BooleanField(read_only=True)
    allowed_actions = serializers.SerializerMethodField(
        help_text=_("Acts the current user may take now, e.g. acknowledge, handle, clear"))

    class Meta(AlarmListSerializer.Meta):
        fields = [*AlarmListSerializer.Meta.fields, "clip_url", "acknowledged_by", "handling_at", "handled_by",
                  "cause", "measures", "cleared_by", "closed_by", "close_note", "photos", "repeats",
                  "repeat_threshold", "proposes_hazard", "allowed_actions"]

    def get_allowed_actions(self, alarm) -> list[str]:
        request = self.context.get("request")
        return WORKFLOW.available(request.user, alarm) if request else []


class AlarmNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AlarmHandlingSerializer(serializers.Serializer):
    cause = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    measures = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    photos = fields.ListField(child=serializers.FileField(allow_empty_file=True, use_url=False), required=False,
                              default=list, max_length=MAX_PHOTOS, label=_("Photos"))


class AlarmCloseSerializer(serializers.Serializer):
    disposition = serializers.ChoiceField(choices=Disposition.choices, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AlarmReportHazardSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="",
                                 help_text="Added to the description the alarm gives the hazard")

