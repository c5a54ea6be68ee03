from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from shouye.core.api.viewsets import ScopedViewSetMixin
from shouye.core.downloads import XLSX, download

from .. import services
from ..choices import Source
from ..exports import export_enterprises
from ..filters import EnterpriseFilter
from ..models import Enterprise
from ..selectors import enterprise_detail, enterprise_list
from .serializers import EnterpriseListSerializer, EnterpriseSerializer


@extend_schema_view(
    list=extend_schema(summary="企业列表 List enterprises", tags=["enterprises"]),
    retrieve=extend_schema(summary="企业详情 Enterprise detail", tags=["enterprises"]),
    create=extend_schema(summary="登记企业 Register an enterprise", tags=["enterprises"]),
    update=extend_schema(summary="修改企业 Update an enterprise", tags=["enterprises"]),
    partial_update=extend_schema(summary="部分修改企业 Partly update an enterprise", tags=["enterprises"]),
)
class EnterpriseViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """监管企业名录（只含本人辖区）。The enterprise registry, limited to the caller's jurisdiction."""

    queryset = Enterprise.objects.all()
    filterset_class = EnterpriseFilter

    def get_queryset(self):
        if self.action == "list":
            return enterprise_list(self.request.user).order_by("-id")
        return enterprise_detail(self.request.user)

    def get_serializer_class(self):
        return EnterpriseListSerializer if self.action == "list" else EnterpriseSerializer

    @staticmethod
    def _split(validated: dict) -> tuple[dict, dict]:
        children = {key: validated.pop(key) for key in ("people", "licences", "tags") if key in validated}
        return validated, children

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, children = self._split(dict(serializer.validated_data))
        enterprise = services.create_enterprise(actor=request.user, data=data, source=Source.API, **children)
        return Response(self._detail(enterprise), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        enterprise = self.get_object()
        serializer = self.get_serializer(enterprise, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data, children = self._split(dict(serializer.validated_data))
        enterprise = services.update_enterprise(actor=request.user, enterprise=enterprise, data=data, **children)
        return Response(self._detail(enterprise))

    def _detail(self, enterprise):
        fresh = enterprise_detail(self.request.user).get(pk=enterprise.pk)
        return EnterpriseSerializer(fresh, context=self.get_serializer_context()).data

    @extend_schema(summary="导出企业（Excel）Export the filtered list as xlsx",
                   responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
                              OpenApiTypes.BINARY}, tags=["enterprises"])
    @action(detail=False, methods=["get"])
    def export(self, request):
        if not request.user.has_perm("enterprises.export_enterprise"):
            raise PermissionDenied()
        queryset = self.filter_queryset(enterprise_list(request.user).order_by("id"))
        content, filename = export_enterprises(actor=request.user, queryset=queryset)
        return download(content, filename, content_type=XLSX)
