"""The resources API: teams, warehouses and the agreement and capacity reserves (list, detail, registering one,
each act as ``POST /<pk>/<act>/``), the reserves summary, the catalogue, nearest dispatch and its road networks
(the same services and ranking as the pages)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from shouye.core.actions import ActionViewSetMixin
from shouye.core.api.permissions import requires
from shouye.core.api.schema import error_responses
from shouye.core.api.viewsets import ScopedViewSetMixin

from .. import actions, selectors, services
from ..filters import ReserveFilter, TeamFilter, WarehouseFilter
from ..models import Item, Reserve, RoadNetwork, Team, Warehouse
from ..nearest import nearest
from ..permissions import CHANGE_ITEM, MANAGE_ROAD_NETWORK, VIEW_RESERVE, VIEW_TEAM, VIEW_WAREHOUSE
from . import serializers as s

JSON = "application/json"


CanViewTeams = requires(VIEW_TEAM)
CanViewWarehouses = requires(VIEW_WAREHOUSE)
CanViewReserves = requires(VIEW_RESERVE)
CanManageRoadNetwork = requires(MANAGE_ROAD_NETWORK)


class CanChangeItems(permissions.BasePermission):
    """The catalogue is reference data every signed-in user reads; adding to it needs the bureau's permission."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.has_perm(CHANGE_ITEM)


@extend_schema_view(
    list=extend_schema(summary="救援队伍 The rescue teams in the caller's scope", tags=["rescue-teams"]),
    retrieve=extend_schema(summary="救援队伍详情 One team with members, equipment and agreements",
                           tags=["rescue-teams"]),
    create=extend_schema(summary="登记救援队伍 Register a team of the district, a township or an enterprise",
                         request={JSON: s.TeamCreateSerializer}, responses={201: s.TeamDetailSerializer},
                         tags=["rescue-teams"]),
)
class TeamViewSet(ScopedViewSetMixin, ActionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  mixins.CreateModelMixin, viewsets.GenericViewSet):
    """救援队伍（只含本人辖区）。Rescue teams within the caller's jurisdiction."""

    action_set = actions.TEAM
    api_actions = tuple(actions.TEAM.actions)
    action_response_serializer = s.TeamDetailSerializer
    schema_tags = ["rescue-teams"]
    queryset = Team.objects.all()
    filterset_class = TeamFilter
    permission_classes = [permissions.IsAuthenticated, CanViewTeams]

    def get_queryset(self):
        if self.action == "list":
            return selectors.teams(self.request.user).order_by("-id")
        return selectors.team_detail(self.request.user)

    def get_serializer_class(self):
        return {"list": s.TeamListSerializer, "create": s.TeamCreateSerializer}.get(self.action,
                                                                                   s.TeamDetailSerializer)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "minimums": selectors.minimum_members()}

    def detail_response(self, team, status_code=status.HTTP_200_OK) -> Response:
        fresh = selectors.team_detail(self.request.user).get(pk=team.pk)
        return Response(s.TeamDetailSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = s.TeamCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        team = services.create_team(actor=request.user, **serializer.validated_data)
        return self.detail_response(team, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="应急仓库 The warehouses in the caller's scope", tags=["warehouses"]),
    retrieve=extend_schema(summary="应急仓库详情 One warehouse with its stock", tags=["warehouses"]),
    create=extend_schema(summary="登记应急仓库 Register a warehouse of the government or an enterprise",
                         request={JSON: s.WarehouseCreateSerializer}, responses={201: s.WarehouseDetailSerializer},
                         tags=["warehouses"]),
)
class WarehouseViewSet(ScopedViewSetMixin, ActionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, viewsets.GenericViewSet):
    """应急仓库（只含本人辖区）。Warehouses within the caller's jurisdiction; each movement is an act."""

    action_set = actions.WAREHOUSE
    api_actions = tuple(actions.WAREHOUSE.actions)
    action_response_serializer = s.WarehouseDetailSerializer
    schema_tags = ["warehouses"]
    queryset = Warehouse.objects.all()
    filterset_class = WarehouseFilter
    permission_classes = [permissions.IsAuthenticated, CanViewWarehouses]

    def get_queryset(self):
        if self.action == "list":
            return selectors.warehouses(self.request.user).order_by("-id")
        return selectors.warehouse_detail(self.request.user).prefetch_related("stock__item")

    def get_serializer_class(self):
        return {"list": s.WarehouseListSerializer, "create": s.WarehouseCreateSerializer}.get(
            self.action, s.WarehouseDetailSerializer)

    def detail_response(self, warehouse, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=warehouse.pk)
        return Response(s.WarehouseDetailSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = s.WarehouseCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        warehouse = services.create_warehouse(actor=request.user, **serializer.validated_data)
        return self.detail_response(warehouse, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="物资目录 The district's catalogue of emergency materials", tags=["warehouses"]),
    create=extend_schema(summary="增加物资品种 Add an item to the catalogue", tags=["warehouses"]),
)
class ItemViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """物资目录 The catalogue (category, unit, shelf life): the district's reference data."""

    queryset = Item.objects.order_by("category", "name")
    serializer_class = s.ItemSerializer
    permission_classes = [permissions.IsAuthenticated, CanChangeItems]
    filterset_class = None

    def perform_create(self, serializer):
        serializer.instance = services.create_item(actor=self.request.user, **serializer.validated_data)


@extend_schema_view(
    list=extend_schema(summary="协议储备和产能储备 The agreement and capacity reserves", tags=["reserves"]),
    retrieve=extend_schema(summary="储备详情 One reserve with its items", tags=["reserves"]),
    create=extend_schema(summary="登记储备 Record an agreement reserve (items held by a supplier) or a capacity "
                                 "reserve (a producer's capacity per day)",
                         request={JSON: s.ReserveCreateSerializer}, responses={201: s.ReserveDetailSerializer},
                         tags=["reserves"]),
    summary=extend_schema(summary="储备汇总 Per item: physical stock, agreement and capacity reserves in force",
                          responses=s.ReserveSummarySerializer(many=True), tags=["reserves"]),
)
class ReserveViewSet(ScopedViewSetMixin, ActionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, viewsets.GenericViewSet):
    """协议储备和产能储备（区局的；街镇只读）。The bureau's agreement and capacity reserves; townships read them."""

    action_set = actions.RESERVE
    api_actions = tuple(actions.RESERVE.actions)
    action_response_serializer = s.ReserveDetailSerializer
    schema_tags = ["reserves"]
    queryset = Reserve.objects.all()
    filterset_class = ReserveFilter
    permission_classes = [permissions.IsAuthenticated, CanViewReserves]

    def get_queryset(self):
        if self.action == "list":
            return selectors.reserves(self.request.user).order_by("-ends_on", "-id")
        return selectors.reserve_detail(self.request.user)

    def get_serializer_class(self):
        return {"list": s.ReserveListSerializer, "create": s.ReserveCreateSerializer}.get(
            self.action, s.ReserveDetailSerializer)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def detail_response(self, reserve, status_code=status.HTTP_200_OK) -> Response:
        fresh = selectors.reserve_detail(self.request.user).get(pk=reserve.pk)
        return Response(s.ReserveDetailSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = s.ReserveCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        reserve = services.create_reserve(actor=request.user, **serializer.validated_data)
        return self.detail_response(reserve, status.HTTP_201_CREATED)

    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def summary(self, request):
        rows = selectors.reserve_summary(request.user, timezone.localdate())
        return Response(s.ReserveSummarySerializer(rows, many=True).data)


class NearestView(APIView):
    """最近救援力量和物资 The nearest ready teams and the warehouses holding the items needed."""

    permission_classes = [permissions.IsAuthenticated, CanViewTeams]

    @extend_schema(summary="就近调度 The nearest ready teams, and the warehouses and agreement suppliers holding "
                           "the items, ranked by travel distance when a road network is active, else by "
                           "straight-line distance",
                   parameters=[s.NearestQuerySerializer], responses=s.NearestSerializer, tags=["rescue-teams"])
    @error_responses(400)
    def get(self, request):
        query = s.NearestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        answer = nearest(request.user, lat=data["lat"], lng=data["lng"], items=data["items"] or None,
                         kinds=data["kinds"], limit=data["limit"])
        return Response(s.NearestSerializer(answer).data)


@extend_schema_view(
    list=extend_schema(summary="路网 The road networks, newest first (the active one ranks nearest dispatch)",
                       tags=["rescue-teams"]),
    create=extend_schema(summary="上传路网 Upload roads as GeoJSON; they become the active network",
                         request={"multipart/form-data": s.RoadNetworkUploadSerializer},
                         responses={201: s.RoadNetworkSerializer}, tags=["rescue-teams"]),
)
class RoadNetworkViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """路网（区局管理员）。The district's road networks for nearest dispatch, kept by the bureau's administrator."""

    queryset = RoadNetwork.objects.none()
    serializer_class = s.RoadNetworkSerializer
    permission_classes = [permissions.IsAuthenticated, CanManageRoadNetwork]
    parser_classes = [MultiPartParser]
    filterset_class = None

    def get_queryset(self):
        return selectors.road_networks()

    def create(self, request, *args, **kwargs):
        upload = s.RoadNetworkUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        network = services.upload_road_network(actor=request.user, name=upload.validated_data["name"],
                                               upload=upload.validated_data["file"])
        return Response(s.RoadNetworkSerializer(network).data, status=status.HTTP_201_CREATED)
