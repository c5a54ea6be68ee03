"""Input and output shapes of the installations API (field validation only; the services decide)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shouye.core.api import fields
from shouye.core.api.fields import ChoiceLabelField, ScopedPrimaryKeyRelatedField
from shouye.enterprises.masking import sees_personal_data
from shouye.enterprises.models import Enterprise
from shouye.risks.services.tasks import enterprise_people
from shouye.rules.identifiers import mask_phone
from shouye.rules.major_hazard import MAX_SUBSTANCES

from ..choices import InstallationKind, InstallationState, PersonRole
from ..models import DutyTask, InstallationSubstance, MajorHazardInstallation, ResponsiblePerson


class InstallationListSerializer(serializers.ModelSerializer):
    """一个重大危险源 One installation with its identification."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    industry = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_display = ChoiceLabelField(InstallationKind.choices, source="kind")
    state_display = ChoiceLabelField(InstallationState.choices, source="state")
    grade_name = serializers.CharField(read_only=True)

    class Meta:
        model = MajorHazardInstallation
        fields = ["id", "enterprise", "enterprise_name", "township", "township_name", "industry", "name", "kind",
                  "kind_display", "location", "longitude", "latitude", "state", "state_display", "filing_number",
                  "filed_on", "last_assessed_on", "next_assessment_due", "exposed_population", "ratio_sum",
                  "is_major", "alpha", "r_value", "grade", "grade_name", "computed_at"]


class SubstanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = InstallationSubstance
        fields = ["id", "name", "category", "quantity_t", "critical_quantity_t", "beta"]


class ResponsiblePersonSerializer(serializers.ModelSerializer):
    """A responsible person; the phone masked for whoever does not see personal data."""

    role_display = ChoiceLabelField(PersonRole.choices, source="role")
    phone = serializers.SerializerMethodField()
    user = serializers.StringRelatedField()

    class Meta:
        model = ResponsiblePerson
        fields = ["id", "role", "role_display", "name", "post", "phone", "appointed_on", "ended_on", "user"]

    def get_phone(self, person) -> str:
        request = self.context.get("request")
        return person.phone if sees_personal_data(getattr(request, "user", None)) else mask_phone(person.phone)


class InstallationDetailSerializer(InstallationListSerializer):
    inputs = serializers.SerializerMethodField(help_text=_("The exact inputs the stored identification was "
                                                           "computed from"))
    substances = SubstanceSerializer(many=True, read_only=True)
    persons = ResponsiblePersonSerializer(many=True, read_only=True)

    class Meta(InstallationListSerializer.Meta):
        fields = [*InstallationListSerializer.Meta.fields, "cancelled_reason", "basis", "inputs", "substances",
                  "persons"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_inputs(self, installation) -> dict:
        return installation.inputs


class DutyTaskSerializer(serializers.ModelSerializer):
    """一项包保责任人排查任务 A responsible person's duty as an investigation task, with its last done, next due
    (the end of the earliest open instance), missed and overdue counts."""

    person = serializers.StringRelatedField()
    role = serializers.CharField(source="person.role", read_only=True)
    number = serializers.IntegerField(source="item.number", read_only=True)
    duty = serializers.CharField(source="task.title", read_only=True)
    frequency_days = serializers.IntegerField(source="task.cycle", read_only=True)
    before_key_periods = serializers.BooleanField(source="task.before_key_periods", read_only=True)
    last_done = serializers.DateTimeField(read_only=True, allow_null=True)
    next_due = serializers.DateTimeField(read_only=True, allow_null=True)
    open_instance = serializers.IntegerField(read_only=True, allow_null=True,
                                             help_text=_("The instance to do now, if any"))
    missed = serializers.IntegerField(read_only=True)
    overdue = serializers.IntegerField(read_only=True)

    class Meta:
        model = DutyTask
        fields = ["id", "task", "person", "role", "number", "duty", "frequency_days", "before_key_periods",
                  "last_done", "next_due", "open_instance", "missed", "overdue"]


# --- input ------------------------------------------------------------------------------------------------------


class SubstanceInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                 label=_("Substance"))
    category = serializers.CharField(max_length=8, required=False, allow_blank=True, default="",
                                     label=_("Table 2 category"))
    quantity_t = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=0,
                                          label=_("Design maximum quantity q (t)"))


class _DescriptionSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=InstallationKind.choices)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-180, max_value=180,
                                         required=False, allow_null=True, default=None)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90,
                                        required=False, allow_null=True, default=None)
    exposed_population = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False,
                                                  allow_null=True, default=None)
    last_assessed_on = serializers.DateField(required=False, allow_null=True, default=None)
    next_assessment_due = serializers.DateField(required=False, allow_null=True, default=None)


class CreateSerializer(_DescriptionSerializer):
    enterprise = ScopedPrimaryKeyRelatedField(Enterprise)
    substances = fields.ListSerializer(child=SubstanceInputSerializer(), required=False, default=list,
                                       max_length=MAX_SUBSTANCES)


class EditSerializer(_DescriptionSerializer):
    """Every field replaces the stored one (an omitted optional field is emptied)."""


class FileSerializer(serializers.Serializer):
    filing_number = serializers.CharField(max_length=50)
    filed_on = serializers.DateField()


class CancelInstallationSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class RemoveSubstanceSerializer(serializers.Serializer):
    substance = serializers.IntegerField(min_value=1, max_value=2**31 - 1)

    def validate_substance(self, value):
        line = self.context["obj"].substances.filter(pk=value).first()
        if line is None:
            raise serializers.ValidationError(_("This substance is not in this installation's inventory."))
        return line


class AppointSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PersonRole.choices)
    name = serializers.CharField(max_length=50)
    post = serializers.CharField(max_length=100)
    phone = serializers.RegexField(r"^[0-9+\- ]{5,20}$", max_length=20)
    appointed_on = serializers.DateField()
    user = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, allow_null=True, default=None,
                                    label=_("User account"),
                                    help_text=_("An active user account of the installation's enterprise: the "
                                                "person's duties are assigned to it"))

    def validate_user(self, value):
        """The account among the enterprise's own; any other id is refused alike (no probing of accounts)."""
        if value is None:
            return None
        account = enterprise_people(self.context["obj"].enterprise_id).filter(pk=value).first()
        if account is None:
            raise serializers.ValidationError(_("The user account must be one of this enterprise's."))
        return account
