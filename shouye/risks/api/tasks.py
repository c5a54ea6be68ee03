"""The investigation tasks' API: setting up tasks (one risk point, or the whole list from a default frequency),
stopping one, reading instances and doing one. Thin: scoped querysets, one service call per write."""

from __future__ import annotations

import json

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from shouye.core.api import fields
from shouye.core.api.fields import ChoiceLabelField, ScopedPrimaryKeyRelatedField
from shouye.core.api.viewsets import ScopedViewSetMixin
from shouye.core.bounds import MAX_ITEMS, MAX_PHOTOS
from shouye.enterprises.models import Enterprise
from shouye.hazards.choices import InvestigationType

from ..choices import CheckOutcome, CycleUnit, InstanceState, WorkDayType
from ..models import (
    ControlMeasure,
    InvestigationTask,
    RiskPoint,
    TaskCheck,
    TaskFrequencyDefault,
    TaskInstance,
)
from ..services import tasks as services

TAGS = ["investigation-tasks"]
#: An instance's state as a person reads it ("Due" and "Done" alone are the inspection plans' column headers).
STATE_LABELS = [(InstanceState.DUE, pgettext_lazy("investigation state", "To do")),
                (InstanceState.DONE, pgettext_lazy("investigation state", "Done")),
                (InstanceState.MISSED, pgettext_lazy("investigation state", "Missed"))]
MULTIPART = "multipart/form-data"
JSON = "application/json"


class CanViewTasks(permissions.BasePermission):
    """Reading needs the view permission; what a user may change is the services' to decide (403 there)."""

    def has_permission(self, request, view):
        return request.user.has_perm("risks.view_investigationtask")


# --- output -------------------------------------------------------------------------------------------------


class TaskMeasureSerializer(serializers.ModelSerializer):
    hazard_source = serializers.CharField(source="hazard_source.name", read_only=True)
    measure_category = serializers.CharField(source="category", read_only=True,
                                             help_text=gettext_lazy("classify1 of §A.6 (1–4)"))
    measure_subcategory = serializers.CharField(source="subcategory", read_only=True,
                                                help_text=gettext_lazy("classify2 of §A.6 (1-1 … 4-5)"))

    class Meta:
        model = ControlMeasure
        fields = ["id", "hazard_source", "measure_category", "measure_subcategory", "description", "check_content"]


class InvestigationTaskSerializer(serializers.ModelSerializer):
    """排查任务 An investigation task (§A.6 checkTask)."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    risk_point_name = serializers.CharField(source="risk_point.name", read_only=True, default="")
    investigation_type_display = ChoiceLabelField(InvestigationType.choices, source="investigation_type")
    cycle_unit_display = ChoiceLabelField(CycleUnit.choices, source="cycle_unit")
    work_day_type_display = ChoiceLabelField(WorkDayType.choices, source="work_day_type")
    assignee = serializers.StringRelatedField()
    measures = TaskMeasureSerializer(many=True, read_only=True)

    class Meta:
        model = InvestigationTask
        fields = ["id", "enterprise", "enterprise_name", "risk_point", "risk_point_name", "title",
                  "investigation_type", "investigation_type_display", "work_type", "cycle", "cycle_unit",
                  "cycle_unit_display", "work_day_type", "work_day_type_display", "work_start", "work_end",
                  "starts_at", "ends_on", "post", "assignee", "is_active", "generated_until", "measures"]


class CheckPhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, photo) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(photo.image.url) if request else photo.image.url


class TaskCheckSerializer(serializers.ModelSerializer):
    """排查记录 The result of one measure (§A.6 checkRecord)."""

    outcome_display = ChoiceLabelField(CheckOutcome.choices, source="outcome")
    photos = CheckPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = TaskCheck
        fields = ["id", "measure", "outcome", "outcome_display", "note", "hazard", "checked_at", "photos"]


class TaskInstanceSerializer(serializers.ModelSerializer):
    """A task's instance, due in [due_from, due_by)."""

    task_title = serializers.CharField(source="task.title", read_only=True)
    investigation_type = serializers.CharField(source="task.investigation_type", read_only=True)
    post = serializers.CharField(source="task.post", read_only=True)
    state_display = ChoiceLabelField(STATE_LABELS, source="state")
    assignee = serializers.StringRelatedField()
    done_by = serializers.StringRelatedField()

    class Meta:
        model = TaskInstance
        fields = ["id", "task", "task_title", "investigation_type", "post", "enterprise", "assignee", "due_from",
                  "due_by", "state", "state_display", "done_at", "done_by", "missed_at"]


class TaskInstanceDetailSerializer(TaskInstanceSerializer):
    measures = serializers.SerializerMethodField()
    checks = TaskCheckSerializer(many=True, read_only=True)

    class Meta(TaskInstanceSerializer.Meta):
        fields = [*TaskInstanceSerializer.Meta.fields, "measures", "checks"]

    def get_measures(self, instance) -> list[dict]:
        return TaskMeasureSerializer(instance.task.measures.all(), many=True).data


# --- input --------------------------------------------------------------------------------------------------


class TaskCreateSerializer(serializers.Serializer):
    """设置排查任务 Set up a task for a risk point."""

    risk_point = ScopedPrimaryKeyRelatedField(RiskPoint, help_text=gettext_lazy("Risk point id"))
    measures = ScopedPrimaryKeyRelatedField(ControlMeasure, many=True, required=False, max_length=MAX_ITEMS,
                                            help_text=gettext_lazy("Measures of the point to check"))
    all_measures = serializers.BooleanField(default=False,
                                            help_text=gettext_lazy("Check every measure of the point in use"))
    investigation_type = serializers.ChoiceField(choices=InvestigationType.choices, default=InvestigationType.ROUTINE)
    default = fields.SlugRelatedField(slug_field="key", queryset=TaskFrequencyDefault.objects.all(), required=False,
                                      allow_null=True, default=None,
                                      help_text=gettext_lazy("Key of a default frequency: gives the type and cycle"))
    cycle = serializers.IntegerField(min_value=1, max_value=1000, required=False, allow_null=True, default=None)
    cycle_unit = serializers.ChoiceField(choices=CycleUnit.choices, required=False, allow_blank=True, default="")
    work_day_type = serializers.ChoiceField(choices=WorkDayType.choices, default=WorkDayType.EVERY_DAY)
    work_start = serializers.TimeField(required=False, allow_null=True, default=None)
    work_end = serializers.TimeField(required=False, allow_null=True, default=None)
    starts_at = serializers.DateTimeField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    post = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    assignee = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, allow_null=True,
                                        default=None, help_text=gettext_lazy("A user account of the enterprise"))
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class WholeListSerializer(serializers.Serializer):
    """为整个风险清单生成任务 One routine task per risk point from a default frequency."""

    enterprise = ScopedPrimaryKeyRelatedField(Enterprise)
    default = fields.SlugRelatedField(slug_field="key", queryset=TaskFrequencyDefault.objects.all(),
                                      help_text=gettext_lazy("Key of a default frequency"))
    starts_at = serializers.DateTimeField()
    work_day_type = serializers.ChoiceField(choices=WorkDayType.choices, default=WorkDayType.EVERY_DAY)
    work_start = serializers.TimeField(required=False, allow_null=True, default=None)
    work_end = serializers.TimeField(required=False, allow_null=True, default=None)
    post = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class WholeListResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    skipped = serializers.IntegerField()
    without_measures = serializers.IntegerField()


class CheckInputSerializer(serializers.Serializer):
    measure = serializers.IntegerField(min_value=1, max_value=2**31 - 1, allow_null=True, required=False,
                                       default=None,
                                       help_text=gettext_lazy("Empty for the one result of a task without "
                                                              "measures (a responsible person's duty)"))
    outcome = serializers.ChoiceField(choices=CheckOutcome.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    class Meta:
        list_serializer_class = fields.ListSerializer


class CompleteSerializer(serializers.Serializer):
    """完成排查 Every measure's result. JSON, or multipart with ``checks`` as a JSON text and the photos of a
    measure as repeated ``photos_<measure id>`` parts (a photo is required for a measure not OK). A task
    without measures (a responsible person's duty) takes one result with an empty measure, its photos as
    ``photos_duty`` parts (a note is required when it is not OK)."""

    checks = CheckInputSerializer(many=True, max_length=MAX_ITEMS)


def task_rows(user):
    return (InvestigationTask.objects.visible_to(user).select_related("enterprise", "risk_point", "assignee")
            .prefetch_related(Prefetch("measures", queryset=ControlMeasure.objects.select_related("hazard_source")))
            .order_by("-id"))


@extend_schema_view(
    list=extend_schema(summary="排查任务列表 Investigation tasks in the caller's scope", tags=TAGS),
    retrieve=extend_schema(summary="排查任务 One task with its measures", tags=TAGS),
    create=extend_schema(summary="设置排查任务 Set up a task for a risk point (its instances up to tomorrow are "
                                 "created at once)", request=TaskCreateSerializer,
                         responses={201: InvestigationTaskSerializer}, tags=TAGS),
)
class InvestigationTaskViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                               mixins.CreateModelMixin, viewsets.GenericViewSet):
    """排查任务（只含本人辖区）。Investigation tasks generated from the control measures of the risk list."""

    queryset = InvestigationTask.objects.all()
    permission_classes = [permissions.IsAuthenticated, CanViewTasks]

    def get_queryset(self):
        return task_rows(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return TaskCreateSerializer
        if self.action == "generate_for_list":
            return WholeListSerializer
        return InvestigationTaskSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        point = values.pop("risk_point")
        default = values.pop("default")
        if default is not None:
            values.update(investigation_type=default.investigation_type, cycle=default.cycle,
                          cycle_unit=default.cycle_unit)
        if values["assignee"] is not None:
            values["assignee"] = services.enterprise_people(point.enterprise_id).filter(pk=values["assignee"]).first()
            if values["assignee"] is None:
                raise ValidationError({"assignee": [_("The person must be a user account of this enterprise.")]})
        task = services.create_task(actor=request.user, risk_point=point, data=services.TaskInput(**values))
        return Response(InvestigationTaskSerializer(task_rows(request.user).get(pk=task.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="停止排查任务 Stop a task (no new instances; those created stay)", request=None,
                   responses={200: InvestigationTaskSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def stop(self, request, pk=None):
        task = services.stop_task(actor=request.user, task=self.get_object())
        return Response(InvestigationTaskSerializer(task_rows(request.user).get(pk=task.pk)).data)

    @extend_schema(summary="为整个风险清单生成任务 One routine task per risk point of the enterprise from a "
                           "default frequency; points with an active task are skipped",
                   request=WholeListSerializer, responses={201: WholeListResultSerializer}, tags=TAGS)
    @action(detail=False, methods=["post"], url_path="generate-for-list")
    def generate_for_list(self, request):
        serializer = WholeListSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        result = services.generate_for_whole_list(actor=request.user, **serializer.validated_data)
        return Response(WholeListResultSerializer(result).data, status=status.HTTP_201_CREATED)


def instance_rows(user):
    return TaskInstance.objects.visible_to(user).select_related("task", "assignee", "done_by").order_by("due_by",
                                                                                                       "id")


@extend_schema_view(
    list=extend_schema(summary="排查任务实例 Task instances in the caller's scope (state=due|done|missed, "
                               "mine=true for the caller's own)", tags=TAGS),
    retrieve=extend_schema(summary="排查任务实例 One instance with its measures and records", tags=TAGS),
)
class TaskInstanceViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """排查任务实例。The occurrences of the tasks, to do in their window."""

    queryset = TaskInstance.objects.all()
    permission_classes = [permissions.IsAuthenticated, CanViewTasks]

    def get_queryset(self):
        rows = instance_rows(self.request.user)
        if self.action == "list":
            state = self.request.query_params.get("state", "")
            if state in InstanceState.values:
                rows = rows.filter(state=state)
            if self.request.query_params.get("mine") == "true":
                rows = rows.filter(Q(assignee=self.request.user) | Q(assignee__isnull=True))
        if self.action == "retrieve":
            rows = rows.prefetch_related(
                Prefetch("task__measures", queryset=ControlMeasure.objects.select_related("hazard_source")),
                Prefetch("checks", queryset=TaskCheck.objects.prefetch_related("photos")))
        return rows

    def get_serializer_class(self):
        return TaskInstanceDetailSerializer if self.action in ("retrieve", "complete") else TaskInstanceSerializer

    @extend_schema(summary="完成排查 Record every measure OK / not OK (a photo for not OK); each not OK becomes a "
                           "hazard with source 'control measure failed'. Done twice: 409",
                   request={JSON: CompleteSerializer, MULTIPART: CompleteSerializer},
                   responses={200: TaskInstanceDetailSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        instance = self.get_object()
        data = request.data
        if request.content_type.startswith("multipart/"):
            try:
                data = {"checks": json.loads(request.data.get("checks") or "[]")}
            except ValueError as exc:
                raise ValidationError({"checks": [_("Send the results as a JSON list.")]}) from exc
        serializer = CompleteSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        checks = []
        for entry in serializer.validated_data["checks"]:
            photos = request.FILES.getlist(f"photos_{entry['measure'] or services.DUTY_KEY}")[:MAX_PHOTOS]
            checks.append(services.CheckInput(measure=entry["measure"], outcome=entry["outcome"],
                                              note=entry["note"], photos=photos))
        services.complete_instance(actor=request.user, instance=instance, checks=checks)
        fresh = self.get_queryset().prefetch_related(
            Prefetch("task__measures", queryset=ControlMeasure.objects.select_related("hazard_source")),
            Prefetch("checks", queryset=TaskCheck.objects.prefetch_related("photos"))).get(pk=instance.pk)
        return Response(TaskInstanceDetailSerializer(fresh, context=self.get_serializer_context()).data)
