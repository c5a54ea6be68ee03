"""The bureau's live board over the API (issue 12, "API": the board's data at ``/api/v1/permits/board/``): the same
data as the page, for the duty room's screens and the bureau's other systems, from :func:`board_data`."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from shouye.core.api.fields import ListSerializer
from shouye.core.api.permissions import requires

from ..board import board_data
from ..workflow import BOARD

TAGS = ["permits"]


CanViewBoard = requires(BOARD)


class BoardFiguresSerializer(serializers.Serializer):
    in_progress = serializers.IntegerField(help_text="作业中 Permits in progress")
    suspended = serializers.IntegerField(help_text="暂停 Permits suspended")
    special_hot_work = serializers.IntegerField(help_text="特级动火 Special hot work under way")
    started_today = serializers.IntegerField(help_text="今日开始 Started today")
    filings = serializers.IntegerField(help_text="特殊时段报备 Permits to be filed in a special period")
    filings_waiting = serializers.IntegerField(help_text="待报备 Not filed yet")
    filings_late = serializers.IntegerField(help_text="逾期报备 Filed late or overdue")
    with_problems = serializers.IntegerField(help_text="有问题的作业票 Open permits with a problem")


class BoardGradeCountSerializer(serializers.Serializer):
    grade = serializers.CharField(help_text="级别代码 Grade as coded")
    label = serializers.CharField(help_text="级别 Grade")
    count = serializers.IntegerField()


class BoardKindCountSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="作业类别 Kind")
    label = serializers.CharField()
    total = serializers.IntegerField(help_text="作业中（含暂停） In progress or suspended")
    grades = ListSerializer(child=BoardGradeCountSerializer())


class BoardPermitRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="作业票编号 Permit number")
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    grade = serializers.CharField(allow_blank=True)
    grade_label = serializers.CharField(allow_blank=True)
    state = serializers.CharField()
    state_label = serializers.CharField()
    enterprise_id = serializers.IntegerField()
    enterprise = serializers.CharField()
    township = serializers.CharField()
    location = serializers.CharField(help_text="作业地点 Place")
    planned_start = serializers.DateTimeField()
    planned_end = serializers.DateTimeField()
    last_gas_test_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField(help_text="作业票页面 The permit's page")


class BoardSpecialHotWorkSerializer(BoardPermitRowSerializer):
    video_url = serializers.CharField(allow_blank=True, help_text="视频记录 Video record link")


class BoardFilingSerializer(BoardPermitRowSerializer):
    special_period = serializers.CharField(help_text="特殊时段 Special period")
    filing_due_by = serializers.DateTimeField(help_text="报备期限 To be filed by")
    filed_at = serializers.DateTimeField(allow_null=True, help_text="报备时间 Filed at")
    late = serializers.BooleanField(help_text="逾期 Late")


class BoardProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class BoardProblemCountSerializer(BoardProblemSerializer):
    count = serializers.IntegerField()


class BoardProblemRowSerializer(BoardPermitRowSerializer):
    problems = ListSerializer(child=BoardProblemSerializer())


class BoardSerializer(serializers.Serializer):
    now = serializers.DateTimeField(help_text="数据时间 As of")
    expiry_warning_minutes = serializers.IntegerField(help_text="有效期预警（分钟） Validity warning margin")
    list_limit = serializers.IntegerField(help_text="每个列表的最多行数 Rows each list shows at most")
    figures = BoardFiguresSerializer()
    by_kind = ListSerializer(child=BoardKindCountSerializer())
    special_hot_work = ListSerializer(child=BoardSpecialHotWorkSerializer())
    filings = ListSerializer(child=BoardFilingSerializer())
    problem_counts = ListSerializer(child=BoardProblemCountSerializer())
    problems = ListSerializer(child=BoardProblemRowSerializer())


class BoardView(APIView):
    """特殊作业监管看板（只含本人辖区）。The special-operation board within the caller's jurisdiction."""

    permission_classes = [permissions.IsAuthenticated, CanViewBoard]

    @extend_schema(summary="特殊作业监管看板 Special operations now: in progress by kind and grade, special hot work, "
                           "filings, problems", responses=BoardSerializer, tags=TAGS)
    def get(self, request):
        return Response(BoardSerializer(board_data(request.user)).data)
