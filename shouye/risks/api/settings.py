"""The editable tables of risk assessment over the API (RiskSettings, REGULATIONS.md §3, REGULATIONS-2 §A.3a,
§A.4): the district's (the bureau administrator edits them) and an enterprise's own (the enterprise edits them,
DELETE goes back to the district's). Each table is the rules' JSON (``shouye.rules.data.risk``) and is checked
by the same reader as the page, through the same services (services/settings.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from shouye.core.api.fields import DictField, ListField
from shouye.core.api.schema import error_responses
from shouye.enterprises.models import Enterprise
from shouye.rules.data.risk import table_to_data

from ..selectors import register as selectors
from ..services import settings as risk_settings
from .register import CanViewRisks

TAGS = ["risks"]
TABLE_HELP = ("{\"l_values\": {\"10\": \"完全可以预料\", …}, …, \"bands\": [{\"minimum\": 320, \"level\": 1, \"colour\": "
              "\"red\", \"label\": \"…\"}, …], \"basis\": \"…\"}; {} = the default (an enterprise: the district's)")


class TablesSerializer(serializers.Serializer):
    """The tables as stored; on a write, each field given replaces the stored one (the others stay)."""

    lec_table = DictField(required=False, help_text=f"LEC 表 LEC table: {TABLE_HELP}")
    matrix_table = DictField(required=False, help_text=f"风险矩阵表 Risk matrix table: {TABLE_HELP}")
    mes_table = DictField(required=False, help_text=f"MES 表 MES table: {TABLE_HELP}")
    control_levels = DictField(child=serializers.CharField(), required=False,
                                           help_text="各等级的管控层级 {\"major\": \"principal\", \"high\": \"deputy\", "
                                                     "\"moderate\": \"workshop\", \"low\": \"post\"}")

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(_("Give at least one table or the control levels."))
        return attrs


class DistrictTablesSerializer(TablesSerializer):
    forced_major_conditions = ListField(child=serializers.CharField(), required=False,
                                        help_text="直接判定为重大风险的情形 Conditions that make a risk major "
                                                  "(DB37/T 2882 [P])")


class EffectiveSerializer(serializers.Serializer):
    lec_table = DictField()
    matrix_table = DictField()
    mes_table = DictField()
    control_levels = DictField(child=serializers.CharField())
    forced_major_conditions = ListField(child=serializers.CharField())


class EnterpriseTablesSerializer(TablesSerializer):
    enterprise_id = serializers.IntegerField(read_only=True)
    enterprise = serializers.CharField(read_only=True, help_text="企业名称 Enterprise name")
    effective = EffectiveSerializer(read_only=True, help_text="现行的表（本企业的或全区的）The tables in force")


def _stored(row, fields) -> dict:
    return {name: (getattr(row, name) if row else {}) or {} for name in fields}


def _effective(enterprise_id: int | None) -> dict:
    tables = risk_settings.effective_tables(enterprise_id)
    return {"lec_table": table_to_data(tables.lec), "matrix_table": table_to_data(tables.matrix),
            "mes_table": table_to_data(tables.mes), "control_levels": tables.control_levels,
            "forced_major_conditions": list(tables.forced_major_conditions)}


TABLE_NAMES = (*risk_settings.TABLE_FIELDS, "control_levels")


class DistrictTablesView(APIView):
    """全区风险评价标准。The district's tables, control levels and forced-major conditions."""

    permission_classes = [permissions.IsAuthenticated, CanViewRisks]

    def _data(self):
        row = risk_settings.district_settings()
        return {**_stored(row, TABLE_NAMES), "forced_major_conditions": list(row.forced_major_conditions)}

    @extend_schema(summary="全区风险评价标准 The district's risk assessment tables", tags=TAGS,
                   responses={200: DistrictTablesSerializer})
    def get(self, request):
        return Response(DistrictTablesSerializer(self._data()).data)

    @extend_schema(summary="修改全区风险评价标准 Edit the district's tables (bureau administrator); each is checked by "
                           "the rules and refused (400) naming the item to fix", tags=TAGS,
                   request=DistrictTablesSerializer, responses={200: DistrictTablesSerializer})
    @error_responses(403)
    def patch(self, request):
        if not request.user.has_perm(risk_settings.EDIT_DISTRICT):
            raise PermissionDenied()
        serializer = DistrictTablesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        risk_settings.save_district_settings(actor=request.user, **serializer.validated_data)
        return Response(DistrictTablesSerializer(self._data()).data)


@extend_schema_view(
    retrieve=extend_schema(summary="企业风险评价标准 An enterprise's own tables ({} = the district's) and the tables "
                                   "in force", tags=TAGS),
    partial_update=extend_schema(summary="修改企业风险评价标准 Edit the enterprise's own tables; each is checked by the "
                                         "rules and refused (400) naming the item to fix; {} goes back to the "
                                         "district's", request=TablesSerializer,
                                 responses={200: EnterpriseTablesSerializer}, tags=TAGS),
    destroy=extend_schema(summary="恢复全区标准 The enterprise goes back to the district's tables and control levels",
                          tags=TAGS),
)
class EnterpriseTablesViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """企业风险评价标准（按企业 ID）。An enterprise's own risk assessment tables."""

    serializer_class = EnterpriseTablesSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewRisks]
    queryset = Enterprise.objects.all()

    def get_queryset(self):
        return selectors.enterprise_in_scope(self.request.user)

    def _data(self, enterprise):
        row = risk_settings.enterprise_settings(enterprise.pk)
        return EnterpriseTablesSerializer({**_stored(row, TABLE_NAMES), "enterprise_id": enterprise.pk,
                                           "enterprise": enterprise.name, "effective": _effective(enterprise.pk)}).data

    def retrieve(self, request, *args, **kwargs):
        return Response(self._data(self.get_object()))

    @error_responses(403)
    def partial_update(self, request, *args, **kwargs):
        enterprise = self.get_object()
        serializer = TablesSerializer(data=request.data)
        if not request.user.has_perm(risk_settings.MANAGE):
            raise PermissionDenied()
        serializer.is_valid(raise_exception=True)
        risk_settings.save_enterprise_settings(actor=request.user, enterprise=enterprise, **serializer.validated_data)
        return Response(self._data(enterprise))

    @error_responses(403)
    def destroy(self, request, *args, **kwargs):
        enterprise = self.get_object()
        risk_settings.reset_enterprise_settings(actor=request.user, enterprise=enterprise)
        return Response(status=status.HTTP_204_NO_CONTENT)
