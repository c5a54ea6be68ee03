"""The duty API: rosters (list, detail, create, acts), swaps, the duty log, handovers and who is on duty now
— the same services as the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shouye.core.actions import ActionViewSetMixin
from shouye.core.api.viewsets import ScopedViewSetMixin

from .. import actions, forms, selectors, services
from ..filters import LogEntryFilter, RosterFilter, SwapFilter
from ..models import Handover, LogEntry, Roster, SwapRequest
from ..permissions import KEEP_LOG, VIEW, VIEW_LOG, VIEW_SWAP
from . import serializers as s

JSON = "application/json"


def _needs(perm: str):
    class Needs(permissions.BasePermission):
        def has_permission(self, request, view):
            if request.method not in permissions.SAFE_METHODS and view.action == "create":
                return request.user.has_perm(view.create_perm)
            return request.user.has_perm(perm)
    Needs.__name__ = f"Needs_{perm.replace('.', '_')}"
    return Needs


@extend_schema_view(
    list=extend_schema(summary="值班表 The rosters in the caller's scope", tags=["duty-rosters"]),
    retrieve=extend_schema(summary="值班表详情 One roster with its people by day", tags=["duty-rosters"]),
    create=extend_schema(summary="新建值班表 A draft roster of one's own unit for a month",
                         request={JSON: s.RosterCreateSerializer}, responses={201: s.RosterDetailSerializer},
                         tags=["duty-rosters"]),
)
class RosterViewSet(ScopedViewSetMixin, ActionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    mixins.CreateModelMixin, viewsets.GenericViewSet):
    """值班表（只含本人辖区）。Duty rosters within the caller's jurisdiction."""

    action_set = actions.ROSTER_ACTIONS
    api_actions = tuple(actions.ROSTER_ACTIONS.actions)
    action_response_serializer = s.RosterDetailSerializer
    schema_tags = ["duty-rosters"]
    queryset = Roster.objects.all()
    filterset_class = RosterFilter
    permission_classes = [permissions.IsAuthenticated, _needs(VIEW)]
    create_perm = "duty.manage_roster"

    def get_queryset(self):
        if self.action == "list":
            return selectors.rosters(self.request.user).order_by("-year", "-month", "id")
        return selectors.roster_detail(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return s.RosterSerializer
        if self.action == "create":
            return s.RosterCreateSerializer
        return s.RosterDetailSerializer

    def detail_response(self, roster, status_code=status.HTTP_200_OK) -> Response:
        fresh = selectors.roster_detail(self.request.user).get(pk=roster.pk)
        return Response(s.RosterDetailSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = s.RosterCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["unit"] not in dict(forms.unit_choices(request.user)):
            raise DjangoValidationError({"unit": _("Unit: you draw up rosters for your own unit only.")})
        unit = forms.parse_unit(request.user, data["unit"])
        roster = services.create_roster(actor=request.user, year=data["year"], month=data["month"],
                                        duty_phone=data["duty_phone"], **unit)
        return self.detail_response(roster, status.HTTP_201_CREATED)

    @extend_schema(summary="当前值班 Every visible unit's people on the current shift",
                   responses={200: s.OnDutyUnitSerializer(many=True)}, tags=["duty-rosters"], filters=False)
    @action(detail=False, methods=["get"], url_path="on-duty", pagination_class=None, filterset_class=None)
    def on_duty(self, request):
        units = selectors.on_duty(request.user, selectors.current_shift_day())
        return Response(s.OnDutyUnitSerializer(units, many=True, context=self.get_serializer_context()).data)

    @extend_schema(summary="未报备 The townships and key enterprises in the caller's scope without a filed roster "
                           "for the current shift's month",
                   responses={200: s.NotFiledUnitSerializer(many=True)}, tags=["duty-rosters"], filters=False)
    @action(detail=False, methods=["get"], url_path="not-filed", pagination_class=None, filterset_class=None)
    def not_filed(self, request):
        missing = selectors.board(request.user, selectors.current_shift_day())["missing"]
        return Response(s.NotFiledUnitSerializer(missing, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="换班申请 Swap requests of the bureau's roster", tags=["duty-swaps"]),
    retrieve=extend_schema(summary="换班申请详情 One swap request", tags=["duty-swaps"]),
)
class SwapViewSet(ActionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """换班申请。Swap requests (asked on a roster: POST /duty-rosters/<id>/request-swap/)."""

    action_set = actions.SWAP_ACTIONS
    api_actions = tuple(actions.SWAP_ACTIONS.actions)
    action_response_serializer = s.SwapSerializer
    schema_tags = ["duty-swaps"]
    queryset = SwapRequest.objects.all()
    serializer_class = s.SwapSerializer
    filterset_class = SwapFilter
    permission_classes = [permissions.IsAuthenticated, _needs(VIEW_SWAP)]

    def get_queryset(self):
        return selectors.swaps(self.request.user)

    def detail_response(self, swap) -> Response:
        fresh = selectors.swaps(self.request.user).get(pk=swap.pk)
        return Response(s.SwapSerializer(fresh, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(summary="值班记录 The duty log, newest first", tags=["duty-log"]),
    retrieve=extend_schema(summary="值班记录详情 One log entry", tags=["duty-log"]),
    create=extend_schema(summary="登记值班记录 Record a call, a report or an instruction",
                         request={JSON: s.LogEntryCreateSerializer}, responses={201: s.LogEntrySerializer},
                         tags=["duty-log"]),
)
class LogEntryViewSet(ActionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, viewsets.GenericViewSet):
    """值班记录。The bureau's duty log."""

    action_set = actions.ENTRY_ACTIONS
    api_actions = tuple(actions.ENTRY_ACTIONS.actions)
    action_response_serializer = s.LogEntrySerializer
    schema_tags = ["duty-log"]
    queryset = LogEntry.objects.all()
    filterset_class = LogEntryFilter
    permission_classes = [permissions.IsAuthenticated, _needs(VIEW_LOG)]
    create_perm = KEEP_LOG

    def get_queryset(self):
        return selectors.log_entries(self.request.user)

    def get_serializer_class(self):
        return s.LogEntryCreateSerializer if self.action == "create" else s.LogEntrySerializer

    def detail_response(self, entry, status_code=status.HTTP_200_OK) -> Response:
        fresh = selectors.log_entries(self.request.user).get(pk=entry.pk)
        return Response(s.LogEntrySerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = s.LogEntryCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        entry = services.record_entry(actor=request.user, **serializer.validated_data)
        return self.detail_response(entry, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="交接班 Handovers, latest first", tags=["duty-handovers"]),
    retrieve=extend_schema(summary="交接班详情 One handover with the open entries", tags=["duty-handovers"]),
    create=extend_schema(summary="交班 Hand a shift over (its open entries are listed)",
                         request={JSON: s.HandoverCreateSerializer}, responses={201: s.HandoverSerializer},
                         tags=["duty-handovers"]),
)
class HandoverViewSet(ActionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, viewsets.GenericViewSet):
    """交接班。Handovers between shifts."""

    action_set = actions.HANDOVER_ACTIONS
    api_actions = tuple(actions.HANDOVER_ACTIONS.actions)
    action_response_serializer = s.HandoverSerializer
    schema_tags = ["duty-handovers"]
    queryset = Handover.objects.all()
    filterset_class = None
    permission_classes = [permissions.IsAuthenticated, _needs(VIEW_LOG)]
    create_perm = KEEP_LOG

    def get_queryset(self):
        return selectors.handovers(self.request.user)

    def get_serializer_class(self):
        return s.HandoverCreateSerializer if self.action == "create" else s.HandoverSerializer

    def detail_response(self, handover, status_code=status.HTTP_200_OK) -> Response:
        fresh = selectors.handovers(self.request.user).get(pk=handover.pk)
        return Response(s.HandoverSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = s.HandoverCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        handover = services.hand_over(actor=request.user, **serializer.validated_data)
        return self.detail_response(handover, status.HTTP_201_CREATED)
