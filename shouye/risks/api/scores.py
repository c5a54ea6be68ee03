"""The bureau's 100-point risk assessment of an enterprise over the API (应急〔2018〕19号, REGULATIONS-2 §A.7):
the records in the caller's scope (the current one and the history), one record, and recording a new one by
the service the page calls (services/scores.py)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from shouye.core.api.fields import ListField, ScopedPrimaryKeyRelatedField
from shouye.core.api.permissions import requires
from shouye.core.api.schema import error_responses
from shouye.enterprises.models import Enterprise

from ..filters import RiskScoreFilter
from ..models import EnterpriseRiskScore
from ..scoring import DIRECT_RED_CONDITIONS
from ..services.scores import RECORD_SCORE, record_score

TAGS = ["risks"]
VIEW_LIVENESS = "risks.view_liveness"


#: Reading needs the liveness view (the bureau, leaders, township and department officers); recording needs the
#: bureau's verb, checked again by the service.
CanViewScores = requires(VIEW_LIVENESS)


class RiskScoreSerializer(serializers.ModelSerializer):
    enterprise = serializers.StringRelatedField(help_text="企业名称 Enterprise name")
    enterprise_id = serializers.IntegerField(read_only=True, help_text="企业 ID Enterprise id")
    direct_red_reasons = ListField(child=serializers.ChoiceField(choices=DIRECT_RED_CONDITIONS), read_only=True,
                                   help_text="直接判定为红色的情形（代码）Direct-red conditions (codes)")
    recorded_by = serializers.StringRelatedField()

    class Meta:
        model = EnterpriseRiskScore
        fields = ["id", "enterprise", "enterprise_id", "score", "direct_red_reasons", "colour", "basis",
                  "assessed_on", "assessor", "current", "recorded_by", "recorded_at"]
        extra_kwargs = {"colour": {"help_text": "颜色 red/orange/yellow/blue Colour by §A.7's bands"}}


class RecordScoreSerializer(serializers.Serializer):
    """A new assessment: the score (0–100, two decimals) unless a direct-red condition is given."""

    enterprise = ScopedPrimaryKeyRelatedField(Enterprise, help_text="企业 ID Enterprise id")
    score = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True,
                                     help_text="评估得分 Score (0–100)")
    direct_red_reasons = ListField(child=serializers.ChoiceField(choices=DIRECT_RED_CONDITIONS), required=False,
                                   help_text="直接判定为红色的情形（代码）Direct-red conditions (codes)")
    assessed_on = serializers.DateField(help_text="评估日期 Date of the assessment")
    assessor = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                     help_text="评估单位或人员 Assessed by")


@extend_schema_view(
    list=extend_schema(summary="企业安全风险评估（百分制）Enterprises' 100-point risk assessments in the caller's "
                               "scope; current=true gives each enterprise's current colour", tags=TAGS),
    retrieve=extend_schema(summary="一次百分制评估 One 100-point risk assessment", tags=TAGS),
    create=extend_schema(summary="记录百分制评估 Record an enterprise's 100-point risk assessment (应急〔2018〕19号); "
                                 "the previous current record stays as history",
                         request=RecordScoreSerializer, responses={201: RiskScoreSerializer}, tags=TAGS),
)
class EnterpriseRiskScoreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                                 viewsets.GenericViewSet):
    """企业安全风险评估（百分制）。The bureau's records of the 100-point assessment of enterprises in scope."""

    queryset = EnterpriseRiskScore.objects.all()
    serializer_class = RiskScoreSerializer
    filterset_class = RiskScoreFilter
    permission_classes = [permissions.IsAuthenticated, CanViewScores]

    def get_queryset(self):
        return (EnterpriseRiskScore.objects.visible_to(self.request.user)
                .select_related("enterprise", "recorded_by").order_by("-assessed_on", "-id"))

    def get_serializer_class(self):
        return RecordScoreSerializer if self.action == "create" else RiskScoreSerializer

    @error_responses(403)
    def create(self, request, *args, **kwargs):
        if not request.user.has_perm(RECORD_SCORE):
            raise PermissionDenied()
        serializer = RecordScoreSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = record_score(actor=request.user, enterprise=data["enterprise"], score=data.get("score"),
                              direct_red_reasons=data.get("direct_red_reasons", ()),
                              assessed_on=data["assessed_on"], assessor=data.get("assessor", ""))
        fresh = self.get_queryset().get(pk=record.pk)
        return Response(RiskScoreSerializer(fresh, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)
