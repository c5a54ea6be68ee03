"""特殊时期 API: every signed-in user reads the periods (public notices); the bureau declares, changes
(``PUT``) and cancels them (``POST /<id>/cancel/``) through the same services as the pages."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import periods, selectors
from ..filters import SpecialPeriodFilter
from ..models import SpecialPeriod
from . import serializers as s

TAGS = ["special-periods"]


class ReadOrManage(permissions.BasePermission):
    """Reading: any signed-in user; writing: ``workcalendar.manage_specialperiod``."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.has_perm(periods.PERMISSION)


@extend_schema_view(
    list=extend_schema(summary="特殊时期 Special periods (cancelled ones with include_cancelled=true)", tags=TAGS),
    retrieve=extend_schema(summary="特殊时期详情 One special period with its rules", tags=TAGS),
    create=extend_schema(summary="发布特殊时期 Declare a special period", tags=TAGS),
    update=extend_schema(summary="修改特殊时期 Change a special period (all fields)", tags=TAGS),
    partial_update=extend_schema(summary="修改特殊时期 Change some fields of a special period", tags=TAGS),
)
class SpecialPeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                           mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """特殊时期（节假日、两会、重大活动）及其对特殊作业的规则。Special periods and their rules for special
    operations (REGULATIONS-2 §C.4): the bureau's own, on top of GB 30871."""

    queryset = SpecialPeriod.objects.all()
    serializer_class = s.SpecialPeriodSerializer
    filterset_class = SpecialPeriodFilter
    permission_classes = [permissions.IsAuthenticated, ReadOrManage]

    def get_queryset(self):
        return selectors.special_periods(include_cancelled=True).order_by("-starts_on", "-id")

    def filter_queryset(self, queryset):
        """The filter (cancelled ones left out unless asked) is the list's; a cancelled period stays reachable."""
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def _answer(self, period, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=period.pk)
        return Response(s.SpecialPeriodSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = periods.declare_special_period(actor=request.user, data=serializer.period_input())
        return self._answer(period, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        period = self.get_object()
        serializer = self.get_serializer(period, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        period = periods.update_special_period(actor=request.user, period=period, data=serializer.period_input())
        return self._answer(period)

    @extend_schema(summary="取消特殊时期 Cancel a special period (kept on record)", request=s.CancelPeriodSerializer,
                   responses={200: s.SpecialPeriodSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"], filterset_class=None)
    def cancel(self, request, pk=None):
        period = self.get_object()
        serializer = s.CancelPeriodSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = periods.cancel_special_period(actor=request.user, period=period,
                                               reason=serializer.validated_data["reason"])
        return self._answer(period)
