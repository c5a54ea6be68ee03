"""The plant plans and their zones under /api/v1/ (issue 11, "Floor plan and four-colour map"): upload a plan
(an image, or a page of a PDF), draw, rename, redraw and delete zones, place risk points in them, and read
each zone's colour. Thin: every write is one service call (``risks.services.plans``)."""

import math

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from shouye.core.api.fields import ListField, ScopedPrimaryKeyRelatedField
from shouye.core.api.permissions import requires
from shouye.core.api.viewsets import ScopedViewSetMixin
from shouye.core.filters import FilterSet, IntegerFilter
from shouye.enterprises.models import Enterprise

from ..models import FloorPlan, PlanZone, RiskPoint
from ..selectors import plans as selectors
from ..services import plans as services

TAGS = ["risk plans"]
VIEW = "risks.view_riskpoint"


#: Reading plans needs the risk list's read permission; writing is the services' to decide.
CanViewRisks = requires(VIEW)


class FloorPlanFilter(FilterSet):
    enterprise = IntegerFilter(field_name="enterprise", label=_("enterprise"))

    class Meta:
        model = FloorPlan
        fields = ["enterprise", "is_current"]


class PlanZoneFilter(FilterSet):
    plan = IntegerFilter(field_name="plan", label=_("floor plan"))

    class Meta:
        model = PlanZone
        fields = ["plan"]


@extend_schema_field(OpenApiTypes.NUMBER)
class Number(serializers.Field):
    """A coordinate: a finite JSON number (not a string, not true/false)."""

    default_error_messages = {"invalid": _("A coordinate must be a number.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float) or not math.isfinite(data):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class ZoneRiskPointSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    grade = serializers.CharField(read_only=True)


class PlanZoneSerializer(serializers.Serializer):
    """A zone: its outline in the plan's pixels ([[x, y], …], origin top left, 3–200 points inside the
    image), its colour from the highest grade of its risk points in use, and those points (``risk_points``
    their ids, which a write replaces; ``placed_risk_points`` their numbers, names and grades)."""

    id = serializers.IntegerField(read_only=True)
    plan = ScopedPrimaryKeyRelatedField(FloorPlan, label=_("floor plan"))
    name = serializers.CharField(max_length=100, label=_("name"))
    polygon = ListField(child=ListField(child=Number(), min_length=2, max_length=2), min_length=services.MIN_POINTS,
                        max_length=services.MAX_POINTS, label=_("outline"))
    risk_points = ScopedPrimaryKeyRelatedField(RiskPoint, many=True, required=False, label=_("risk points"))
    placed_risk_points = ZoneRiskPointSerializer(source="risk_points", many=True, read_only=True)
    colour = serializers.SerializerMethodField()
    grade = serializers.SerializerMethodField()

    def get_colour(self, zone) -> str:
        return selectors.colour_of(self.get_grade(zone))

    def get_grade(self, zone) -> str:
        return selectors.highest_grade(point.grade for point in zone.risk_points.all())


class PlanZoneUpdateSerializer(PlanZoneSerializer):
    plan = serializers.IntegerField(source="plan_id", read_only=True)


class FloorPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    enterprise = serializers.IntegerField(source="enterprise_id", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    title = serializers.CharField(read_only=True)
    image = serializers.FileField(read_only=True, use_url=True)
    width = serializers.IntegerField(read_only=True)
    height = serializers.IntegerField(read_only=True)
    is_current = serializers.BooleanField(read_only=True)
    uploaded_at = serializers.DateTimeField(read_only=True)


class FloorPlanUploadSerializer(serializers.Serializer):
    """A PNG or JPEG image, or a PDF of which page ``page`` is rendered to an image."""

    enterprise = ScopedPrimaryKeyRelatedField(Enterprise, label=_("enterprise"))
    title = serializers.CharField(max_length=100, label=_("title"))
    file = serializers.FileField(label=_("plan file"))
    page = serializers.IntegerField(min_value=1, max_value=9999, default=1, label=_("PDF page"))


@extend_schema_view(
    list=extend_schema(summary="厂区平面图列表 Plant plans in the caller's scope", tags=TAGS),
    retrieve=extend_schema(summary="平面图 One plant plan", tags=TAGS),
    create=extend_schema(summary="上传平面图 Upload a plant plan (PNG/JPEG, or one page of a PDF); it becomes the "
                                 "enterprise's current plan",
                         request={"multipart/form-data": FloorPlanUploadSerializer},
                         responses={201: FloorPlanSerializer}, tags=TAGS),
)
class FloorPlanViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """企业厂区平面图（只含本人辖区）。The enterprises' plant plans within the caller's jurisdiction."""

    queryset = FloorPlan.objects.all()
    filterset_class = FloorPlanFilter
    permission_classes = [permissions.IsAuthenticated, CanViewRisks]

    def get_queryset(self):
        return selectors.floor_plans(self.request.user)

    def get_serializer_class(self):
        return FloorPlanUploadSerializer if self.action == "create" else FloorPlanSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        plan = services.upload_floor_plan(actor=request.user, enterprise=data["enterprise"], title=data["title"],
                                          upload=data["file"], page=data["page"])
        fresh = self.get_queryset().get(pk=plan.pk)
        return Response(FloorPlanSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="平面图区域 Zones of the plans in the caller's scope, with their colours", tags=TAGS),
    retrieve=extend_schema(summary="区域 One zone with its colour and risk points", tags=TAGS),
    create=extend_schema(summary="划定区域 Draw a zone on a plan", tags=TAGS),
    update=extend_schema(summary="修改区域 Rename, redraw a zone or place risk points in it", tags=TAGS),
    partial_update=extend_schema(summary="修改区域（部分）Change some of a zone's fields", tags=TAGS),
    destroy=extend_schema(summary="删除区域 Delete a zone (refused while anything is placed in it)", tags=TAGS),
)
class PlanZoneViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """平面图区域。Zones drawn on the plant plans; a zone takes the colour of its highest-graded risk point."""

    queryset = PlanZone.objects.all()
    filterset_class = PlanZoneFilter
    permission_classes = [permissions.IsAuthenticated, CanViewRisks]

    def get_queryset(self):
        return selectors.zones_with_points(self.request.user)

    def get_serializer_class(self):
        return PlanZoneUpdateSerializer if self.action in ("update", "partial_update") else PlanZoneSerializer

    def _answer(self, zone, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=zone.pk)
        return Response(PlanZoneSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        zone = services.create_zone(actor=request.user, **serializer.validated_data)
        return self._answer(zone, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        zone = self.get_object()
        serializer = self.get_serializer(zone, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        zone = services.update_zone(actor=request.user, zone=zone, **serializer.validated_data)
        return self._answer(zone)

    def destroy(self, request, *args, **kwargs):
        services.delete_zone(actor=request.user, zone=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
