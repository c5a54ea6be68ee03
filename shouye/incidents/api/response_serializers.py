"""Shapes of the response API (response.py): the acts' inputs, the dispatches, the plans and the nearest
forces around the incident."""

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shouye.core.api.fields import ListSerializer, ScopedPrimaryKeyRelatedField
from shouye.plans.models import EmergencyPlan
from shouye.resources.models import Item, Team, Warehouse

from ..models import IncidentDispatch

QUANTITY = {"min_value": Decimal("0.01"), "max_digits": 12, "decimal_places": 2}


class IncidentDispatchTeamSerializer(serializers.Serializer):
    team = ScopedPrimaryKeyRelatedField(Team)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class IncidentDispatchItemsSerializer(serializers.Serializer):
    warehouse = ScopedPrimaryKeyRelatedField(Warehouse)
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all())
    quantity = serializers.DecimalField(**QUANTITY)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


@extend_schema_field(OpenApiTypes.INT)
class _OpenTeamDispatch(serializers.PrimaryKeyRelatedField):
    """A team dispatched to the incident in the URL and not yet back."""

    def get_queryset(self):
        return IncidentDispatch.objects.filter(incident=self.context["obj"], team__isnull=False,
                                               returned_at__isnull=True)


class IncidentReturnTeamSerializer(serializers.Serializer):
    dispatch = _OpenTeamDispatch()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class IncidentActivatePlanSerializer(serializers.Serializer):
    plan = ScopedPrimaryKeyRelatedField(EmergencyPlan)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class IncidentDispatchSerializer(serializers.ModelSerializer):
    team = serializers.StringRelatedField()
    warehouse = serializers.StringRelatedField()
    item = serializers.StringRelatedField()
    dispatched_by = serializers.StringRelatedField()

    class Meta:
        model = IncidentDispatch
        fields = ["id", "team", "team_id", "warehouse", "warehouse_id", "item", "item_id", "quantity",
                  "dispatched_at", "dispatched_by", "returned_at"]


class IncidentPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    version = serializers.IntegerField()
    kind = serializers.CharField()
    unit = serializers.CharField(source="unit.name")
    activated = serializers.BooleanField()


class IncidentNearestTeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    duty_phone = serializers.CharField()
    members = serializers.IntegerField()
    owner = serializers.CharField()
    distance_km = serializers.FloatField(help_text="直线距离 Straight-line distance (km)")
    travel_km = serializers.FloatField(allow_null=True, help_text="道路距离 Travel distance by road (km); null "
                                       "without a road network or where the roads do not connect")


class IncidentNeedSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    needed = serializers.DecimalField(max_digits=14, decimal_places=2)
    available = serializers.DecimalField(max_digits=14, decimal_places=2)


class IncidentNearestWarehouseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    owner = serializers.CharField()
    distance_km = serializers.FloatField(help_text="直线距离 Straight-line distance (km)")
    travel_km = serializers.FloatField(allow_null=True, help_text="道路距离 Travel distance by road (km); null "
                                       "without a road network or where the roads do not connect")
    items = ListSerializer(child=IncidentNeedSerializer())
    covers_all = serializers.BooleanField()


class IncidentForcesSerializer(serializers.Serializer):
    """The response around the incident: where it is (null without a position), how the forces are ranked,
    the nearest ready teams and warehouses (holding ``item`` when asked), what was dispatched, and the plans
    that apply."""

    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    own_position = serializers.BooleanField()
    ranked_by = serializers.CharField(allow_null=True, help_text='"road" or "straight_line"')
    teams = ListSerializer(child=IncidentNearestTeamSerializer())
    warehouses = ListSerializer(child=IncidentNearestWarehouseSerializer())
    dispatches = ListSerializer(child=IncidentDispatchSerializer())
    plans = ListSerializer(child=IncidentPlanSerializer())


class IncidentForcesQuerySerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all(), required=False)
    quantity = serializers.DecimalField(required=False, **QUANTITY)
