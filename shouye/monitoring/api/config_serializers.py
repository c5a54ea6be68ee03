"""API shapes of gateways, monitoring points and the rule tables (issue 13). Foreign keys go through the scoped
fields: a gateway, enterprise or installation the caller cannot see reads as one that does not exist."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shouye.core.api.fields import ChoiceLabelField, ListField, ListSerializer, ScopedPrimaryKeyRelatedField
from shouye.enterprises.models import Enterprise
from shouye.major_hazards.models import MajorHazardInstallation

from ..choices import AlarmLevel, ClearCondition, Condition, NotifyRole, PointKind
from ..config_services import GATEWAY_FIELDS, POINT_FIELDS, RULE_FIELDS, SCENARIO_FIELDS
from ..models import AlarmRule, AlarmTrigger, Gateway, MonitoringPoint, Scenario


class GatewaySerializer(serializers.ModelSerializer):
    """数据采集网关 A data gateway; it publishes its points' readings under ``shouye/v1/<code>/readings``."""

    enterprise = ScopedPrimaryKeyRelatedField(Enterprise, help_text=_("The enterprise's id (on create only)."))
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    installation = ScopedPrimaryKeyRelatedField(MajorHazardInstallation, required=False, allow_null=True,
                                                help_text=_("The id of its major hazard installation, if any."))
    point_count = serializers.IntegerField(read_only=True, help_text=_("Points in service."))

    class Meta:
        model = Gateway
        fields = ["id", "enterprise", "enterprise_name", *GATEWAY_FIELDS, "is_active", "point_count", "created_at"]
        read_only_fields = ["is_active", "created_at"]
        # The service checks the code's uniqueness inside its transaction, with a message that says why.
        extra_kwargs = {"code": {"validators": []}}
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["enterprise"].read_only = True


class GatewayPointSerializer(serializers.ModelSerializer):
    """A point of the gateway, as the gateway needs it to address readings by id in the binary payload."""

    class Meta:
        model = MonitoringPoint
        fields = ["id", "code", "kind", "unit", "is_active"]


class PointSerializer(serializers.ModelSerializer):
    """监测点 A monitoring point with its latest value and condition. A gas detector given no setpoint takes
    GB/T 50493-2019 5.5.2's (``setpoints_from_standard`` is then true in the answer to that write)."""

    gateway = ScopedPrimaryKeyRelatedField(Gateway, help_text=_("The gateway's id (on create only)."))
    enterprise = serializers.IntegerField(source="enterprise_id", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    installation = ScopedPrimaryKeyRelatedField(MajorHazardInstallation, required=False, allow_null=True,
                                                help_text=_("The id of its major hazard installation, if any "
                                                            "(default: the gateway's)."))
    kind_label = ChoiceLabelField(PointKind.choices, source="kind")
    unit = serializers.CharField(max_length=16, required=False, allow_blank=True,
                                 help_text=_("May be left out for a gas detector given no setpoint: the "
                                             "standard's unit is taken."))
    value = serializers.FloatField(source="status.value", read_only=True, allow_null=True)
    measured_at = serializers.DateTimeField(source="status.measured_at", read_only=True, allow_null=True)
    condition = serializers.ChoiceField(Condition.choices, source="status.condition", read_only=True)
    is_offline = serializers.BooleanField(source="status.is_offline", read_only=True)
    is_stuck = serializers.BooleanField(source="status.is_stuck", read_only=True)

    class Meta:
        model = MonitoringPoint
        fields = ["id", "gateway", "enterprise", "enterprise_name", *POINT_FIELDS, "kind_label", "is_active",
                  "value", "measured_at", "condition", "is_offline", "is_stuck", "created_at", "updated_at"]
        read_only_fields = ["is_active", "created_at", "updated_at"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["gateway"].read_only = True


class ReadingsQuerySerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text=_("From (ISO 8601)."))
    end = serializers.DateTimeField(help_text=_("Until (ISO 8601), at most 92 days after the start."))


class ReadingRowSerializer(serializers.Serializer):
    t = serializers.DateTimeField()
    value = serializers.FloatField(allow_null=True, help_text=_("The reading, or the bucket's mean."))
    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)


class ReadingsSerializer(serializers.Serializer):
    point = serializers.IntegerField()
    unit = serializers.CharField()
    resolution = serializers.ChoiceField(["raw", "minute", "hour"], help_text=_(
        "raw up to an hour, per minute up to a day, per hour beyond (from the minute aggregates)."))
    readings = ListSerializer(child=ReadingRowSerializer())




class AlarmRuleSerializer(serializers.ModelSerializer):
    """The handling rule of one level (REGULATIONS-2 §B.5, [U] local practice)."""

    level = serializers.ChoiceField(AlarmLevel.choices)
    notify_roles = ListField(child=serializers.ChoiceField(NotifyRole.choices), max_length=len(NotifyRole.choices))
    escalate_roles = ListField(child=serializers.ChoiceField(NotifyRole.choices), max_length=len(NotifyRole.choices),
                               required=False)
    clear_condition = serializers.ChoiceField(ClearCondition.choices, required=False)

    class Meta:
        model = AlarmRule
        fields = ["level", *RULE_FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]


class AlarmRuleTableSerializer(serializers.Serializer):
    rules = ListSerializer(child=AlarmRuleSerializer(), max_length=len(AlarmLevel.choices))


class AlarmTriggerSerializer(serializers.ModelSerializer):
    condition = serializers.ChoiceField(Condition.choices)
    point_kind = serializers.ChoiceField(PointKind.choices, allow_blank=True, required=False,
                                         help_text=_("Empty: any kind of point."))
    level = serializers.ChoiceField(AlarmLevel.choices)

    class Meta:
        model = AlarmTrigger
        fields = ["condition", "point_kind", "level"]


class AlarmTriggerTableSerializer(serializers.Serializer):
    triggers = ListSerializer(child=AlarmTriggerSerializer())


class ScenarioSerializer(serializers.ModelSerializer):
    code = serializers.SlugField(max_length=40)
    default_level = serializers.ChoiceField(AlarmLevel.choices, required=False)

    class Meta:
        model = Scenario
        fields = SCENARIO_FIELDS
        validators = []


class ScenarioTableSerializer(serializers.Serializer):
    scenarios = ListSerializer(child=ScenarioSerializer())
