from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    """Whose roster: the bureau's own duty room, a township's, or a key enterprise's (filed with the bureau:
    山东省突发事件应对条例 Art. 8 ¶4 requires 24-hour duty of both)."""

    BUREAU = "bureau", _("Bureau")
    TOWNSHIP = "township", _("Township")
    ENTERPRISE = "enterprise", _("Enterprise")


class RosterState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class AssignmentReason(models.TextChoices):
    """Why a person is on the roster that day: the ordinary shift, holiday reinforcement, or a season's
    standby list."""

    REGULAR = "regular", _("Regular shift")
    REINFORCED = "reinforced", _("Reinforced duty")
    SEASON = "season", _("Season standby")


class SeasonKind(models.TextChoices):
    FLOOD = "flood", _("Flood season")
    FOREST_FIRE = "forest_fire", _("Forest-fire season")
    MAJOR_EVENT = "major_event", _("Major event")


class SwapState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    AGREED = "agreed", _("Agreed by the colleague")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class LogKind(models.TextChoices):
    CALL_RECEIVED = "call_received", _("Call received")
    REPORT_RECEIVED = "report_received", _("Report received")
    REPORT_SENT = "report_sent", _("Report sent")
    INSTRUCTION = "instruction", _("Instruction")
    OTHER = "other", _("Other")


class ReportStage(models.TextChoices):
    """Information reports up and out (山东省突发事件应对条例 Art. 30): a first report, follow-ups until the end,
    then the final report."""

    FIRST = "first", _("First report")
    FOLLOW_UP = "follow_up", _("Follow-up report")
    FINAL = "final", _("Final report")


class EntryState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class HandoverState(models.TextChoices):
    PENDING = "pending", _("Waiting for the next shift")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
