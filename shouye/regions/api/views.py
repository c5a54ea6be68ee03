import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from shouye.core.filters import FilterSet

from ..models import Region
from .serializers import RegionSerializer


class RegionFilter(FilterSet):
    parent = django_filters.CharFilter(field_name="parent__code", label="上级区划代码 parent region code")

    class Meta:
        model = Region
        fields = ["level", "parent"]


@extend_schema_view(
    list=extend_schema(summary="行政区划列表 List regions", tags=["regions"]),
    retrieve=extend_schema(summary="行政区划详情 Region detail", tags=["regions"]),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """行政区划（区 → 街道/镇 → 村），按官方代码。Administrative divisions keyed by official codes.
    Public reference data: every signed-in user may read them."""

    queryset = Region.objects.select_related("parent").order_by("code")
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"
