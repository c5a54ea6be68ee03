"""The user's own notifications over the API (issue 10): list (newest first), one, mark one read, mark all
read. Each user reaches only its own; another user's is a 404, like one that does not exist."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .. import services
from ..models import Notification
from .serializers import NotificationSerializer, ReadAllSerializer

TAGS = ["notifications"]


@extend_schema_view(
    list=extend_schema(summary="我的通知 List my notifications, newest first", tags=TAGS),
    retrieve=extend_schema(summary="通知详情 One of my notifications", tags=TAGS),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return Notification.objects.for_user(self.request.user).order_by("-created_at", "-id")

    @extend_schema(summary="标为已读 Mark one notification read", request=None,
                   responses={200: NotificationSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.mark_read(user=request.user, notification_ids=[notification.pk])
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)

    @extend_schema(summary="全部标为已读 Mark all my notifications read", request=None,
                   responses={200: ReadAllSerializer}, tags=TAGS)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"read": services.mark_read(user=request.user)})
