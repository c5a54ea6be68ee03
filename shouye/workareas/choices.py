from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateKind(models.TextChoices):
    """The two certificates a worker of a high-risk work area may hold (REGULATIONS-2 §F.3, §F.4)."""

    SPECIAL_OPERATION = "special_operation", _("Special-operation certificate")
    SAFETY_QUALIFICATION = "safety_qualification", _("Safety qualification certificate")


class CertificateFlag(models.TextChoices):
    """What a certificate needs now, the most urgent first (see ``certificates.flag``)."""

    EXPIRED = "expired", _("Expired")
    REVIEW_OVERDUE = "review_overdue", _("Review overdue")
    DUE = "due", _("In its application window")
    VALID = "valid", _("Valid")
