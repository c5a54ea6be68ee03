"""The bureau's view of dual prevention over the API: the liveness table (paginated, the page's filters) and the
national data exchange of one enterprise (REGULATIONS-2 §A.6)."""

from __future__ import annotations

from django.core.paginator import InvalidPage
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shouye.core.api.pagination import Pagination
from shouye.core.api.permissions import requires
from shouye.core.api.schema import error_responses
from shouye.enterprises.models import Enterprise

from .. import exchange
from ..selectors.liveness import REASONS, LivenessRow, liveness_page
from ..views.bureau import VIEW_LIVENESS, liveness_form

TAGS = ["risks"]
#: Who may take an enterprise's data for the provincial platform: those who read and export its risk list (the
#: bureau's, township and department officers in their scope, and the enterprise itself).
EXCHANGE = "risks.export_risk_list"


class LivenessRowSerializer(serializers.Serializer):
    enterprise_id = serializers.IntegerField(help_text="企业 ID Enterprise id")
    name = serializers.CharField(help_text="企业名称 Enterprise name")
    credit_code = serializers.CharField(help_text="统一社会信用代码 Credit code")
    township = serializers.CharField(help_text="街镇 Township")
    industry = serializers.CharField(help_text="行业 Industry")
    due = serializers.IntegerField(help_text="近30天应排查任务数 Task instances due in the last 30 full days")
    done = serializers.IntegerField(help_text="已完成 Done")
    missed = serializers.IntegerField(help_text="已错过 Missed")
    completion_percent = serializers.FloatField(allow_null=True, help_text="完成率（%），无应排查时为空 Completion rate")
    last_done_at = serializers.DateTimeField(allow_null=True, help_text="最近一次完成排查 Last completed task")
    days_since_done = serializers.IntegerField(allow_null=True, help_text="距最近一次完成的天数 Days since then")
    self_reported = serializers.IntegerField(help_text="企业自查隐患数 Hazards the enterprise reported itself")
    found_by_supervisors = serializers.IntegerField(help_text="监管发现隐患数 Hazards found by the bureau, "
                                                              "townships and departments")
    points = serializers.DictField(child=serializers.IntegerField(), read_only=True, help_text="在用风险点数（按等级 major/high/"
                                                                              "moderate/low）Risk points by grade")
    published = serializers.BooleanField(help_text="风险清单是否发布过 Whether the risk list was ever published")
    colour = serializers.CharField(help_text="百分制评估颜色 red/orange/yellow/blue，未评估为空 The 100-point colour")
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True, help_text="评估得分 Score")
    inactive = serializers.BooleanField(help_text="是否运行不正常 Inactive")
    reasons = serializers.ListField(child=serializers.ChoiceField(choices=list(REASONS)), read_only=True,
                                    help_text="不正常的原因 Why it is inactive")


_FILTERS = [
    OpenApiParameter("township", OpenApiTypes.STR, description="街镇代码 Township code"),
    OpenApiParameter("industry", OpenApiTypes.STR, description="行业代码 Industry code"),
    OpenApiParameter("inactive", OpenApiTypes.BOOL, description="仅不正常企业 Inactive only"),
    OpenApiParameter("sort", OpenApiTypes.STR, description="排序（name, township, due, completion, missed, "
                     "days_since, self_reported, found_by_supervisors, points；前加 - 为降序）Sort key, - descending"),
]


CanViewLiveness = requires(VIEW_LIVENESS)


class LivenessView(APIView):
    """双重预防运行情况 The dual-prevention liveness of the enterprises in the caller's scope."""

    permission_classes = [IsAuthenticated, CanViewLiveness]
    pagination_class = Pagination

    @extend_schema(summary="双重预防运行情况 Dual-prevention liveness per enterprise",
                   description="近30个完整自然日（不含今天）的排查任务应完成/已完成/错过数、完成率、距最近完成天数、企业自查与监管发现"
                               "隐患数、风险点分级数、清单发布情况、百分制评估颜色，以及是否运行不正常和原因。"
                               "Task instances due/done/missed over the last 30 full days, completion rate, days since "
                               "the last completed task, hazards self-reported vs found by supervisors, risk points by "
                               "grade, publication, the 100-point colour, and whether and why it is inactive.",
                   parameters=_FILTERS, responses=LivenessRowSerializer(many=True), tags=TAGS)
    @error_responses(400, 404)
    def get(self, request):
        form = liveness_form(request.query_params, request)
        if not form.is_valid():
            raise ApiValidationError({name: list(errors) for name, errors in form.errors.items()})
        paginator = self.pagination_class()
        try:
            page = liveness_page(request.user, form.liveness_filters(), form.cleaned_data.get("sort") or "",
                                 request.query_params.get(paginator.page_query_param) or 1,
                                 paginator.get_page_size(request), strict=True)
        except InvalidPage:
            raise NotFound() from None
        paginator.page, paginator.request = page, request
        data = [{**{name: getattr(row, name) for name in LivenessRow.__slots__},
                 "completion_percent": row.completion_percent, "inactive": row.inactive} for row in page]
        return paginator.get_paginated_response(LivenessRowSerializer(data, many=True).data)


_EXAMPLE = OpenApiExample("一个企业 One enterprise", value=exchange.EXAMPLE, response_only=True)


class ExchangeView(APIView):
    """双重预防数据交换 One enterprise's dual-prevention data with the national interface's names and codes."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="双重预防数据交换（国家接口编码）One enterprise's data for the national interface",
        description="按危险化学品企业双重预防机制数字化建设数据接口的对象与编码（风险分析单元、风险事件、管控措施、排查任务、"
                    "排查记录、隐患）导出一个企业的数据，字段名即接口字段名；见 docs/risk-exchange.md。每次一个企业；"
                    f"排查记录与隐患为最近 {exchange.RECORD_DAYS} 天、各最多 {exchange.MAX_RECORDS} 条，超出时 truncated 说明。"
                    "Risk units, events, measures, check tasks, check records and hazards of one enterprise, named "
                    "and coded as the national interface names them (docs/risk-exchange.md). One enterprise a "
                    "request; records and hazards of the last days, capped (``truncated`` says so).",
        parameters=[OpenApiParameter("enterprise", OpenApiTypes.INT, required=True, description="企业 ID Enterprise id")],
        responses={200: OpenApiTypes.OBJECT}, examples=[_EXAMPLE], tags=TAGS)
    @error_responses(400, 403, 404)
    def get(self, request):
        value = request.query_params.get("enterprise", "")
        if not value.isdigit() or len(value) > 12:
            raise ApiValidationError({"enterprise": ["请给出一个企业的 ID（enterprise=数字）。Give one enterprise id."]})
        enterprise = (Enterprise.objects.visible_to(request.user).select_related("township", "industry")
                      .filter(pk=int(value)).first())
        if enterprise is None:
            raise NotFound()
        if not request.user.has_perm(EXCHANGE):
            raise PermissionDenied()
        return Response(exchange.enterprise_data(request.user, enterprise))
