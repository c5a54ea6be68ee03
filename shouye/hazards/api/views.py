"""The hazards API: the ledger, the detail, reporting, the transitions as POST actions, statistics, the
Excel export, and public tip-offs. Thin: the scoped queryset comes from the selectors, each write is one
service call (ARCHITECTURE.md §4, §7)."""

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.response import Response

from shouye.core.actions import ActionViewSetMixin
from shouye.core.api.permissions import requires
from shouye.core.api.schema import error_responses
from shouye.core.api.viewsets import ScopedViewSetMixin
from shouye.core.request_context import client_ip

from .. import actions, exports, selectors, services
from ..filters import HazardFilter, TipOffFilter
from ..models import GovernancePlan, Hazard, TipOff
from . import serializers as s

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TAGS = ["hazards"]
MULTIPART = "multipart/form-data"
JSON = "application/json"


#: Every hazard route needs the read permission; what a user may change is the services' to decide.
CanViewHazards = requires("hazards.view_hazard")
CanViewTipOffs = requires("hazards.view_tipoff")


@extend_schema_view(
    list=extend_schema(summary="隐患台账 The hazard ledger (filtered, paginated)", tags=TAGS),
    retrieve=extend_schema(summary="隐患详情 Hazard detail with photos, plan, supervision and allowed actions",
                           tags=TAGS),
    create=extend_schema(summary="上报隐患 Report a hazard (JSON, or multipart with photos)",
                         request={JSON: s.HazardReportSerializer, MULTIPART: s.HazardReportSerializer},
                         responses={201: s.HazardDetailSerializer}, tags=TAGS),
)
class HazardViewSet(ScopedViewSetMixin, ActionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    mixins.CreateModelMixin, viewsets.GenericViewSet):
    """隐患（只含本人辖区）。Hidden hazards within the caller's jurisdiction, from report to close-out."""

    action_set = actions.HAZARD
    api_actions = tuple(actions.HAZARD.actions)
    action_response_serializer = s.HazardDetailSerializer
    schema_tags = TAGS

    queryset = Hazard.objects.all()
    filterset_class = HazardFilter
    permission_classes = [permissions.IsAuthenticated, CanViewHazards]

    def get_queryset(self):
        if self.action in ("list", "export"):
            return selectors.ledger_rows(self.request.user)
        if self.action == "retrieve":
            return selectors.hazard_detail(self.request.user)
        return Hazard.objects.visible_to(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return s.HazardListSerializer
        if self.action == "create":
            return s.HazardReportSerializer
        return s.HazardDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def detail_response(self, hazard, status_code=status.HTTP_200_OK) -> Response:
        fresh = selectors.hazard_detail(self.request.user).get(pk=hazard.pk)
        return Response(s.HazardDetailSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        hazard = services.report_hazard(actor=request.user, **serializer.validated_data)
        return self.detail_response(hazard, status.HTTP_201_CREATED)

    @extend_schema(methods=["PUT"], summary="治理方案（整体）Replace the governance plan of a major hazard "
                                            "(the six parts of 16号令 Art. 15)",
                   request=s.GovernancePlanSerializer, responses={200: s.HazardDetailSerializer}, tags=TAGS)
    @extend_schema(methods=["POST"], summary="治理方案（部分）Write some parts of the governance plan of a major "
                                             "hazard", request=s.GovernancePlanSerializer,
                   responses={200: s.HazardDetailSerializer}, tags=TAGS)
    @action(detail=True, methods=["put", "post"], url_path="governance-plan")
    def governance_plan(self, request, pk=None):
        """POST writes the parts it names; PUT replaces the plan (a part it omits is emptied)."""
        replace = None
        if request.method == "PUT":
            def replace(body):
                return {part: body.get(part, "") for part in GovernancePlan.PARTS}
        hazard, _plan = self.run_action(request, "governance-plan", data=replace)
        return self.detail_response(hazard)

    @extend_schema(
        summary="隐患统计 Statistics for the caller's scope and a period",
        description="发现数、销号数、整改率、按期整改率、当前逾期数，按街镇、行业、级别分组。Found, closed, "
                    "rectification rate (closed / found), on-time rate, overdue now; by township, industry and "
                    "level. Default period: this year up to today.",
        parameters=[OpenApiParameter("date_from", OpenApiTypes.DATE, description="统计起 period start"),
                    OpenApiParameter("date_to", OpenApiTypes.DATE, description="统计止 period end")],
        responses={200: s.HazardStatsSerializer}, tags=TAGS)
    @action(detail=False, methods=["get"], pagination_class=None)
    def stats(self, request):
        query = s.StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = selectors.hazard_stats(request.user, filters=request.query_params, **query.validated_data)
        return Response(s.HazardStatsSerializer(data).data)

    @extend_schema(summary="导出隐患台账（Excel）Export the filtered ledger as xlsx",
                   description="与台账相同的筛选条件，导出全部筛选结果（不分页）。The same filters as the ledger; "
                               "every filtered row, not one page.",
                   responses={(200, XLSX): OpenApiTypes.BINARY}, tags=TAGS)
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request):
        if not request.user.has_perm("hazards.export_hazard"):
            raise PermissionDenied()
        queryset = self.filter_queryset(self.get_queryset())
        content, filename = exports.export_ledger(actor=request.user, queryset=queryset,
                                                  filters=request.query_params)
        return FileResponse(content, as_attachment=True, filename=filename, content_type=XLSX)


@extend_schema_view(
    list=extend_schema(summary="群众举报列表 Tip-offs from the public (bureau staff)", tags=["tip-offs"]),
    retrieve=extend_schema(summary="举报详情 One tip-off", tags=["tip-offs"]),
    create=extend_schema(summary="群众举报（无需登录，限频）Report a hazard as a member of the public (no sign-in, "
                                 "rate-limited)",
                         request={MULTIPART: s.TipOffCreateSerializer, JSON: s.TipOffCreateSerializer},
                         responses={201: s.TipOffReceiptSerializer}, tags=["tip-offs"], auth=[]),
)
class TipOffViewSet(ScopedViewSetMixin, ActionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    mixins.CreateModelMixin, viewsets.GenericViewSet):
    """群众举报：公众提交，应急局分拣。Tip-offs: the public sends them, bureau staff triage them."""

    action_set = actions.TIPOFF
    api_actions = ("triage", "send")
    action_response_serializer = s.TipOffSerializer
    schema_tags = ["tip-offs"]

    queryset = TipOff.objects.all()
    serializer_class = s.TipOffSerializer
    filterset_class = TipOffFilter

    def get_permissions(self):
        if self.action == "create":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated(), CanViewTipOffs()]

    def get_queryset(self):
        return selectors.tip_offs(self.request.user)

    @error_responses(429)
    def create(self, request, *args, **kwargs):
        serializer = s.TipOffCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        photo = data.pop("photo", None)
        try:
            tip_off = services.submit_tip_off(data=data, photo=photo, ip_address=client_ip(request))
        except services.TooManyTipOffs as exc:
            raise Throttled(wait=exc.retry_after, detail=str(exc)) from exc
        receipt = {"receipt_code": tip_off.receipt_display, "received_at": tip_off.created_at,
                   "detail": _("Thank you. The bureau will look into your report.")}
        return Response(s.TipOffReceiptSerializer(receipt).data, status=status.HTTP_201_CREATED)

    def action_response(self, name, tip_off, result) -> Response:
        return Response(s.TipOffSerializer(self.get_queryset().get(pk=tip_off.pk),
                                           context=self.get_serializer_context()).data)
