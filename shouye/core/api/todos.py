"""The workbench (我的待办, issue 10) over the API: the same cards the home page shows, for a phone app or an
integration; read from the to-do registry, so a later app's to-dos appear here by registering."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shouye.core.views import todo_cards


class TodoItemSerializer(serializers.Serializer):
    title = serializers.CharField(help_text="事项 What is waiting")
    url = serializers.CharField(help_text="办理页面 The page where it is done")
    detail = serializers.CharField(help_text="说明 Detail")
    due = serializers.DateField(allow_null=True, help_text="期限 Deadline, when it has one")
    overdue = serializers.BooleanField(help_text="是否逾期 Whether the deadline has passed")


class TodoCardSerializer(serializers.Serializer):
    key = serializers.CharField(source="provider.key", help_text="待办类别 Kind of to-do")
    label = serializers.CharField(source="provider.label", help_text="名称 Label")
    count = serializers.IntegerField(help_text="数量 How many are waiting")
    url = serializers.CharField(help_text="全部事项的页面 The full list, or empty")
    items = TodoItemSerializer(many=True, read_only=True, help_text="前几项 The first items")


class TodoView(APIView):
    """我的待办 The signed-in user's to-dos: each kind with its count and first items, the empty ones last."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="我的待办 My to-dos", responses=TodoCardSerializer(many=True), tags=["workbench"])
    def get(self, request):
        return Response(TodoCardSerializer(todo_cards(request.user), many=True).data)
