from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shouye.core.actions import ActionViewSetMixin
from shouye.core.api.schema import error_responses
from shouye.core.api.viewsets import ScopedViewSetMixin

from .. import actions, selectors, services
from ..filters import InspectionFilter, InspectionPlanFilter
from ..models import Checklist, Document, Inspection, InspectionPlan
from .serializers import (
    ChecklistSerializer,
    CoverageSerializer,
    GeneratePlansSerializer,
    InspectionCreateSerializer,
    InspectionDocumentSerializer,
    InspectionItemSerializer,
    InspectionListSerializer,
    InspectionPhotoUploadSerializer,
    InspectionPlanSerializer,
    InspectionSerializer,
    IssueDocumentSerializer,
    ItemSavedSerializer,
    ItemSaveSerializer,
    RemainingCompliantSerializer,
)

TAGS = ["inspections"]
_YEAR = OpenApiParameter("year", int, description="年度（默认今年）year, this year by default")


@extend_schema_view(
    list=extend_schema(summary="检查表列表 List checklists", tags=TAGS),
    retrieve=extend_schema(summary="检查表详情（含检查项）Checklist with its items", tags=TAGS),
)
class ChecklistViewSet(viewsets.ReadOnlyModelViewSet):
    """检查表库（所有登录用户可读）。The checklist library; reference data every signed-in user reads."""

    queryset = Checklist.objects.select_related("industry").prefetch_related("items").order_by("-is_active", "name")
    serializer_class = ChecklistSerializer
    permission_classes = [permissions.IsAuthenticated]


@extend_schema_view(
    list=extend_schema(summary="检查记录列表 List inspections", tags=TAGS),
    retrieve=extend_schema(summary="检查记录详情 Inspection record with item results", tags=TAGS),
)
class InspectionViewSet(ScopedViewSetMixin, ActionViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, viewsets.GenericViewSet):
    """监督检查记录（只含本人辖区）。Inspection records within the caller's jurisdiction."""

    action_set = actions.INSPECTION
    api_actions = ("record", "finish")
    action_response_serializer = InspectionSerializer
    schema_tags = TAGS

    queryset = Inspection.objects.all()
    filterset_class = InspectionFilter

    def get_queryset(self):
        if self.action in ("record_item", "remaining_compliant"):
            return Inspection.objects.visible_to(self.request.user)
        if self.action == "list":
            return selectors.inspection_list(self.request.user).order_by("-inspected_at", "-id")
        return selectors.inspection_detail(self.request.user)

    def get_serializer_class(self):
        return {"list": InspectionListSerializer, "create": InspectionCreateSerializer,
                "documents": IssueDocumentSerializer}.get(self.action, InspectionSerializer)

    def detail_response(self, inspection, status_code=status.HTTP_200_OK) -> Response:
        fresh = selectors.inspection_detail(self.request.user).get(pk=inspection.pk)
        return Response(InspectionSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(summary="开始检查 Start an inspection", request=InspectionCreateSerializer,
                   responses={201: InspectionSerializer}, tags=TAGS,
                   description="执法检查须至少两名执法人员（《行政处罚法》第四十二条）。"
                               "An enforcement inspection needs at least two enforcement officers.")
    def create(self, request, *args, **kwargs):
        serializer = InspectionCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inspection = services.start_inspection(
            actor=request.user, enterprise=data["enterprise"], kind=data["kind"],
            inspected_at=data["inspected_at"], inspectors=data.get("inspectors", []),
            experts=data.get("experts", []), checklist=data.get("checklist"), place=data.get("place", ""),
            subject=data.get("subject", ""), notes=data.get("notes", ""),
            reinspection_of=data.get("reinspection_of"))
        return self.detail_response(inspection, status.HTTP_201_CREATED)

    @extend_schema(summary="上传检查照片 Upload photos (multipart)",
                   request={"multipart/form-data": InspectionPhotoUploadSerializer},
                   responses={201: InspectionSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def photos(self, request, pk=None):
        inspection, _count = self.run_action(request, "add-photos", data=lambda body: {
            "item": body.get("item") or None, "photos": request.FILES.getlist("photos")})
        return self.detail_response(inspection, status.HTTP_201_CREATED)

    @extend_schema(summary="保存一项（自动保存）Save one item as it is entered", request=ItemSaveSerializer,
                   responses={200: ItemSavedSerializer}, tags=TAGS,
                   description="不符合项须填写问题描述；被拒绝的保存不改变任何数据。"
                               "A non-compliant item needs its finding; a refused save changes nothing.")
    @action(detail=True, methods=["post"], url_path="item", filterset_class=None, pagination_class=None)
    @error_responses(409)
    def record_item(self, request, pk=None):
        inspection = self.get_object()
        serializer = ItemSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = services.record_item(actor=request.user, inspection=inspection, item_id=data["item"],
                                    result=data.get("result"), finding=data.get("finding"),
                                    location=data.get("location"))
        return Response({"item": InspectionItemSerializer(item, context=self.get_serializer_context()).data,
                         "progress": selectors.progress(inspection)})

    @extend_schema(summary="其余全部符合 Mark every item not checked yet compliant", request=None,
                   responses={200: RemainingCompliantSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="remaining-compliant", filterset_class=None,
            pagination_class=None)
    @error_responses(409)
    def remaining_compliant(self, request, pk=None):
        inspection = self.get_object()
        marked = services.mark_remaining_compliant(actor=request.user, inspection=inspection)
        return Response({"marked": marked, "progress": selectors.progress(inspection)})

    @extend_schema(methods=["GET"], summary="检查文书列表 The inspection's documents",
                   responses={200: InspectionDocumentSerializer(many=True)}, tags=TAGS)
    @extend_schema(methods=["POST"], summary="出具文书（PDF，编号连续）Issue a numbered PDF document",
                   request=IssueDocumentSerializer, responses={201: InspectionDocumentSerializer}, tags=TAGS)
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def documents(self, request, pk=None):
        if request.method == "POST":
            _inspection, document = self.run_action(request, "issue-document")
            return Response(InspectionDocumentSerializer(document).data, status=status.HTTP_201_CREATED)
        inspection = self.get_object()
        rows = selectors.document_list(request.user).filter(inspection=inspection)
        return Response(InspectionDocumentSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(summary="检查文书列表 List inspection documents", tags=TAGS),
    retrieve=extend_schema(summary="检查文书详情 Inspection document", tags=TAGS),
)
class DocumentViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """执法文书（只含本人辖区）。Issued documents within the caller's jurisdiction."""

    queryset = Document.objects.all()
    serializer_class = InspectionDocumentSerializer

    def scoped_queryset(self, qs):
        return qs.select_related("issued_by").order_by("-issued_at", "-id")

    @extend_schema(summary="下载文书 PDF Download the PDF",
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY}, tags=TAGS)
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = self.get_object()
        return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename(),
                            content_type="application/pdf")


@extend_schema_view(
    list=extend_schema(summary="年度检查计划 Inspection plans of a year", tags=TAGS, parameters=[_YEAR]),
    retrieve=extend_schema(summary="检查计划详情 Inspection plan", tags=TAGS, parameters=[_YEAR]),
    update=extend_schema(summary="修改检查计划（频次、中队或街镇人员）Change due count and assignment", tags=TAGS),
    partial_update=extend_schema(summary="部分修改检查计划 Partly change a plan", tags=TAGS),
)
class InspectionPlanViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                            mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """年度监督检查计划（只含本人辖区）。Yearly inspection plans within the caller's jurisdiction."""

    queryset = InspectionPlan.objects.all()
    serializer_class = InspectionPlanSerializer
    filterset_class = InspectionPlanFilter

    def _year(self) -> int:
        value = self.request.query_params.get("year", "")
        return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year

    def get_queryset(self):
        if self.action == "list":
            return (selectors.plan_rows(self.request.user, self._year(), timezone.localdate())
                    .order_by("township__code", "enterprise__name", "id"))
        return InspectionPlan.objects.visible_to(self.request.user)

    def get_object(self):
        """The plan (404 outside the caller's scope), with done and expected counted for its own year."""
        plan = super().get_object()
        return selectors.plan_rows(self.request.user, plan.year, timezone.localdate()).get(pk=plan.pk)

    def update(self, request, *args, **kwargs):
        plan = self.get_object()
        serializer = self.get_serializer(plan, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.update_plan(actor=request.user, plan=plan,
                             inspections_due=data.get("inspections_due", plan.inspections_due),
                             squad=data["squad"] if "squad" in data else plan.squad,
                             officer=data["officer"] if "officer" in data else plan.officer)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(summary="生成年度计划（按监管等级频次）Generate the year's plans from supervision grades",
                   request=GeneratePlansSerializer, responses={201: OpenApiTypes.OBJECT}, tags=TAGS)
    @action(detail=False, methods=["post"])
    def generate(self, request):
        serializer = GeneratePlansSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        year = serializer.validated_data["year"]
        created = services.generate_plans(actor=request.user, year=year)
        return Response({"year": year, "created": created}, status=status.HTTP_201_CREATED)

    @extend_schema(summary="检查覆盖率（按街镇、中队）Coverage by township and squad", parameters=[_YEAR],
                   responses={200: CoverageSerializer}, tags=TAGS)
    @action(detail=False, methods=["get"], filterset_class=None)
    def coverage(self, request):
        year = self._year()
        data = selectors.coverage(request.user, year, timezone.localdate())
        return Response(CoverageSerializer({"year": year, **data}).data)
