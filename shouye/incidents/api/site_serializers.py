"""Shapes of the API for the response's tasks, the investigation report's extension and the on-site acts."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shouye.accounts.choices import OrganisationKind
from shouye.accounts.models import Organisation
from shouye.core.api.fields import ListField, PrimaryKeyRelatedField, SlugRelatedField
from shouye.core.bounds import MAX_PHOTOS
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region
from shouye.rules.data.incidents import MAX_EXTENSION_DAYS

from ..assignments import TASK_TEXT_MAX
from ..models import IncidentPhoto, IncidentTask


class IncidentTaskSerializer(serializers.ModelSerializer):
    """任务 A task given to a township or a department, with its acknowledgement and completion."""

    incident_title = serializers.CharField(source="incident.title", read_only=True)
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department = serializers.StringRelatedField()
    unit = serializers.StringRelatedField()
    acknowledged_by = serializers.StringRelatedField()
    done_by = serializers.StringRelatedField()

    class Meta:
        model = IncidentTask
        fields = ["id", "incident", "incident_title", "township", "department", "unit", "text", "due_at",
                  "state", "assigned_at", "acknowledged_at", "acknowledged_by", "done_at", "done_by", "done_note"]


class IncidentPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = IncidentPhoto
        fields = ["id", "entry", "url", "thumbnail_url", "uploaded_at"]

    def _absolute(self, field) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(field.url) if request else field.url

    def get_url(self, photo) -> str:
        return self._absolute(photo.image)

    def get_thumbnail_url(self, photo) -> str:
        return self._absolute(photo.thumbnail)


class AssignTaskSerializer(serializers.Serializer):
    """派发任务 A task to one township (by code) or one industry department (by id)."""

    text = serializers.CharField(max_length=TASK_TEXT_MAX)
    township = SlugRelatedField(slug_field="code", queryset=Region.objects.filter(level=RegionLevel.TOWNSHIP),
                                required=False, allow_null=True, default=None)
    department = PrimaryKeyRelatedField(queryset=Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT),
                                        required=False, allow_null=True, default=None)
    due_at = serializers.DateTimeField()


class ExtendInvestigationSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=MAX_EXTENSION_DAYS)
    reason = serializers.CharField(max_length=2000)


class PositionSerializer(serializers.Serializer):
    latitude = serializers.DecimalField(min_value=-90, max_value=90, max_digits=8, decimal_places=6)
    longitude = serializers.DecimalField(min_value=-180, max_value=180, max_digits=9, decimal_places=6)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PhotosSerializer(serializers.Serializer):
    """Photos as repeated multipart parts; the service checks each one's content and names a refused file."""

    photos = ListField(child=serializers.FileField(allow_empty_file=True, use_url=False), max_length=MAX_PHOTOS,
                       label=_("Photos"), help_text=_("Photos from the site (JPEG, PNG or WebP)"))
    caption = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AcknowledgeTaskSerializer(serializers.Serializer):
    """签收 takes no input."""


class CompleteTaskSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)
