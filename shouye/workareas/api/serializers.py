"""API shapes of work areas and the personnel ledger. Foreign keys go through the scoped fields: an enterprise or
work area the caller cannot see reads as one that does not exist."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from shouye.core.api import fields
from shouye.core.api.fields import ScopedPrimaryKeyRelatedField
from shouye.enterprises.models import Enterprise
from shouye.risks.models import PlanZone

from ..choices import CertificateFlag
from ..masking import certificate_number, worker_contact
from ..models import WorkArea, Worker, WorkerCertificate
from ..services import AREA_FIELDS, CERTIFICATE_FIELDS, WORKER_FIELDS


class WorkAreaSerializer(serializers.ModelSerializer):
    """作业场所评估 A work area's assessment; a high-risk one (高危作业场所) with its maximum, posts and measures."""

    enterprise = ScopedPrimaryKeyRelatedField(Enterprise, help_text=_("The enterprise's id (on create only)."))
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    people = serializers.IntegerField(read_only=True, help_text=_("People of the ledger who work there."))
    zone = ScopedPrimaryKeyRelatedField(
        PlanZone, required=False, allow_null=True,
        help_text=_("The id of its zone on the enterprise's floor plan (GET /api/v1/plan-zones/): a zone of a plan of "
                    "the same enterprise, for a high-risk work area only (an area assessed as not high-risk keeps "
                    "none); null to take it off the plan."))
    zone_name = serializers.CharField(source="zone.name", read_only=True, allow_null=True,
                                      help_text=_("The name of its zone on the plan."))
    zone_plan = serializers.IntegerField(source="zone.plan_id", read_only=True, allow_null=True,
                                         help_text=_("The id of the floor plan its zone is drawn on."))

    class Meta:
        model = WorkArea
        fields = ["id", "enterprise", "enterprise_name", *AREA_FIELDS, "zone_name", "zone_plan", "people",
                  "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        # The service runs the model validation and the uniqueness check inside its transaction.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["enterprise"].read_only = True


class CertificateSerializer(serializers.ModelSerializer):
    """证书 A certificate; expiry, next review and the application window are computed (30号令 Art. 19–22,
    44号令 Art. 25)."""

    state = serializers.SerializerMethodField(help_text=_("expired, review_overdue, due or valid"))

    class Meta:
        model = WorkerCertificate
        fields = [*CERTIFICATE_FIELDS, "expires_on", "next_review_due", "apply_from", "apply_by", "state"]
        read_only_fields = ["expires_on", "next_review_due", "apply_from", "apply_by"]

    def get_state(self, certificate) -> str:
        return CertificateFlag(certificate.flag(timezone.localdate())).value

    def to_representation(self, certificate):
        data = super().to_representation(certificate)
        data["number"] = certificate_number(certificate.number, self.context["request"].user)
        return data


class WorkerSerializer(serializers.ModelSerializer):
    """人员台账 A person of the personnel ledger; ID number and phone masked for those who do not need them."""

    enterprise = ScopedPrimaryKeyRelatedField(Enterprise, help_text=_("The enterprise's id (on create only)."))
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    work_areas = ScopedPrimaryKeyRelatedField(WorkArea, many=True, required=False, label=_("High-risk work areas"))
    certificates = fields.ListSerializer(child=CertificateSerializer(), required=False, label=_("Certificates"))

    class Meta:
        model = Worker
        fields = ["id", "enterprise", "enterprise_name", *WORKER_FIELDS, "work_areas", "certificates", "created_at",
                  "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"id_number": {"validators": []}, "phone": {"validators": []}}
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["enterprise"].read_only = True

    def to_representation(self, worker):
        data = super().to_representation(worker)
        data.update(worker_contact(worker, self.context["request"].user))
        return data
