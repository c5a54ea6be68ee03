"""The video vendors (the bureau's) and the cameras (each enterprise's, and the bureau's) through the API — the
same services as the pages (``shouye.monitoring.video``). A vendor's secret appears in the answer that created
or rotated it, and in no other answer."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shouye.core.api import fields
from shouye.core.api.viewsets import ScopedViewSetMixin
from shouye.enterprises.models import Enterprise
from shouye.major_hazards.models import MajorHazardInstallation

from .. import video
from ..choices import VendorProtocol
from ..config_filters import CameraFilter
from ..models import AlarmVendor, Camera, UnmappedTypeCode, VendorTypeMapping
from ..workflow import CONFIGURE, MANAGE_RULES, VIEW_POINTS

JSON = "application/json"


class _Holds(permissions.BasePermission):
    read = write = ""

    def has_permission(self, request, view):
        needed = self.read if request.method in permissions.SAFE_METHODS else self.write
        return request.user.has_perm(needed)


class KeepsVendors(_Holds):
    read = write = MANAGE_RULES


class KeepsCameras(_Holds):
    read, write = VIEW_POINTS, CONFIGURE


# --- vendors --------------------------------------------------------------------------------------------------


class MappingSerializer(serializers.ModelSerializer):
    scenario = fields.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = VendorTypeMapping
        fields = ["vendor_code", "scenario"]


class UnmappedSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnmappedTypeCode
        fields = ["vendor_code", "count", "last_seen_at"]


class VendorSerializer(serializers.ModelSerializer):
    """A vendor as everyone sees it afterwards: never its secret."""

    mappings = MappingSerializer(many=True, read_only=True)
    unmapped_codes = UnmappedSerializer(many=True, read_only=True)

    class Meta:
        model = AlarmVendor
        fields = ["id", "code", "name", "key_id", "protocol", "replay_window_seconds", "severity_map", "is_active",
                  "created_at", "mappings", "unmapped_codes"]
        read_only_fields = fields


class VendorWithSecretSerializer(VendorSerializer):
    """The answer that issued a secret: the only time it is shown. Keep it; the platform will not show it
    again (rotate it to get a new one)."""

    secret = serializers.CharField(read_only=True)

    class Meta(VendorSerializer.Meta):
        fields = [*VendorSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class VendorInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    replay_window_seconds = serializers.IntegerField(min_value=video.REPLAY_WINDOW_MIN,
                                                     max_value=video.REPLAY_WINDOW_MAX, required=False)
    severity_map = fields.DictField(child=serializers.CharField(max_length=8), required=False)
    mappings = fields.DictField(child=serializers.CharField(max_length=40), required=False,
                                help_text="厂商类型编码 → 场景编码 The vendor's type code → the platform's scenario code")


class MapCodeSerializer(serializers.Serializer):
    vendor_code = serializers.CharField(max_length=40, help_text="厂商类型编码 The vendor's type code")
    scenario = serializers.CharField(max_length=40, help_text="场景编码 The platform's scenario code")


class VendorCreateSerializer(VendorInputSerializer):
    code = serializers.SlugField(max_length=40)
    protocol = serializers.ChoiceField(choices=VendorProtocol.choices, default=VendorProtocol.JSON)


class VendorUpdateSerializer(VendorInputSerializer):
    name = serializers.CharField(max_length=100, required=False)
    is_active = serializers.BooleanField(required=False)


@extend_schema_view(
    list=extend_schema(summary="视频智能分析厂商 The video-AI vendors"),
    retrieve=extend_schema(summary="厂商详情 A vendor, its type mapping and the codes it sent unmapped"),
    create=extend_schema(summary="登记厂商 Register a vendor: the answer shows its secret, once",
                         request={JSON: VendorCreateSerializer}, responses={201: VendorWithSecretSerializer}),
    partial_update=extend_schema(summary="修改厂商 Change a vendor, switch it off, or replace its mapping",
                                 request={JSON: VendorUpdateSerializer}, responses={200: VendorSerializer}),
    update=extend_schema(summary="修改厂商 Change a vendor (as PATCH: the fields sent)",
                         request={JSON: VendorUpdateSerializer}, responses={200: VendorSerializer}),
)
class AlarmVendorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """视频厂商（应急管理局维护）。The video-AI vendors that post alarms, kept by the bureau."""

    queryset = AlarmVendor.objects.prefetch_related("mappings__scenario", "unmapped_codes").order_by("code")
    serializer_class = VendorSerializer
    permission_classes = [permissions.IsAuthenticated, KeepsVendors]
    filterset_class = None

    def create(self, request, *args, **kwargs):
        data = self._valid(VendorCreateSerializer, request)
        vendor, secret = video.create_vendor(actor=request.user, **data)
        return self._answer(vendor, secret, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        vendor = self.get_object()
        data = self._valid(VendorUpdateSerializer, request)
        mappings = data.pop("mappings", None)
        vendor = video.update_vendor(actor=request.user, vendor=vendor, changes=data, mappings=mappings)
        return self._answer(vendor)

    update = partial_update

    @extend_schema(summary="更换密钥 Issue a new secret: the answer shows it, once", request=None,
                   responses={200: VendorWithSecretSerializer})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        vendor, secret = video.rotate_secret(actor=request.user, vendor=self.get_object())
        return self._answer(vendor, secret)

    @extend_schema(summary="映射类型编码 Map one type code (one the vendor sent unmapped) to a scenario",
                   request={JSON: MapCodeSerializer}, responses={200: VendorSerializer})
    @action(detail=True, methods=["post"], url_path="map-code")
    def map_code(self, request, pk=None):
        vendor = self.get_object()
        video.map_type_code(actor=request.user, vendor=vendor, **self._valid(MapCodeSerializer, request))
        return self._answer(vendor)

    def _valid(self, serializer_class, request) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, vendor, secret: str | None = None, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=vendor.pk)
        if secret is None:
            return Response(VendorSerializer(fresh).data, status=code)
        fresh.secret = secret
        return Response(VendorWithSecretSerializer(fresh).data, status=code)


# --- cameras --------------------------------------------------------------------------------------------------


class CameraSerializer(serializers.ModelSerializer):
    vendor = fields.SlugRelatedField(slug_field="code", queryset=AlarmVendor.objects.filter(is_active=True))
    enterprise = fields.ScopedPrimaryKeyRelatedField(Enterprise)
    installation = fields.ScopedPrimaryKeyRelatedField(MajorHazardInstallation, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180,
                                         required=False, allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90,
                                        required=False, allow_null=True)

    class Meta:
        model = Camera
        fields = ["id", "vendor", "vendor_device_id", "name", "zone", "enterprise", "installation", "longitude",
                  "latitude", "is_active"]
        read_only_fields = ["id"]
        # Unique (vendor, device id) is checked by the service, with its own message.
        validators = []


class CameraUpdateSerializer(CameraSerializer):
    class Meta(CameraSerializer.Meta):
        read_only_fields = ["id", "vendor", "vendor_device_id", "enterprise"]


@extend_schema_view(
    list=extend_schema(summary="摄像头 The cameras in the caller's scope"),
    retrieve=extend_schema(summary="摄像头详情 A camera"),
    create=extend_schema(summary="登记摄像头 Register a camera of an enterprise"),
    partial_update=extend_schema(summary="修改摄像头 Change a camera or switch it off",
                                 request={JSON: CameraUpdateSerializer}, responses={200: CameraSerializer}),
    update=extend_schema(summary="修改摄像头 Change a camera",
                         request={JSON: CameraUpdateSerializer}, responses={200: CameraSerializer}),
)
class CameraViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """摄像头（只含本人辖区）。Cameras within the caller's jurisdiction: an enterprise's users see and keep their
    own."""

    queryset = Camera.objects.all()
    serializer_class = CameraSerializer
    permission_classes = [permissions.IsAuthenticated, KeepsCameras]
    filterset_class = CameraFilter

    def scoped_queryset(self, qs):
        return qs.select_related("vendor").order_by("name", "pk")

    def perform_create(self, serializer):
        serializer.instance = video.create_camera(actor=self.request.user, **serializer.validated_data)

    def get_serializer_class(self):
        return CameraUpdateSerializer if self.action in ("update", "partial_update") else CameraSerializer

    def perform_update(self, serializer):
        serializer.instance = video.update_camera(actor=self.request.user, camera=serializer.instance,
                                                  changes=dict(serializer.validated_data))
