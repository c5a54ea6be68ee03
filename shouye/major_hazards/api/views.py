"""The installations API: list, detail, registering one, and each act as ``POST /<pk>/<act>/`` (the same
services as the pages)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shouye.core.actions import ActionViewSetMixin
from shouye.core.api.permissions import requires
from shouye.core.api.viewsets import ScopedViewSetMixin

from .. import actions, selectors, services
from ..filters import InstallationFilter
from ..models import MajorHazardInstallation
from ..workflow import VIEW
from . import serializers as s

TAGS = ["major-hazard-installations"]
MULTIPART = "multipart/form-data"
JSON = "application/json"


CanView = requires(VIEW)


@extend_schema_view(
    list=extend_schema(summary="重大危险源 The major hazard installations in the caller's scope", tags=TAGS),
    retrieve=extend_schema(summary="重大危险源详情 One installation with substances, computation and persons",
                           tags=TAGS),
    create=extend_schema(summary="登记重大危险源 Register an installation with its inventory (identified at once)",
                         request={JSON: s.CreateSerializer}, responses={201: s.InstallationDetailSerializer},
                         tags=TAGS),
)
class InstallationViewSet(ScopedViewSetMixin, ActionViewSetMixin, mixins.ListModelMixin,
                          mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """重大危险源（只含本人辖区）。Major hazard installations within the caller's jurisdiction."""

    action_set = actions.INSTALLATION
    api_actions = tuple(actions.INSTALLATION.actions)
    action_response_serializer = s.InstallationDetailSerializer
    schema_tags = TAGS

    queryset = MajorHazardInstallation.objects.all()
    filterset_class = InstallationFilter
    permission_classes = [permissions.IsAuthenticated, CanView]

    def get_queryset(self):
        if self.action == "list":
            return selectors.installations(self.request.user).order_by("-id")
        return selectors.installation_detail(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return s.InstallationListSerializer
        if self.action == "create":
            return s.CreateSerializer
        return s.InstallationDetailSerializer

    def detail_response(self, installation, status_code=status.HTTP_200_OK) -> Response:
        fresh = selectors.installation_detail(self.request.user).get(pk=installation.pk)
        return Response(s.InstallationDetailSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = s.CreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        installation = services.create_installation(actor=request.user, **serializer.validated_data)
        return self.detail_response(installation, status.HTTP_201_CREATED)

    @extend_schema(summary="包保责任人排查任务 The current responsible persons' duty tasks with last done, next "
                           "due, missed and overdue counts (done through /api/v1/task-instances/)",
                   responses={200: s.DutyTaskSerializer(many=True)}, tags=TAGS, filters=False)
    @action(detail=True, methods=["get"], url_path="duty-tasks", pagination_class=None, filterset_class=None)
    def duty_tasks(self, request, pk=None):
        installation = self.get_object()
        return Response(s.DutyTaskSerializer(selectors.duty_tasks(request.user, installation), many=True).data)

