"""The configuration API (issue 13): gateways and monitoring points (kept by the enterprise's users and the
bureau, ``CONFIGURE``; read with ``VIEW_POINTS``; scoped), a point's readings over a bounded span, the ids a
gateway addresses its points by, and the rule tables (read with ``VIEW``, written with ``MANAGE_RULES``) — the
same services as the pages."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from shouye.core.api.schema import error_responses
from shouye.core.api.viewsets import ScopedViewSetMixin

from .. import config_selectors as selectors
from .. import config_services as services
from ..choices import LEVEL_ORDER
from ..config_filters import GatewayFilter, PointFilter
from ..models import AlarmRule, AlarmTrigger, Gateway, MonitoringPoint, Scenario
from ..workflow import CONFIGURE, MANAGE_RULES, VIEW, VIEW_POINTS
from . import config_serializers as s

TAGS = ["monitoring"]


class ReadOrWrite(permissions.BasePermission):
    """Reading needs ``read_perm`` of the view, writing ``write_perm``."""

    def has_permission(self, request, view):
        perm = view.read_perm if request.method in permissions.SAFE_METHODS else view.write_perm
        return request.user.has_perm(perm)


class _Config:
    """Before ScopedViewSetMixin: reading with ``VIEW_POINTS``, writing with ``CONFIGURE`` (the model's own
    permissions are not the roles' verbs here)."""

    permission_classes = [permissions.IsAuthenticated, ReadOrWrite]
    read_perm = VIEW_POINTS
    write_perm = CONFIGURE

    def _detail(self, row, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=row.pk)
        return Response(self.get_serializer_class()(fresh, context=self.get_serializer_context()).data,
                        status=status_code)


@extend_schema_view(
    list=extend_schema(summary="网关列表 List gateways", tags=TAGS),
    retrieve=extend_schema(summary="网关详情 A gateway", tags=TAGS),
    create=extend_schema(summary="登记网关 Register a gateway", tags=TAGS),
    update=extend_schema(summary="修改网关 Change a gateway", tags=TAGS),
    partial_update=extend_schema(summary="部分修改网关 Partly change a gateway", tags=TAGS),
)
class GatewayViewSet(_Config, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """数据采集网关（只含本人辖区）。Data gateways within the caller's scope."""

    queryset = Gateway.objects.all()
    serializer_class = s.GatewaySerializer
    filterset_class = GatewayFilter

    def get_queryset(self):
        return (Gateway.objects.visible_to(self.request.user).select_related("enterprise")
                .annotate(point_count=Count("points", filter=Q(points__is_active=True))).order_by("code", "id"))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        gateway = services.create_gateway(actor=request.user, enterprise=data.pop("enterprise"), data=data)
        return self._detail(gateway, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        gateway = self.get_object()
        serializer = self.get_serializer(gateway, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        gateway = services.update_gateway(actor=request.user, gateway=gateway, data=dict(serializer.validated_data))
        return self._detail(gateway)

    @extend_schema(summary="停用网关 Take a gateway and its points out of service", request=None,
                   responses={200: s.GatewaySerializer}, tags=TAGS)
    @action(detail=True, methods=["post"], filterset_class=None)
    def deactivate(self, request, pk=None):
        gateway = services.deactivate_gateway(actor=request.user, gateway=self.get_object())
        return self._detail(gateway)

    @extend_schema(summary="网关的监测点 The gateway's points with the ids its binary payload addresses them by",
                   responses={200: s.GatewayPointSerializer(many=True)}, tags=TAGS)
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def points(self, request, pk=None):
        gateway = self.get_object()
        rows = MonitoringPoint.objects.visible_to(request.user).filter(gateway=gateway).order_by("code", "id")
        return Response(s.GatewayPointSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="监测点列表 List monitoring points with their latest values", tags=TAGS),
    retrieve=extend_schema(summary="监测点详情 A monitoring point", tags=TAGS),
    create=extend_schema(summary="新增监测点 Add a monitoring point", tags=TAGS),
    update=extend_schema(summary="修改监测点 Change a monitoring point", tags=TAGS),
    partial_update=extend_schema(summary="部分修改监测点 Partly change a monitoring point", tags=TAGS),
)
class PointViewSet(_Config, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """监测点（只含本人辖区）。Monitoring points within the caller's scope."""

    queryset = MonitoringPoint.objects.all()
    serializer_class = s.PointSerializer
    filterset_class = PointFilter

    def get_queryset(self):
        return selectors.points(self.request.user).order_by("enterprise__name", "gateway__code", "code", "id")

    def _answer(self, point, status_code):
        response = self._detail(point, status_code)
        response.data["setpoints_from_standard"] = point.setpoints_from_standard
        return response

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        point = services.create_point(actor=request.user, gateway=data.pop("gateway"), data=data)
        return self._answer(point, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        point = self.get_object()
        serializer = self.get_serializer(point, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        point = services.update_point(actor=request.user, point=point, data=dict(serializer.validated_data))
        return self._answer(point, status.HTTP_200_OK)

    @extend_schema(summary="停用监测点 Take a monitoring point out of service", request=None,
                   responses={200: s.PointSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"], filterset_class=None)
    def deactivate(self, request, pk=None):
        point = services.deactivate_point(actor=request.user, point=self.get_object())
        return self._detail(point)

    @extend_schema(summary="监测数据 The point's readings over a span of at most 92 days, downsampled by its length",
                   parameters=[OpenApiParameter("from", str, required=True, description="ISO 8601"),
                               OpenApiParameter("to", str, required=True, description="ISO 8601")],
                   filters=False, responses={200: s.ReadingsSerializer}, tags=TAGS)
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    @error_responses(400)
    def readings(self, request, pk=None):
        point = self.get_object()
        query = s.ReadingsQuerySerializer(data={"start": request.query_params.get("from"),
                                                "end": request.query_params.get("to")})
        if not query.is_valid():
            raise ValidationError({{"start": "from", "end": "to"}[k]: v for k, v in query.errors.items()})
        start, end = query.validated_data["start"], query.validated_data["end"]
        if end <= start:
            raise ValidationError({"to": [_("The end of the span must come after its start.")]})
        if end - start > selectors.MAX_SPAN:
            raise ValidationError({"to": [_("A span is at most %(days)s days.") % {"days": selectors.MAX_SPAN.days}]})
        trend = selectors.trend(point, start, end)
        return Response({"point": point.pk, "unit": point.unit, "resolution": trend.resolution,
                         "readings": [{"t": at, "value": mean, "min": low, "max": high}
                                      for at, low, high, mean in trend.rows]})


class _TableView(APIView):
    """A rule table read whole (``VIEW``) and written whole (``MANAGE_RULES``): PUT names every row it changes."""

    permission_classes = [permissions.IsAuthenticated, ReadOrWrite]
    read_perm = VIEW
    write_perm = MANAGE_RULES


class AlarmRuleTableView(_TableView):
    @extend_schema(summary="报警处置规则 The handling rule of each level ([U] local practice, REGULATIONS-2 §B.5)",
                   responses={200: s.AlarmRuleTableSerializer}, tags=TAGS)
    def get(self, request):
        rows = sorted(AlarmRule.objects.all(), key=lambda row: LEVEL_ORDER.index(row.level))
        return Response({"rules": s.AlarmRuleSerializer(rows, many=True).data})

    @extend_schema(summary="修改报警处置规则 Change the rules of the levels given; new alarms follow them within 30 s",
                   request=s.AlarmRuleTableSerializer, responses={200: s.AlarmRuleTableSerializer}, tags=TAGS)
    def put(self, request):
        serializer = s.AlarmRuleTableSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = services.save_alarm_rules(actor=request.user, rules=[dict(row) for row in
                                                                   serializer.validated_data["rules"]])
        return Response({"rules": s.AlarmRuleSerializer(rows, many=True).data})


class AlarmTriggerTableView(_TableView):
    @extend_schema(summary="报警分级触发表 Which level each condition raises, per point kind",
                   responses={200: s.AlarmTriggerTableSerializer}, tags=TAGS)
    def get(self, request):
        rows = AlarmTrigger.objects.order_by("condition", "point_kind")
        return Response({"triggers": s.AlarmTriggerSerializer(rows, many=True).data})

    @extend_schema(summary="替换报警分级触发表 Replace the trigger table (each condition keeps its row for any kind)",
                   request=s.AlarmTriggerTableSerializer, responses={200: s.AlarmTriggerTableSerializer}, tags=TAGS)
    def put(self, request):
        serializer = s.AlarmTriggerTableSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = services.save_triggers(actor=request.user, triggers=[dict(row) for row in
                                                                    serializer.validated_data["triggers"]])
        return Response({"triggers": s.AlarmTriggerSerializer(rows, many=True).data})


class ScenarioTableView(_TableView):
    @extend_schema(summary="视频报警场景 The scenarios video AI reports", responses={200: s.ScenarioTableSerializer},
                   tags=TAGS)
    def get(self, request):
        return Response({"scenarios": s.ScenarioSerializer(Scenario.objects.order_by("code"), many=True).data})

    @extend_schema(summary="修改视频报警场景 Add scenarios (a new code) or change them (a known code)",
                   request=s.ScenarioTableSerializer, responses={200: s.ScenarioTableSerializer}, tags=TAGS)
    def put(self, request):
        serializer = s.ScenarioTableSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.save_scenarios(actor=request.user, rows=[dict(row) for row in serializer.validated_data["scenarios"]])
        return Response({"scenarios": s.ScenarioSerializer(Scenario.objects.order_by("code"), many=True).data})
