from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shouye.core.api import fields
from shouye.core.api.fields import SlugRelatedField
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region
from shouye.regions.scoping import scope_for

from ..masking import person_contact
from ..models import Enterprise, EnterprisePerson, Industry, Licence, SupervisionGrade, Tag
from ..services import LICENCE_FIELDS, PERSON_FIELDS


class ScopedSlugField(SlugRelatedField):
    """A choice by code, limited to what the requesting user may place an enterprise in."""

    def __init__(self, *, scope_attr: str, **kwargs):
        self.scope_attr = scope_attr
        kwargs.setdefault("error_messages", {
            "does_not_exist": _("{value} is unknown or outside your jurisdiction."),
        })
        super().__init__(**kwargs)

    def get_queryset(self):
        qs = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return qs
        scope = scope_for(request.user)
        if scope.everything or scope.enterprise_ids:
            return qs
        ids = getattr(scope, self.scope_attr)
        return qs.filter(pk__in=ids) if ids else qs


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnterprisePerson
        fields = PERSON_FIELDS
        extra_kwargs = {"phone": {"validators": []}, "id_number": {"validators": []}}

    def to_representation(self, person):
        data = super().to_representation(person)
        data.update(person_contact(person, self.context["request"].user))
        return data


class LicenceSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()

    class Meta:
        model = Licence
        fields = [*LICENCE_FIELDS, "state"]

    def get_state(self, licence) -> str:
        return licence.state()


class EnterpriseListSerializer(serializers.ModelSerializer):
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    industry = serializers.SlugRelatedField(slug_field="code", read_only=True)
    industry_name = serializers.CharField(source="industry.name", read_only=True)
    supervision_grade = serializers.SlugRelatedField(slug_field="code", read_only=True)
    tags = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Enterprise
        fields = ["id", "name", "credit_code", "township", "township_name", "industry", "industry_name",
                  "supervision_grade", "status", "scale", "employees", "tags", "longitude", "latitude"]


class EnterpriseSerializer(serializers.ModelSerializer):
    """企业（生产经营单位）Enterprise. Township, industry, grade and tags are given by code."""

    township = ScopedSlugField(
        slug_field="code", scope_attr="region_ids", help_text=_("Township code, e.g. 370113107"),
        queryset=Region.objects.filter(level=RegionLevel.TOWNSHIP),
    )
    industry = ScopedSlugField(slug_field="code", scope_attr="industry_ids", queryset=Industry.objects.all(),
                               help_text=_("Industry code"))
    supervision_grade = SlugRelatedField(slug_field="code", queryset=SupervisionGrade.objects.all(),
                                                     help_text=_("Supervision grade A-D"))
    tags = SlugRelatedField(slug_field="code", many=True, queryset=Tag.objects.all(), required=False,
                            label=_("Tags"))
    people = fields.ListSerializer(child=PersonSerializer(), required=False, label=_("Key people"))
    licences = fields.ListSerializer(child=LicenceSerializer(), required=False, label=_("Licences"))
    township_name = serializers.CharField(source="township.name", read_only=True)
    industry_name = serializers.CharField(source="industry.name", read_only=True)

    class Meta:
        model = Enterprise
        fields = ["id", "name", "credit_code", "legal_representative", "address", "longitude", "latitude",
                  "township", "township_name", "industry", "industry_name", "scale", "employees", "status",
                  "supervision_grade", "tags", "people", "licences", "source", "created_at", "updated_at"]
        read_only_fields = ["source", "created_at", "updated_at"]
        # Uniqueness and model validation run in the service, in the same transaction as the write.
        extra_kwargs = {"credit_code": {"validators": []}}
