from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from shouye.core.api.viewsets import ScopedViewSetMixin
from shouye.core.downloads import download

from .. import selectors, services
from ..exports import XLSX, export_workers
from ..filters import WorkAreaFilter, WorkerFilter
from ..models import WorkArea, Worker
from .serializers import WorkAreaSerializer, WorkerSerializer

TAGS = ["work-areas"]


class ObjectFirstMixin:
    """On a route with an id, a signed-in user's object is looked up before the role's permission: one that does
    not exist or is out of scope is a 404 whatever the method (a refusal's order, docs/adding-an-app.md §2: 404, then 403),
    so a supervisor who may only read gets a 404, not a 403, for an id that names nothing."""

    def check_permissions(self, request):
        if request.user.is_authenticated and (self.lookup_url_kwarg or self.lookup_field) in self.kwargs:
            self.get_object()
        super().check_permissions(request)


@extend_schema_view(
    list=extend_schema(summary="作业场所列表 List work areas", tags=TAGS),
    retrieve=extend_schema(summary="作业场所详情 Work area", tags=TAGS),
    create=extend_schema(summary="评估作业场所 Assess a work area", tags=TAGS),
    update=extend_schema(summary="修改评估 Change an assessment", tags=TAGS),
    partial_update=extend_schema(summary="部分修改评估 Partly change an assessment", tags=TAGS),
)
class WorkAreaViewSet(ObjectFirstMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """作业场所及高危作业场所（只含本人辖区）。Work areas and high-risk work areas within the caller's scope."""

    queryset = WorkArea.objects.all()
    serializer_class = WorkAreaSerializer
    filterset_class = WorkAreaFilter

    def get_queryset(self):
        return selectors.work_areas(self.request.user).order_by("enterprise__name", "name", "id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        area = services.assess_work_area(actor=request.user, enterprise=data.pop("enterprise"), data=data)
        return Response(self._detail(area), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        area = self.get_object()
        serializer = self.get_serializer(area, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        area = services.update_work_area(actor=request.user, work_area=area, data=dict(serializer.validated_data))
        return Response(self._detail(area))

    def _detail(self, area):
        return WorkAreaSerializer(self.get_queryset().get(pk=area.pk), context=self.get_serializer_context()).data


@extend_schema_view(
    list=extend_schema(summary="人员台账 List the personnel ledger", tags=TAGS),
    retrieve=extend_schema(summary="人员详情 A person of the ledger", tags=TAGS),
    create=extend_schema(summary="登记人员 Add a person", tags=TAGS),
    update=extend_schema(summary="修改人员 Change a person", tags=TAGS),
    partial_update=extend_schema(summary="部分修改人员 Partly change a person", tags=TAGS),
    destroy=extend_schema(summary="移出台账 Take a person off the ledger", tags=TAGS),
)
class WorkerViewSet(ObjectFirstMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """高危作业场所人员台账及证书（只含本人辖区）。The personnel ledger with certificates, within the caller's scope."""

    queryset = Worker.objects.all()
    serializer_class = WorkerSerializer
    filterset_class = WorkerFilter

    def get_queryset(self):
        return selectors.workers(self.request.user).order_by("enterprise__name", "name", "id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        worker = services.register_worker(actor=request.user, enterprise=data.pop("enterprise"),
                                          work_areas=data.pop("work_areas", []),
                                          certificates=data.pop("certificates", []), data=data)
        return Response(self._detail(worker), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        worker = self.get_object()
        serializer = self.get_serializer(worker, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        worker = services.update_worker(actor=request.user, worker=worker, work_areas=data.pop("work_areas", None),
                                        certificates=data.pop("certificates", None), data=data)
        return Response(self._detail(worker))

    def perform_destroy(self, instance):
        services.remove_worker(actor=self.request.user, worker=instance)

    def _detail(self, worker):
        return WorkerSerializer(self.get_queryset().get(pk=worker.pk), context=self.get_serializer_context()).data

    @extend_schema(summary="导出人员台账（Excel）Export the filtered ledger as xlsx",
                   responses={(200, XLSX): OpenApiTypes.BINARY}, tags=TAGS)
    @action(detail=False, methods=["get"])
    def export(self, request):
        if not request.user.has_perm("workareas.export_worker"):
            raise PermissionDenied()
        queryset = self.filter_queryset(self.get_queryset())
        content, filename = export_workers(actor=request.user, queryset=queryset)
        return download(content, filename, content_type=XLSX)
