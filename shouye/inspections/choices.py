from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    ROUTINE = "routine", _("Routine inspection")
    CAMPAIGN = "campaign", _("Special campaign inspection")
    ENFORCEMENT = "enforcement", _("Enforcement inspection")
    EXPERT = "expert", _("Expert inspection")
    JOINT = "joint", _("Joint inspection")
    REINSPECTION = "reinspection", _("Re-inspection")


class InspectionState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")


class ItemResult(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    COMPLIANT = "compliant", _("Compliant")
    NON_COMPLIANT = "non_compliant", _("Non-compliant")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class DocumentKind(models.TextChoices):
    """The enforcement documents (安全生产行政执法文书) an inspection produces."""

    INSPECTION_RECORD = "inspection_record", _("Inspection record")
    RECTIFICATION_ORDER = "rectification_order", _("Rectification order")
    REINSPECTION_OPINION = "reinspection_opinion", _("Re-inspection opinion")
