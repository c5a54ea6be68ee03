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
    DELIVERY_RECEIPT = "delivery_receipt", _("Delivery receipt")


class DeliveryMethod(models.TextChoices):
    """How a document is served (送达方式), as the delivery receipt (送达回证) records it: 民事诉讼法 Art. 87–95,
    applied to administrative documents by 行政处罚法 (2021) Art. 61."""

    IN_PERSON = "in_person", _("Handed over in person")
    LEFT_AT_PREMISES = "left", _("Left at the premises")
    BY_POST = "post", _("By post")
    ENTRUSTED = "entrusted", _("Through another authority")
    ELECTRONIC = "electronic", _("Electronically")


class SignerRole(models.TextChoices):
    """Who signed a document on screen: one of its inspectors (the officer who serves it, for a delivery
    receipt), or the enterprise's person who receives it."""

    INSPECTOR = "inspector", _("Inspector")
    RECIPIENT = "recipient", _("Recipient")
