"""The alarms API: list, detail, and each act as ``POST /api/v1/alarms/<pk>/<act>/`` — the same services as the
pages and the duty console."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response

from shouye.core.actions import ActionViewSetMixin
from shouye.core.api.permissions import requires
from shouye.core.api.viewsets import ScopedViewSetMixin

from .. import actions, selectors
from ..filters import AlarmFilter
from ..models import Alarm
from ..workflow import VIEW
from . import serializers as s

TAGS = ["alarms"]


CanView = requires(VIEW)


@extend_schema_view(
    list=extend_schema(summary="报警 The alarms in the caller's scope, newest first", tags=TAGS),
    retrieve=extend_schema(summary="报警详情 One alarm with its handling, photos, repeats and the acts possible now",
                           tags=TAGS),
)
class AlarmViewSet(ScopedViewSetMixin, ActionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   viewsets.GenericViewSet):
    """报警（只含本人辖区）。Alarms of both streams (sensors and video AI) within the caller's jurisdiction, and
    their lifecycle: acknowledge → handle → clear → close, and reporting a hazard from one."""

    action_set = actions.ALARM
    api_actions = tuple(actions.ALARM.actions)
    action_response_serializer = s.AlarmDetailSerializer
    schema_tags = TAGS

    queryset = Alarm.objects.all()
    filterset_class = AlarmFilter
    permission_classes = [permissions.IsAuthenticated, CanView]

    def get_queryset(self):
        if self.action == "list":
            return selectors.alarms(self.request.user).order_by("-raised_at", "-pk")
        return selectors.alarm_detail(self.request.user).prefetch_related("photos")

    def get_serializer_class(self):
        if self.action == "list":
            return s.AlarmListSerializer
        return s.AlarmDetailSerializer

    def detail_response(self, alarm, status_code=status.HTTP_200_OK) -> Response:
        fresh = selectors.alarm_detail(self.request.user).prefetch_related("photos").get(pk=alarm.pk)
        return Response(s.AlarmDetailSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)
