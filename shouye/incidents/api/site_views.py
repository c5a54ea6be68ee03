"""The API of the incident tasks: the tasks the caller sees (of its incidents, or given to its unit), one task,
and its acts ``POST /<pk>/acknowledge/`` (签收) and ``/<pk>/complete/`` (办结) — the services of the pages."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response

from shouye.core.actions import ActionViewSetMixin
from shouye.core.api.permissions import requires
from shouye.core.api.viewsets import ScopedViewSetMixin

from .. import actions, selectors
from ..filters import TaskFilter
from ..models import IncidentTask
from ..workflow import VIEW
from .site_serializers import IncidentTaskSerializer

TAGS = ["incidents"]


@extend_schema_view(
    list=extend_schema(summary="事件任务 The incident tasks the caller sees (its own unit's with mine=true)",
                       tags=TAGS),
    retrieve=extend_schema(summary="任务详情 One incident task", tags=TAGS),
)
class IncidentTaskViewSet(ScopedViewSetMixin, ActionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """事件任务（本人辖区的事件或派给本单位的任务）。Incident tasks within the caller's reach."""

    action_set = actions.TASK
    api_actions = tuple(actions.TASK.actions)
    action_response_serializer = IncidentTaskSerializer
    schema_tags = TAGS

    queryset = IncidentTask.objects.all()
    serializer_class = IncidentTaskSerializer
    filterset_class = TaskFilter
    permission_classes = [permissions.IsAuthenticated, requires(VIEW)]

    def get_queryset(self):
        return selectors.tasks(self.request.user).order_by("due_at", "id")

    def detail_response(self, task, status_code=status.HTTP_200_OK) -> Response:
        fresh = selectors.tasks(self.request.user).get(pk=task.pk)
        return Response(IncidentTaskSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)
