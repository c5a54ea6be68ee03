from rest_framework import serializers

from shouye.core.api.fields import ListSerializer, SlugRelatedField
from shouye.enterprises.models import Industry
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region

from ..choices import PeriodRuleAction, PermitKind, SpecialPeriodKind
from ..models import MAX_FILING_HOURS, SpecialPeriod, SpecialPeriodRule
from ..periods import PeriodInput, RuleInput


class RuleSerializer(serializers.ModelSerializer):
    permit_kind = serializers.ChoiceField(choices=PermitKind.choices, help_text="作业类别 kind of special operation")
    action = serializers.ChoiceField(choices=PeriodRuleAction.choices,
                                     help_text="raise_grade 升级管理 / prohibit 禁止 / require_filing 报备")
    filing_hours_before = serializers.IntegerField(min_value=1, max_value=MAX_FILING_HOURS, required=False,
                                                   allow_null=True, help_text="报备提前小时数（仅报备）")

    class Meta:
        model = SpecialPeriodRule
        fields = ["permit_kind", "action", "filing_hours_before"]
        list_serializer_class = ListSerializer


class SpecialPeriodSerializer(serializers.ModelSerializer):
    """特殊时期。A special period: empty ``townships`` and ``industries`` mean the whole district."""

    kind = serializers.ChoiceField(choices=SpecialPeriodKind.choices)
    townships = SlugRelatedField(slug_field="code", many=True, required=False,
                                 queryset=Region.objects.filter(level=RegionLevel.TOWNSHIP),
                                 help_text="街镇区划代码 township codes; empty: every township")
    industries = SlugRelatedField(slug_field="code", many=True, required=False, queryset=Industry.objects.all(),
                                  help_text="行业代码 industry codes; empty: every industry")
    rules = RuleSerializer(many=True, required=False)
    notice = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    is_cancelled = serializers.BooleanField(read_only=True)

    class Meta:
        model = SpecialPeriod
        fields = ["id", "name", "kind", "starts_on", "ends_on", "townships", "industries", "notice", "rules",
                  "created_at", "is_cancelled", "cancelled_at", "cancel_reason"]
        read_only_fields = ["id", "created_at", "cancelled_at", "cancel_reason"]

    def period_input(self) -> PeriodInput:
        """The service's input: the fields sent, and for a partial change (PATCH) the period's own for the rest."""
        data, period = self.validated_data, self.instance

        def value(name, current):
            return data[name] if name in data else (current() if period is not None else None)

        rules = value("rules", lambda: [{"permit_kind": r.permit_kind, "action": r.action,
                                         "filing_hours_before": r.filing_hours_before} for r in period.rules.all()])
        return PeriodInput(
            name=value("name", lambda: period.name), kind=value("kind", lambda: period.kind),
            starts_on=value("starts_on", lambda: period.starts_on), ends_on=value("ends_on", lambda: period.ends_on),
            townships=tuple(r.pk for r in value("townships", lambda: list(period.townships.all())) or ()),
            industries=tuple(i.pk for i in value("industries", lambda: list(period.industries.all())) or ()),
            notice=value("notice", lambda: period.notice) or "",
            rules=tuple(RuleInput(r["permit_kind"], r["action"], r.get("filing_hours_before")) for r in rules or ()))


class CancelPeriodSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="取消原因 why the period is cancelled")


