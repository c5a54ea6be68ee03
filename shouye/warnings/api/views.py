"""The warnings API: list, detail, entering a warning, each act as ``POST /<pk>/<act>/`` (the same services
as the pages); the seasons and fire-danger readings; today's status."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from shouye.core.actions import ActionViewSetMixin
from shouye.core.api.permissions import requires
from shouye.core.api.viewsets import ScopedViewSetMixin

from .. import actions, selectors, services
from ..filters import WarningFilter
from ..models import EarlyWarning, FireDangerReading, NotifiedEnterprise, Season
from ..permissions import ISSUE, MANAGE_SEASONS, VIEW
from . import serializers as s

TAGS = ["early-warnings"]
JSON = "application/json"


CanView = requires(VIEW)


class ReadsOrManagesSeasons(permissions.BasePermission):
    """Every signed-in user reads the district's seasons and readings; the bureau records them."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.has_perm(MANAGE_SEASONS)


@extend_schema_view(
    list=extend_schema(summary="预警 The warnings the caller sees", tags=TAGS),
    retrieve=extend_schema(summary="预警详情 One warning with every unit's acknowledgement and checklist", tags=TAGS),
    create=extend_schema(summary="录入预警 Enter a warning: the units are notified with the level's checklist",
                         request={JSON: s.IssueSerializer}, responses={201: s.WarningDetailSerializer}, tags=TAGS),
)
class WarningViewSet(ScopedViewSetMixin, ActionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.CreateModelMixin, viewsets.GenericViewSet):
    """预警（本人可见范围）。Warnings: the bureau and departments see all, a township those covering it."""

    action_set = actions.WARNING
    api_actions = tuple(actions.WARNING.actions)
    action_response_serializer = s.WarningDetailSerializer
    schema_tags = TAGS

    queryset = EarlyWarning.objects.all()
    filterset_class = WarningFilter
    permission_classes = [permissions.IsAuthenticated, CanView]

    def get_queryset(self):
        if self.action == "list":
            return selectors.warnings(self.request.user).order_by("-issued_at", "-id")
        return selectors.warning_detail(self.request.user).prefetch_related(
            "units__township", "units__department", "units__acknowledged_by", "units__items__done_by",
            Prefetch("enterprises", to_attr="visible_enterprises",
                     queryset=NotifiedEnterprise.objects.visible_to(self.request.user)
                     .select_related("enterprise__township", "acknowledged_by").order_by("enterprise__name", "id")))

    def get_serializer_class(self):
        if self.action == "list":
            return s.WarningListSerializer
        if self.action == "create":
            return s.IssueSerializer
        return s.WarningDetailSerializer

    def detail_response(self, warning, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=warning.pk)
        return Response(s.WarningDetailSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        if not request.user.has_perm(ISSUE):
            self.permission_denied(request)
        serializer = s.IssueSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        warning = services.issue_warning(actor=request.user, **{**data, "level": int(data["level"])})
        return self.detail_response(warning, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="汛期与防火期 The seasons by year", tags=TAGS),
    create=extend_schema(summary="录入时段 Record a season's dates from the district's notice", tags=TAGS),
)
class SeasonViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = Season.objects.order_by("-year", "kind")
    serializer_class = s.SeasonSerializer
    permission_classes = [permissions.IsAuthenticated, ReadsOrManagesSeasons]
    filterset_class = None

    def create(self, request, *args, **kwargs):
        serializer = s.SeasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items()}
        season = services.save_season(actor=request.user, **data)
        return Response(s.SeasonSerializer(season).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="森林火险等级记录 The daily fire-danger levels", tags=TAGS),
    create=extend_schema(summary="录入当日森林火险等级 Record a day's fire-danger level (1–5)", tags=TAGS),
)
class FireDangerViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = FireDangerReading.objects.select_related("recorded_by").order_by("-day")
    serializer_class = s.FireDangerReadingSerializer
    permission_classes = [permissions.IsAuthenticated, ReadsOrManagesSeasons]
    filterset_class = None

    def create(self, request, *args, **kwargs):
        serializer = s.FireDangerReadingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        reading = services.record_fire_danger(actor=request.user, day=data["day"], level=int(data["level"]),
                                              source=data["source"])
        return Response(s.FireDangerReadingSerializer(reading).data, status=status.HTTP_201_CREATED)


class StatusView(APIView):
    """今日状态 Which seasons are in force today and today's fire-danger level with its action and colour."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="今日汛期、防火期与森林火险等级 Today's seasons and fire-danger level",
                   responses={200: s.StatusSerializer}, tags=TAGS)
    def get(self, request):
        return Response(s.StatusSerializer(selectors.current_status()).data)
