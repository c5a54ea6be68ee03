"""The incidents API: list, detail (with the clocks), intake, each act as ``POST /<pk>/<act>/`` and the timeline
(newest first, ``?before=<entry id>`` for older entries) — the same services as the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shouye.core.actions import ActionViewSetMixin
from shouye.core.api.permissions import requires
from shouye.core.api.schema import error_responses
from shouye.core.api.viewsets import ScopedViewSetMixin

from .. import actions, selectors, services
from ..filters import IncidentFilter
from ..models import Incident
from ..workflow import VIEW
from . import serializers as s

TAGS = ["incidents"]
JSON = "application/json"


CanView = requires(VIEW)


@extend_schema_view(
    list=extend_schema(summary="突发事件 The incidents in the caller's scope", tags=TAGS),
    retrieve=extend_schema(summary="事件详情 One incident with its grade and reporting clocks", tags=TAGS),
    create=extend_schema(summary="接报 Take an incident (graded by the rules; its clocks start)",
                         description=s.IncidentCreateSerializer.__doc__, request={JSON: s.IncidentCreateSerializer},
                         responses={201: s.IncidentDetailSerializer}, tags=TAGS),
)
class IncidentViewSet(ScopedViewSetMixin, ActionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, viewsets.GenericViewSet):
    """突发事件（只含本人辖区）。Incidents within the caller's jurisdiction."""

    action_set = actions.INCIDENT
    api_actions = tuple(actions.INCIDENT.actions)
    action_response_serializer = s.IncidentDetailSerializer
    schema_tags = TAGS

    queryset = Incident.objects.all()
    filterset_class = IncidentFilter
    permission_classes = [permissions.IsAuthenticated, CanView]

    def get_queryset(self):
        if self.action == "list":
            return selectors.incidents(self.request.user).order_by("-occurred_at", "-id")
        return selectors.incident_detail(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return s.IncidentListSerializer
        if self.action == "create":
            return s.IncidentCreateSerializer
        return s.IncidentDetailSerializer

    def detail_response(self, incident, status_code=status.HTTP_200_OK) -> Response:
        fresh = selectors.incident_detail(self.request.user).get(pk=incident.pk)
        return Response(s.IncidentDetailSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("incidents.record_incident"):
            self.permission_denied(request)
        serializer = s.IncidentCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        try:
            incident = services.report_incident(actor=request.user, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return self.detail_response(incident, status.HTTP_201_CREATED)

    @extend_schema(summary="时间线 The incident's timeline, newest first (50 at a time)", filters=False,
                   parameters=[OpenApiParameter("before", OpenApiTypes.INT, description="entries older than this")],
                   responses={200: s.TimelineEntrySerializer(many=True)}, tags=TAGS)
    @action(detail=True, methods=["get"], url_path="timeline", pagination_class=None, filterset_class=None)
    @error_responses(400)
    def timeline(self, request, pk=None):
        incident = self.get_object()
        before = request.query_params.get("before", "")
        if before and (not before.isdigit() or len(before) > 12):
            raise serializers.ValidationError({"before": ["请输入有效的整数。"]})
        entries = selectors.timeline(incident, before=int(before) if before else None)
        return Response(s.TimelineEntrySerializer(entries, many=True).data)
