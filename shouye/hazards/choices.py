from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HazardState(models.TextChoices):
    REPORTED = "reported", _("Reported")
    RECTIFYING = "rectifying", _("Rectifying")
    SUBMITTED = "submitted", _("Submitted for re-inspection")
    CLOSED = "closed", pgettext_lazy("hazard state", "Closed")


class HazardLevel(models.TextChoices):
    """安全生产事故隐患排查治理暂行规定 (16号令) Art. 3: 一般事故隐患 / 重大事故隐患."""

    ORDINARY = "ordinary", _("Ordinary hazard")
    MAJOR = "major", _("Major hazard")


class HazardSource(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    SELF_INSPECTION = "self_inspection", _("Enterprise self-inspection")
    EXPERT_INSPECTION = "expert_inspection", _("Expert inspection")
    TIP_OFF = "tip_off", _("Tip-off")
    ALARM = "alarm", _("Alarm")


class HazardCategory(models.TextChoices):
    """16号令 Art. 3: a hazard is an unsafe state of things, unsafe behaviour of people, or a management defect."""

    THINGS = "things", _("Unsafe state of things")
    BEHAVIOUR = "behaviour", _("Unsafe behaviour of people")
    MANAGEMENT = "management", _("Management defect")
    ENVIRONMENT = "environment", _("Environmental factor")


class PhotoKind(models.TextChoices):
    BEFORE = "before", _("Before rectification")
    AFTER = "after", _("After rectification")


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class TipOffState(models.TextChoices):
    NEW = "new", _("New")
    CHECKING = "checking", _("Sent to the township to check")
    ACCEPTED = "accepted", _("Turned into a hazard")
    DISMISSED = "dismissed", _("Dismissed")
