"""Input and output shapes of the resources API (field validation only; the services decide)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shouye.core.api import fields
from shouye.core.api.fields import ChoiceLabelField, PrimaryKeyRelatedField, ScopedPrimaryKeyRelatedField
from shouye.enterprises.masking import sees_personal_data
from shouye.enterprises.models import Enterprise
from shouye.regions.models import Region
from shouye.rules.identifiers import mask_phone

from ..choices import MovementKind, Readiness, ReserveKind, ReserveState, TeamKind, WarehouseState
from ..models import (
    Item,
    Reserve,
    ReserveLine,
    RoadNetwork,
    StockBatch,
    StockLine,
    StockMovement,
    Team,
    TeamAgreement,
    TeamEquipment,
    TeamMember,
    Warehouse,
)
from ..nearest import MAX_LIMIT

PHONE = r"^[0-9+\- ]{5,20}$"
#: an optional phone: empty, or as PHONE
#: the most items one nearest-dispatch question may name
MAX_NEEDS = 20
OPTIONAL_PHONE = r"^([0-9+\- ]{5,20})?$"
#: the most items a new reserve may list at once (more on its page, one by one)
MAX_RESERVE_LINES = 50


def _masked(serializer, phone: str) -> str:
    request = serializer.context.get("request")
    return phone if sees_personal_data(getattr(request, "user", None)) else mask_phone(phone)


class TeamListSerializer(serializers.ModelSerializer):
    """一支救援队伍 One rescue team; ``short_of`` is the minimum members it falls short of (null: enough)."""

    kind_display = ChoiceLabelField(TeamKind.choices, source="kind")
    readiness_display = ChoiceLabelField(Readiness.choices, source="readiness")
    owner = serializers.CharField(source="owner_name", read_only=True)
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    short_of = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = ["id", "name", "kind", "kind_display", "owner", "enterprise", "township", "base_address",
                  "latitude", "longitude", "duty_phone", "readiness", "readiness_display", "incident",
                  "member_count", "short_of"]

    def get_short_of(self, team) -> int | None:
        minimum = self.context.get("minimums", {}).get(team.kind)
        return minimum if minimum is not None and team.member_count < minimum else None


class MemberSerializer(serializers.ModelSerializer):
    """A member; the phone masked for whoever does not see personal data."""

    phone = serializers.SerializerMethodField()

    class Meta:
        model = TeamMember
        fields = ["id", "name", "skills", "certificates", "phone"]

    def get_phone(self, member) -> str:
        return _masked(self, member.phone)


class EquipmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamEquipment
        fields = ["id", "name", "quantity", "note"]


class AgreementSerializer(serializers.ModelSerializer):
    enterprise = serializers.StringRelatedField()

    class Meta:
        model = TeamAgreement
        fields = ["id", "enterprise", "starts_on", "ends_on", "scope"]


class TeamDetailSerializer(TeamListSerializer):
    members = MemberSerializer(many=True, read_only=True)
    equipment = EquipmentSerializer(many=True, read_only=True)
    agreements = AgreementSerializer(many=True, read_only=True)

    class Meta(TeamListSerializer.Meta):
        fields = [*TeamListSerializer.Meta.fields, "members", "equipment", "agreements"]


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "name", "category", "unit", "shelf_life_months", "rotation_notice_days"]


class BatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockBatch
        fields = ["id", "quantity", "expires_on", "received_at"]


class StockLineSerializer(serializers.ModelSerializer):
    """一条库存 A stock line; ``expires_on`` is the nearest expiry of its ``batches`` (earliest-expiring first)."""

    item_name = serializers.CharField(source="item.name", read_only=True)
    unit = serializers.CharField(source="item.unit", read_only=True)
    below_minimum = serializers.BooleanField(read_only=True)
    batches = BatchSerializer(many=True, read_only=True)

    class Meta:
        model = StockLine
        fields = ["id", "item", "item_name", "unit", "quantity", "minimum", "expires_on", "below_minimum", "batches"]


class MovementSerializer(serializers.ModelSerializer):
    kind_display = ChoiceLabelField(MovementKind.choices, source="kind")
    item = serializers.StringRelatedField()
    actor = serializers.StringRelatedField()

    class Meta:
        model = StockMovement
        fields = ["id", "kind", "kind_display", "item", "quantity", "other_warehouse", "note", "incident", "actor",
                  "at"]


class WarehouseListSerializer(serializers.ModelSerializer):
    """一个应急仓库 One warehouse; ``below_minimum``: its lines under their minimum stock."""

    owner = serializers.CharField(source="owner_name", read_only=True)
    state_display = ChoiceLabelField(WarehouseState.choices, source="state")
    keeper_phone = serializers.SerializerMethodField()
    below_minimum = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Warehouse
        fields = ["id", "name", "owner", "enterprise", "address", "latitude", "longitude", "keeper_name",
                  "keeper_phone", "state", "state_display", "below_minimum"]

    def get_keeper_phone(self, warehouse) -> str:
        return _masked(self, warehouse.keeper_phone)


class WarehouseDetailSerializer(WarehouseListSerializer):
    stock = StockLineSerializer(many=True, read_only=True)

    class Meta(WarehouseListSerializer.Meta):
        fields = [*WarehouseListSerializer.Meta.fields, "stock"]


# --- input ------------------------------------------------------------------------------------------------------


class _OwnerInput(serializers.Serializer):
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    township = fields.SlugRelatedField(slug_field="code", queryset=Region.objects.filter(level="township"),
                                       required=False, allow_null=True, default=None)
    enterprise = ScopedPrimaryKeyRelatedField(Enterprise, required=False, allow_null=True, default=None)


class TeamCreateSerializer(_OwnerInput):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=TeamKind.choices)
    duty_phone = serializers.RegexField(PHONE, max_length=20)
    base_address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class WarehouseCreateSerializer(_OwnerInput):
    name = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    keeper_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    keeper_phone = serializers.RegexField(OPTIONAL_PHONE, max_length=20, required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200)


class OptionalNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DispatchTeamSerializer(NoteSerializer):
    incident = serializers.CharField(max_length=64, required=False, allow_blank=True, default="",
                                     help_text=_("The incident's reference, if any"))


class MemberInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    skills = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    certificates = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    phone = serializers.RegexField(OPTIONAL_PHONE, max_length=20, required=False, allow_blank=True, default="")


class RemoveMemberSerializer(serializers.Serializer):
    member = serializers.IntegerField(min_value=1, max_value=2**31 - 1)

    def validate_member(self, value):
        member = self.context["obj"].members.filter(pk=value).first()
        if member is None:
            raise serializers.ValidationError(_("This person is not a member of this team."))
        return member


class EquipmentInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AgreementInputSerializer(serializers.Serializer):
    enterprise = ScopedPrimaryKeyRelatedField(Enterprise, required=False, allow_null=True, default=None)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    scope = serializers.CharField(max_length=300)


class _ItemInput(serializers.Serializer):
    item = PrimaryKeyRelatedField(queryset=Item.objects.all())
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    note = serializers.CharField(max_length=200)


class StockInSerializer(_ItemInput):
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class StockOutSerializer(_ItemInput):
    pass


class DispatchItemsSerializer(_ItemInput):
    incident = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class TransferSerializer(_ItemInput):
    to_warehouse = ScopedPrimaryKeyRelatedField(Warehouse)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SetMinimumSerializer(serializers.Serializer):
    item = PrimaryKeyRelatedField(queryset=Item.objects.all())
    minimum = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)


class ReserveLineSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)
    unit = serializers.CharField(source="item.unit", read_only=True)

    class Meta:
        model = ReserveLine
        fields = ["item", "item_name", "unit", "quantity"]


class ReserveListSerializer(serializers.ModelSerializer):
    """一项协议储备或产能储备 An agreement reserve (quantities held) or a capacity reserve (quantities per day);
    ``in_force``: it counts today. The contact phone masked for whoever does not see personal data."""

    kind_display = ChoiceLabelField(ReserveKind.choices, source="kind")
    state_display = ChoiceLabelField(ReserveState.choices, source="state")
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    contact_phone = serializers.SerializerMethodField()
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = Reserve
        fields = ["id", "kind", "kind_display", "township", "supplier", "contact_name", "contact_phone", "address", "latitude",
                  "longitude", "response_hours", "starts_on", "ends_on", "state", "state_display", "in_force", "note"]

    def get_contact_phone(self, reserve) -> str:
        return _masked(self, reserve.contact_phone)

    def get_in_force(self, reserve) -> bool:
        return reserve.in_force(self.context["today"])


class ReserveDetailSerializer(ReserveListSerializer):
    lines = ReserveLineSerializer(many=True, read_only=True)

    class Meta(ReserveListSerializer.Meta):
        fields = [*ReserveListSerializer.Meta.fields, "lines"]


class ReserveLineInputSerializer(serializers.Serializer):
    item = PrimaryKeyRelatedField(queryset=Item.objects.all())
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))


class ReserveCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReserveKind.choices)
    township = fields.SlugRelatedField(slug_field="code", queryset=Region.objects.filter(level="township"),
                                       required=False, allow_null=True, default=None,
                                       help_text=_("Empty for the district's own reserve"))
    supplier = serializers.CharField(max_length=100)
    contact_name = serializers.CharField(max_length=50)
    contact_phone = serializers.RegexField(PHONE, max_length=20)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    response_hours = serializers.IntegerField(min_value=1, max_value=720)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    lines = fields.ListSerializer(child=ReserveLineInputSerializer(), max_length=MAX_RESERVE_LINES, min_length=1)


class SetReserveItemSerializer(serializers.Serializer):
    item = PrimaryKeyRelatedField(queryset=Item.objects.all())
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0,
                                        help_text=_("Held, or per day for a capacity reserve; 0 takes the item off"))


class ReserveSummarySerializer(serializers.Serializer):
    """实物 / 协议 / 产能 Per item: physical stock, agreement reserves, capacity reserves per day (in force)."""

    item = serializers.IntegerField(source="item.pk")
    item_name = serializers.CharField(source="item.name")
    unit = serializers.CharField(source="item.unit")
    physical = serializers.DecimalField(max_digits=14, decimal_places=2)
    agreement = serializers.DecimalField(max_digits=14, decimal_places=2)
    capacity = serializers.DecimalField(max_digits=14, decimal_places=2)


class NearestQuerySerializer(serializers.Serializer):
    """The point, the kinds of team wanted and the items needed as ``item id:quantity``."""

    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)
    kinds = fields.ListField(child=serializers.ChoiceField(choices=TeamKind.choices), required=False, default=list,
                             max_length=len(TeamKind.choices))
    items = fields.ListField(child=serializers.RegexField(r"^\d{1,9}:\d{1,10}(\.\d{1,2})?$"), required=False,
                             default=list, max_length=MAX_NEEDS,
                             help_text=_("Items needed, each as “item id:quantity”, e.g. 3:50"))
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=10)

    def validate_items(self, value):
        needs = {}
        for entry in value:
            item_id, quantity = entry.split(":")
            needs[int(item_id)] = serializers.DecimalField(max_digits=12, decimal_places=2).to_internal_value(quantity)
        known = set(Item.objects.filter(pk__in=sorted(needs)).values_list("pk", flat=True))
        unknown = sorted(set(needs) - known)
        if unknown:
            raise serializers.ValidationError(_("No such item in the catalogue: %(ids)s")
                                              % {"ids": ", ".join(map(str, unknown))})
        return needs


class NearestTeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    owner = serializers.CharField()
    duty_phone = serializers.CharField()
    members = serializers.IntegerField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    distance_km = serializers.FloatField(help_text=_("straight-line distance"))
    travel_km = serializers.FloatField(allow_null=True, help_text=_("travel distance through the road network: "
                                                                    "null without one, or when not connected"))


class NearestNeedSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    needed = serializers.DecimalField(max_digits=12, decimal_places=2)
    available = serializers.DecimalField(max_digits=12, decimal_places=2)


class NearestWarehouseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    owner = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    distance_km = serializers.FloatField(help_text=_("straight-line distance"))
    travel_km = serializers.FloatField(allow_null=True, help_text=_("travel distance through the road network: "
                                                                    "null without one, or when not connected"))
    items = fields.ListSerializer(child=NearestNeedSerializer(), max_length=MAX_NEEDS)
    covers_all = serializers.BooleanField()


class NearestSourceSerializer(NearestWarehouseSerializer):
    """A warehouse or an agreement supplier in the one ranking by distance."""

    agreement = serializers.BooleanField()
    response_hours = serializers.IntegerField(allow_null=True)


class NearestSupplierSerializer(NearestWarehouseSerializer):
    """An agreement supplier holding the items, with the hours it needs to deliver."""

    response_hours = serializers.IntegerField()


class NearestSerializer(serializers.Serializer):
    """最近资源 The nearest ready teams, the warehouses and the agreement suppliers holding the items, the
    latter two ranked together in ``sources`` (``agreement`` true for a supplier); ``ranked_by`` is ``road``
    (by travel distance, those the network does not connect last) when a road network is active, else
    ``straight_line``."""

    ranked_by = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    teams = fields.ListSerializer(child=NearestTeamSerializer(), max_length=MAX_LIMIT)
    warehouses = fields.ListSerializer(child=NearestWarehouseSerializer(), max_length=MAX_LIMIT)
    suppliers = fields.ListSerializer(child=NearestSupplierSerializer(), max_length=MAX_LIMIT)
    sources = fields.ListSerializer(child=NearestSourceSerializer(), max_length=2 * MAX_LIMIT)


class RoadNetworkSerializer(serializers.ModelSerializer):
    """路网 A road network of nearest dispatch: its size, how connected it is, who uploaded it and whether it is
    the one in use."""

    uploaded_by = serializers.CharField(source="uploaded_by.username", default=None, allow_null=True,
                                        read_only=True)

    class Meta:
        model = RoadNetwork
        fields = ["id", "name", "node_count", "edge_count", "length_km", "component_count",
                  "largest_component_share", "active", "uploaded_by", "uploaded_at"]
        read_only_fields = fields


class RoadNetworkUploadSerializer(serializers.Serializer):
    """Upload roads as GeoJSON (multipart): they become the active network."""

    name = serializers.CharField(max_length=100)
    file = serializers.FileField(help_text=_("a GeoJSON FeatureCollection of LineString / MultiLineString "
                                             "features, WGS-84 [longitude, latitude]"))
