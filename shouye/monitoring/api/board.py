"""The bureau's alarm board and statistics over the API (issue 13): ``/api/v1/alarm-board/`` and
``/api/v1/alarm-statistics/``, the same data as the pages (``board.py``, ``statistics.py``), for the duty room's
screens and the bureau's other systems."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from shouye.core.api.fields import ListSerializer
from shouye.core.api.permissions import requires
from shouye.core.api.schema import error_responses
from shouye.core.filters import valid_filterset

from .. import statistics as stats
from ..board import board_data
from ..models import Alarm
from ..workflow import BOARD

TAGS = ["monitoring"]


CanViewBoard = requires(BOARD)


class AlarmLevelCountSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="级别 red/orange/yellow/blue")
    label = serializers.CharField()
    count = serializers.IntegerField()


class AlarmBoardFiguresSerializer(serializers.Serializer):
    active = serializers.IntegerField(help_text="未处置完的报警 Active alarms (raised, acknowledged, handling)")
    raised = serializers.IntegerField(help_text="待确认 Waiting for an acknowledgement")
    overdue = serializers.IntegerField(help_text="超时未确认 Past the acknowledgement deadline")
    offline_points = serializers.IntegerField(help_text="离线监测点 Points offline now")


class AlarmTownshipCountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    total = serializers.IntegerField()
    red = serializers.IntegerField()
    orange = serializers.IntegerField()


class AlarmEnterpriseCountSerializer(serializers.Serializer):
    enterprise_id = serializers.IntegerField()
    enterprise = serializers.CharField()
    installation = serializers.CharField(allow_blank=True, help_text="重大危险源 Installation")
    township = serializers.CharField()
    total = serializers.IntegerField()
    red = serializers.IntegerField()


class AlarmBoardRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField()
    kind = serializers.CharField()
    level = serializers.CharField()
    level_label = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    active = serializers.BooleanField()
    overdue = serializers.BooleanField(help_text="超时未确认 Acknowledgement overdue")
    what = serializers.CharField(help_text="报警内容 The scene or the band crossed")
    where = serializers.CharField(allow_blank=True, help_text="监测点或摄像头 Point or camera")
    installation = serializers.CharField(allow_blank=True)
    enterprise_id = serializers.IntegerField()
    enterprise = serializers.CharField()
    township_id = serializers.IntegerField()
    township = serializers.CharField()
    repeat_count = serializers.IntegerField()
    raised_at = serializers.DateTimeField()
    raised_label = serializers.CharField()
    ack_due_by = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    changed_at = serializers.DateTimeField()
    url = serializers.CharField(help_text="报警页面 The alarm's page")


class AlarmBoardSerializer(serializers.Serializer):
    now = serializers.DateTimeField(help_text="数据时间 As of")
    list_limit = serializers.IntegerField(help_text="最新报警列表的最多行数 Rows of the latest list at most")
    figures = AlarmBoardFiguresSerializer()
    by_level = ListSerializer(child=AlarmLevelCountSerializer())
    by_township = ListSerializer(child=AlarmTownshipCountSerializer())
    by_enterprise = ListSerializer(child=AlarmEnterpriseCountSerializer())
    latest = ListSerializer(child=AlarmBoardRowSerializer())


class AlarmBoardView(APIView):
    """报警监管看板（只含本人辖区）。Active alarms by level, township and enterprise, the latest, offline points."""

    permission_classes = [permissions.IsAuthenticated, CanViewBoard]

    @extend_schema(summary="报警监管看板 Alarms now: by level, township and enterprise; the latest; offline points",
                   responses=AlarmBoardSerializer, tags=TAGS)
    def get(self, request):
        return Response(AlarmBoardSerializer(board_data(request.user)).data)


class AlarmMeasuresSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="报警数 Alarms raised in the period")
    responded = serializers.IntegerField(help_text="已确认 Acknowledged (or handled)")
    missed = serializers.IntegerField(help_text="超时未确认 Not acknowledged by the deadline")
    open = serializers.IntegerField(help_text="未处置完 Still active")
    closed = serializers.IntegerField(help_text="已关闭 Closed")
    false = serializers.IntegerField(help_text="误报 Closed as false alarms")
    false_rate = serializers.FloatField(allow_null=True, help_text="误报率（%） False / closed")
    median_minutes = serializers.FloatField(allow_null=True, help_text="确认用时中位数（分钟）")
    p90_minutes = serializers.FloatField(allow_null=True, help_text="确认用时P90（分钟）")
    offline_points = serializers.IntegerField(help_text="离线监测点（当前） Points offline now")
    by_level = ListSerializer(child=AlarmLevelCountSerializer())


class AlarmEnterpriseMeasuresSerializer(AlarmMeasuresSerializer):
    enterprise_id = serializers.IntegerField()
    enterprise__name = serializers.CharField(help_text="企业名称")
    township__name = serializers.CharField(help_text="街镇")


class AlarmDayCountSerializer(serializers.Serializer):
    day = serializers.DateField()
    count = serializers.IntegerField()


class AlarmStatisticsSerializer(serializers.Serializer):
    first = serializers.DateField(help_text="起始日 First day")
    last = serializers.DateField(help_text="截止日 Last day")
    totals = AlarmMeasuresSerializer()
    per_day = ListSerializer(child=AlarmDayCountSerializer())
    enterprises = ListSerializer(child=AlarmEnterpriseMeasuresSerializer())


class AlarmStatisticsView(APIView):
    """报警统计（只含本人辖区）。Per enterprise over a period of at most 92 days."""

    permission_classes = [permissions.IsAuthenticated, CanViewBoard]

    @extend_schema(summary="报警统计 Alarm statistics per enterprise", responses=AlarmStatisticsSerializer, tags=TAGS,
                   parameters=[OpenApiParameter("township", str), OpenApiParameter("enterprise", int),
                               OpenApiParameter("raised_from", str), OpenApiParameter("raised_to", str)])
    @error_responses(400)
    def get(self, request):
        try:
            filterset = valid_filterset(stats.StatisticsFilter, request.GET,
                                        Alarm.objects.visible_to(request.user).order_by(), request)
        except ValidationError as error:
            raise ApiValidationError(error.message_dict) from None
        return Response(AlarmStatisticsSerializer(stats.alarm_statistics(request.user, filterset)).data)
