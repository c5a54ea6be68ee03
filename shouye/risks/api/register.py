"""The risk register's API: risk points (list, detail, create, edit, retire), their hazard sources, the
assessment of a source, its measures, the special control plan, and publication. Thin: the scoped queryset
comes from the selectors, each write is one service call (services/register.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404  # a malformed id is a 404, not a 500
from rest_framework.response import Response

from shouye.core.api.fields import ListField, ScopedPrimaryKeyRelatedField
from shouye.core.api.permissions import requires
from shouye.core.api.schema import error_responses
from shouye.core.exceptions import InvalidTransition
from shouye.enterprises.models import Enterprise

from ..choices import AssessmentMethod, ControlLevel, RegisterState, RiskLevel
from ..filters import RiskPointFilter
from ..models import ControlMeasure, HazardSource, RiskAssessment, RiskPoint, SpecialControlPlan
from ..selectors import register as selectors
from ..services import register as services

TAGS = ["risks"]
VIEW = "risks.view_riskpoint"


#: Every route needs the read permission; writes need the enterprise's, checked by the services.
CanViewRisks = requires(VIEW)


# --- serializers ------------------------------------------------------------------------------------------


class AssessmentSerializer(serializers.ModelSerializer):
    assessed_by = serializers.StringRelatedField()
    inputs = serializers.SerializerMethodField(help_text="The inputs as NAME=value, e.g. L=6")

    class Meta:
        model = RiskAssessment
        fields = ["id", "method", "inputs", "score", "grade", "basis", "current", "assessed_by", "assessed_at"]

    @extend_schema_field(ListField(child=serializers.CharField()))
    def get_inputs(self, assessment) -> list[str]:
        return services.input_pairs(assessment.method, assessment.inputs)


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = ControlMeasure
        fields = ["id", "category", "subcategory", "own_category", "description", "check_content", "data_source",
                  "is_active"]


def _blank_or(choices) -> serializers.ChoiceField:
    """A grade or level that is empty until the first assessment: read-only fields lose the model's blank, so it
    is declared (the schema then admits "")."""
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True)


class HazardSourceSerializer(serializers.ModelSerializer):
    grade = _blank_or(RiskLevel.choices)
    assessments = AssessmentSerializer(many=True, read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)

    class Meta:
        model = HazardSource
        fields = ["id", "risk_point", "identification_method", "step_or_item", "name", "factor_category",
                  "consequence", "grade", "assessments", "measures"]
        read_only_fields = ["risk_point", "grade"]


class SpecialPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpecialControlPlan
        fields = list(services.PLAN_FIELDS)


class RiskPointListSerializer(serializers.ModelSerializer):
    enterprise = serializers.StringRelatedField()
    grade = _blank_or(RiskLevel.choices)
    control_level = _blank_or(ControlLevel.choices)
    enterprise_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = RiskPoint
        fields = ["id", "enterprise", "enterprise_id", "code", "name", "kind", "location", "department",
                  "responsible_person", "grade", "control_level", "forced_major", "is_active"]


class RiskPointDetailSerializer(RiskPointListSerializer):
    forced_major_reasons = ListField(child=serializers.CharField(), read_only=True)
    hazard_sources = HazardSourceSerializer(many=True, read_only=True)
    special_control_plan = SpecialPlanSerializer(read_only=True, allow_null=True)
    responsible_user = serializers.StringRelatedField()

    class Meta(RiskPointListSerializer.Meta):
        fields = [*RiskPointListSerializer.Meta.fields, "control_focus", "control_unit", "responsible_user",
                  "forced_major_reasons", "hazard_sources", "special_control_plan"]


class RiskPointWriteSerializer(serializers.ModelSerializer):
    """The facts of a risk point; the enterprise only on create. The responsible account is checked by the
    service (an account of the point's enterprise)."""

    enterprise = ScopedPrimaryKeyRelatedField(Enterprise, required=False)

    class Meta:
        model = RiskPoint
        fields = ["enterprise", *[f for f in services.POINT_FIELDS]]
        extra_kwargs = {"code": {"validators": []}}
        validators = []


class HazardSourceWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = HazardSource
        fields = list(services.SOURCE_FIELDS)


class AssessSerializer(serializers.Serializer):
    """The method and its inputs — LEC: l, e, c; matrix: l, s; MES: m, e, s — each a value of the enterprise's
    effective table (the others are ignored)."""

    method = serializers.ChoiceField(choices=AssessmentMethod.choices)
    l = serializers.CharField(max_length=20, required=False)  # noqa: E741
    e = serializers.CharField(max_length=20, required=False)
    c = serializers.CharField(max_length=20, required=False)
    s = serializers.CharField(max_length=20, required=False)
    m = serializers.CharField(max_length=20, required=False)

    def inputs(self) -> dict:
        return {k: v for k, v in self.validated_data.items() if k != "method"}


class RegisterSerializer(serializers.Serializer):
    enterprise_id = serializers.IntegerField()
    enterprise = serializers.CharField()
    state = serializers.CharField()
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField(allow_null=True)
    changed_since_publication = serializers.BooleanField()
    problems = ListField(child=serializers.CharField(), help_text="Why it cannot be published now")


def refused(exc: InvalidTransition) -> Response:
    """A deletion refused because records refer to the row: the 409 of an invalid transition, with the reason
    (which records, what to do instead) as its detail."""
    return Response({"detail": str(exc), "state": exc.state, "action": exc.action, "allowed_actions": exc.allowed},
                    status=status.HTTP_409_CONFLICT)


# --- viewsets ---------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="风险点清单 Risk points in the caller's scope (filtered, paginated)", tags=TAGS),
    retrieve=extend_schema(summary="风险点详情 A risk point with its hazard sources, assessments, measures and "
                                   "special control plan", tags=TAGS),
    create=extend_schema(summary="新增风险点 Add a risk point to an enterprise's list",
                         request=RiskPointWriteSerializer, responses={201: RiskPointDetailSerializer}, tags=TAGS),
    partial_update=extend_schema(summary="修改风险点 Edit a risk point", request=RiskPointWriteSerializer,
                                 responses={200: RiskPointDetailSerializer}, tags=TAGS),
)
class RiskPointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """风险点（只含本人辖区）。Risk points of the enterprises in the caller's scope."""

    queryset = RiskPoint.objects.all()
    filterset_class = RiskPointFilter
    permission_classes = [permissions.IsAuthenticated, CanViewRisks]

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.point_detail(self.request.user)
        return selectors.risk_points(self.request.user).select_related("enterprise").order_by("enterprise_id",
                                                                                               "code", "id")

    def get_serializer_class(self):
        if self.action == "list":
            return RiskPointListSerializer
        if self.action in ("create", "partial_update"):
            return RiskPointWriteSerializer
        return RiskPointDetailSerializer

    def detail_response(self, point, status_code=status.HTTP_200_OK) -> Response:
        fresh = selectors.point_detail(self.request.user).get(pk=point.pk)
        return Response(RiskPointDetailSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status_code)

    def _changeable(self, pk):
        """The point in scope (404 otherwise, an unknown id alike), then the verb (403)."""
        point = get_object_or_404(selectors.risk_points(self.request.user).select_related("enterprise"), pk=pk)
        if not self.request.user.has_perm(services.MANAGE):
            raise PermissionDenied()
        return point

    def create(self, request, *args, **kwargs):
        if not request.user.has_perm(services.MANAGE):
            raise PermissionDenied()
        serializer = RiskPointWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        enterprise = data.pop("enterprise", None)
        if enterprise is None:
            raise serializers.ValidationError({"enterprise": [_("Choose the enterprise.")]})
        point = services.create_risk_point(actor=request.user, enterprise=enterprise, **data)
        return self.detail_response(point, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        point = self._changeable(kwargs["pk"])
        serializer = RiskPointWriteSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("enterprise", None)
        point = services.update_risk_point(actor=request.user, risk_point=point, **data)
        return self.detail_response(point)

    @extend_schema(summary="停用风险点 Retire a risk point", request=None,
                   responses={200: RiskPointDetailSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"])
    @error_responses(409)
    def retire(self, request, pk=None):
        point = services.retire_risk_point(actor=request.user, risk_point=self._changeable(pk))
        return self.detail_response(point)

    @extend_schema(summary="新增危险源 Add a hazard source to the point", request=HazardSourceWriteSerializer,
                   responses={201: RiskPointDetailSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="hazard-sources")
    def hazard_sources(self, request, pk=None):
        point = self._changeable(pk)
        serializer = HazardSourceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.add_hazard_source(actor=request.user, risk_point=point, **serializer.validated_data)
        return self.detail_response(point, status.HTTP_201_CREATED)

    @extend_schema(summary="专项管控方案 Write the special control plan of a major or high point "
                           "(山东省安全生产条例 Art. 31 ¶2)", request=SpecialPlanSerializer,
                   responses={200: RiskPointDetailSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="special-plan")
    def special_plan(self, request, pk=None):
        point = self._changeable(pk)
        serializer = SpecialPlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.save_special_plan(actor=request.user, risk_point=point, **serializer.validated_data)
        return self.detail_response(point)


@extend_schema_view(retrieve=extend_schema(summary="风险清单状态 The state of an enterprise's risk list and what "
                                                   "stops its publication", tags=TAGS))
class RiskRegisterViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """风险分级管控清单（按企业）。An enterprise's risk list as a whole: its state, version and publication."""

    queryset = Enterprise.objects.all()
    serializer_class = RegisterSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewRisks]

    def get_queryset(self):
        return selectors.enterprise_in_scope(self.request.user)

    def _data(self, enterprise):
        register = selectors.register_of(self.request.user, enterprise.pk)
        return RegisterSerializer({
            "enterprise_id": enterprise.pk, "enterprise": enterprise.name,
            "state": register.state if register else RegisterState.DRAFT,
            "version": register.version if register else 0,
            "published_at": register.published_at if register else None,
            "changed_since_publication": register.changed_since_publication if register else False,
            "problems": services.publication_problems(enterprise.pk)}).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._data(self.get_object()))

    @extend_schema(summary="发布风险清单 Publish the enterprise's risk list (refused, 400, with the points to fix)",
                   request=None, responses={200: RegisterSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        enterprise = self.get_object()
        if not request.user.has_perm(services.PUBLISH):
            raise PermissionDenied()
        services.publish_register(actor=request.user, enterprise=enterprise)
        return Response(self._data(enterprise))


@extend_schema_view(
    retrieve=extend_schema(summary="危险源详情 A hazard source with its assessments and measures", tags=TAGS),
    destroy=extend_schema(summary="删除危险源 Delete a hazard source entered by mistake, with its assessments and "
                                  "measures; the risk point is re-graded. Refused (409) when investigation records "
                                  "or an active task refer to its measures", tags=TAGS),
)
class HazardSourceViewSet(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """危险源。Hazard sources of the risk points in the caller's scope."""

    queryset = HazardSource.objects.all()
    serializer_class = HazardSourceSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewRisks]

    def get_queryset(self):
        return HazardSource.objects.visible_to(self.request.user).prefetch_related("assessments", "measures")

    def _changeable(self, pk):
        source = get_object_or_404(selectors.hazard_sources(self.request.user), pk=pk)
        if not self.request.user.has_perm(services.MANAGE):
            raise PermissionDenied()
        return source

    def _response(self, source, status_code=status.HTTP_200_OK):
        return Response(HazardSourceSerializer(self.get_queryset().get(pk=source.pk)).data, status=status_code)

    @error_responses(403, 409)
    def destroy(self, request, *args, **kwargs):
        source = self._changeable(kwargs["pk"])
        try:
            services.delete_hazard_source(actor=request.user, source=source)
        except InvalidTransition as exc:
            return refused(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="风险评价 Assess the source by LEC, the risk matrix or MES; the point is re-graded",
                   request=AssessSerializer, responses={201: HazardSourceSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        source = self._changeable(pk)
        serializer = AssessSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.assess_hazard_source(actor=request.user, source=source,
                                      method=serializer.validated_data["method"], inputs=serializer.inputs())
        return self._response(source, status.HTTP_201_CREATED)

    @extend_schema(summary="新增管控措施 Add a control measure (categories of the national interface)",
                   request=MeasureSerializer, responses={201: HazardSourceSerializer}, tags=TAGS)
    @action(detail=True, methods=["post"])
    def measures(self, request, pk=None):
        source = self._changeable(pk)
        serializer = MeasureSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.add_measure(actor=request.user, source=source, **serializer.validated_data)
        return self._response(source, status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(summary="管控措施详情 A control measure", tags=TAGS),
    destroy=extend_schema(summary="删除管控措施 Delete a control measure entered by mistake. Refused (409) when "
                                  "investigation records or an active task refer to it: mark it not in use "
                                  "instead", tags=TAGS),
)
class ControlMeasureViewSet(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """管控措施。Control measures of the hazard sources in the caller's scope."""

    queryset = ControlMeasure.objects.all()
    serializer_class = MeasureSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewRisks]

    def get_queryset(self):
        return selectors.control_measures(self.request.user)

    @error_responses(403, 409)
    def destroy(self, request, *args, **kwargs):
        measure = get_object_or_404(self.get_queryset().select_related("hazard_source__risk_point"), pk=kwargs["pk"])
        if not request.user.has_perm(services.MANAGE):
            raise PermissionDenied()
        try:
            services.delete_measure(actor=request.user, measure=measure)
        except InvalidTransition as exc:
            return refused(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)
