from rest_framework import serializers

from ..models import Region


class RegionSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "parent_code"]
