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


class InvestigationType(models.TextChoices):
    """The ten hazard sources (隐患来源, dangerSrc 1–10) of the national hazardous-chemical dual-prevention data
    interface (REGULATIONS-2 §A.5, §A.6), in its order: the kind of investigation that found a hazard. The
    national code of each is its position, 1–10 (:data:`INVESTIGATION_TYPE_CODES`)."""

    ROUTINE = "routine", _("Routine investigation")
    COMPREHENSIVE = "comprehensive", _("Comprehensive investigation")
    PROFESSIONAL = "professional", _("Professional investigation")
    SEASONAL = "seasonal", _("Seasonal investigation")
    HOLIDAY = "holiday", _("Investigation before key periods and holidays")
    ACCIDENT_ANALOGY = "accident_analogy", _("Investigation by analogy with an accident")
    RESUMPTION = "resumption", _("Investigation before resuming production")
    EXPERT_DIAGNOSIS = "expert_diagnosis", _("Diagnostic investigation by outside experts")
    MEASURE_FAILED = "measure_failed", _("Control measure failed")
    OTHER = "other", _("Other")


INVESTIGATION_TYPE_CODES = {value: str(number) for number, value in enumerate(InvestigationType.values, start=1)}
