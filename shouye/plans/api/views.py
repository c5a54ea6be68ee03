"""The plans API: plans, drills and units (list, detail, create), each act as ``POST /<pk>/<act>/`` (the same
services as the pages), and the bureau's statistics."""

from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shouye.core.actions import ActionViewSetMixin
from shouye.core.api.permissions import requires
from shouye.core.api.viewsets import ScopedViewSetMixin

from .. import actions, selectors, services
from ..filters import DrillFilter, PlanFilter
from ..models import Drill, EmergencyPlan, PlanUnit
from ..permissions import EXPORT, VIEW
from . import serializers as s

JSON = "application/json"


CanView = requires(VIEW)


class _Detail:
    detail_serializer = None

    def detail_response(self, obj, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.detail_serializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)


STATISTICS = inline_serializer("PlanStatisticsRow", fields={
    "township": serializers.CharField(), "kind": serializers.CharField(), "units": serializers.IntegerField(),
    "live": serializers.IntegerField(), "filed": serializers.IntegerField(), "overdue": serializers.IntegerField(),
    "held": serializers.IntegerField(), "planned": serializers.IntegerField(), "due": serializers.IntegerField(),
    "drill_overdue": serializers.IntegerField()}, many=True)


@extend_schema_view(
    list=extend_schema(summary="应急预案 The plans in the caller's scope", tags=["emergency-plans"]),
    retrieve=extend_schema(summary="应急预案详情 One plan version with its clocks", tags=["emergency-plans"]),
    create=extend_schema(summary="新建预案草稿 A draft plan of an enterprise, a township, a department or the "
                                 "district", request={JSON: s.CreatePlanSerializer},
                         responses={201: s.PlanSerializer}, tags=["emergency-plans"]),
)
class PlanViewSet(_Detail, ScopedViewSetMixin, ActionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  mixins.CreateModelMixin, viewsets.GenericViewSet):
    """应急预案（只含本人辖区）。Emergency plans within the caller's jurisdiction."""

    action_set = actions.PLAN
    api_actions = tuple(actions.PLAN.actions)
    action_response_serializer = s.PlanSerializer
    detail_serializer = s.PlanSerializer
    schema_tags = ["emergency-plans"]
    queryset = EmergencyPlan.objects.all()
    filterset_class = PlanFilter
    permission_classes = [permissions.IsAuthenticated, CanView]

    def get_queryset(self):
        return selectors.with_documents(selectors.plan_detail(self.request.user)).order_by("-id")

    def get_serializer_class(self):
        return s.CreatePlanSerializer if self.action == "create" else s.PlanSerializer

    def create(self, request, *args, **kwargs):
        serializer = s.CreatePlanSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        plan = services.create_plan(actor=request.user, **serializer.validated_data)
        return self.detail_response(plan, status.HTTP_201_CREATED)

    def action_response(self, name, obj, result):
        # A revision answers with the new draft version it opened.
        return self.detail_response(result if name == "revise" else obj)

    @extend_schema(summary="预案与演练统计 Per township and kind of unit: plans in force, filed, overdue; drills "
                           "held in 12 months, planned; units overdue for a drill",
                   responses={200: STATISTICS}, tags=["emergency-plans"], filters=False)
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def statistics(self, request):
        if not request.user.has_perm(EXPORT):
            self.permission_denied(request)
        return Response(selectors.statistics(request.user))


@extend_schema_view(
    list=extend_schema(summary="演练 The drills in the caller's scope", tags=["drills"]),
    retrieve=extend_schema(summary="演练详情 One drill with its problems", tags=["drills"]),
    create=extend_schema(summary="计划演练 Plan a drill of a unit's plans in force",
                         request={JSON: s.CreateDrillSerializer}, responses={201: s.DrillSerializer},
                         tags=["drills"]),
)
class DrillViewSet(_Detail, ScopedViewSetMixin, ActionViewSetMixin, mixins.ListModelMixin,
                   mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """演练（只含本人辖区）。Drills within the caller's jurisdiction."""

    action_set = actions.DRILL
    api_actions = tuple(actions.DRILL.actions)
    action_response_serializer = s.DrillSerializer
    detail_serializer = s.DrillSerializer
    schema_tags = ["drills"]
    queryset = Drill.objects.all()
    filterset_class = DrillFilter
    permission_classes = [permissions.IsAuthenticated, CanView]

    def get_queryset(self):
        return selectors.drill_detail(self.request.user).prefetch_related("problems").order_by("-planned_on", "-id")

    def get_serializer_class(self):
        return s.CreateDrillSerializer if self.action == "create" else s.DrillSerializer

    def create(self, request, *args, **kwargs):
        serializer = s.CreateDrillSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        drill = services.plan_drill(actor=request.user, **serializer.validated_data)
        return self.detail_response(drill, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="预案单位 The units (enterprises, townships, the district) with their drill clocks",
                       tags=["plan-units"]),
    retrieve=extend_schema(summary="预案单位详情 One unit with its category and clocks", tags=["plan-units"]),
)
class UnitViewSet(_Detail, ScopedViewSetMixin, ActionViewSetMixin, mixins.ListModelMixin,
                  mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """预案单位（只含本人辖区）。Units keeping plans, within the caller's jurisdiction."""

    action_set = actions.UNIT
    api_actions = tuple(actions.UNIT.actions)
    action_response_serializer = s.UnitSerializer
    detail_serializer = s.UnitSerializer
    schema_tags = ["plan-units"]
    queryset = PlanUnit.objects.all()
    serializer_class = s.UnitSerializer
    filterset_class = None
    permission_classes = [permissions.IsAuthenticated, CanView]

    def get_queryset(self):
        return selectors.units(self.request.user).order_by("kind", "name", "id")
