from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Membership, User


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class MembershipSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", default=None, read_only=True)
    organisation = serializers.CharField(source="organisation.name", default=None, read_only=True)
    enterprise_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Membership
        fields = ["role", "region_code", "organisation", "enterprise_id"]


class MeSerializer(serializers.ModelSerializer):
    memberships = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "memberships", "permissions"]

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, user):
        active = user.memberships.filter(active=True).select_related("region", "organisation")
        return MembershipSerializer(active, many=True).data

    def get_permissions(self, user) -> list[str]:
        return sorted(user.get_all_permissions())
