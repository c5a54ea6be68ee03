"""Choices of the incidents app (GLOSSARY: 突发事件/生产安全事故 = incident/accident, 直报/快报/续报/终报 = direct,
first, follow-up and final report, 现场指挥部/总指挥 = on-site command post/commander)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IncidentKind(models.TextChoices):
    ACCIDENT = "accident", _("Production safety accident")
    FOREST_FIRE = "forest_fire", _("Forest fire")
    FLOOD = "flood", _("Flood")
    OTHER = "other", _("Other emergency")


class AccidentKind(models.TextChoices):
    """The accident kinds 493号令 Art. 13 treats apart (7-day supplement window); others are "other"."""

    OTHER = "other", _("Other accident")
    ROAD_TRAFFIC = "road_traffic", _("Road traffic accident")
    FIRE = "fire", _("Fire accident")


class Grade(models.TextChoices):
    """493号令 Art. 3's grades: 一般/较大/重大/特别重大 ("Large" alone is an enterprise's size, 大型)."""

    ORDINARY = "ordinary", _("Ordinary")
    LARGE = "large", pgettext_lazy("incident grade", "Large")
    MAJOR = "major", _("Major")
    EXTRAORDINARY = "extraordinary", _("Extraordinary")


class IncidentSource(models.TextChoices):
    DUTY_PHONE = "duty_phone", _("Duty phone")
    REPORT = "report", _("Report from a unit")
    OTHER = "other", _("Other source")


class IncidentState(models.TextChoices):
    REPORTED = "reported", _("Reported")
    RESPONDING = "responding", _("Responding")
    CLOSED = "closed", _("Closed")


ACTIVE_STATES = (IncidentState.REPORTED, IncidentState.RESPONDING)


class ClockKind(models.TextChoices):
    ENTERPRISE_HEAD = "enterprise_head", _("Unit head reports to the county (1 h)")
    REPORT_COUNTY = "report_county", _("Report reaches the county")
    REPORT_CITY = "report_city", _("Report reaches the city")
    REPORT_PROVINCE = "report_province", _("Report reaches the province")
    REPORT_NATIONAL = "report_national", _("Report reaches the State Council")
    DIRECT_REPORT = "direct_report", _("Direct report to the province (30 min)")
    WRITTEN_REPORT = "written_report", _("Written report to the province (1 h)")
    SUPPLEMENT = "supplement", _("Casualty supplement window")
    INVESTIGATION = "investigation", _("Investigation report")


class ClockState(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")


class EntryKind(models.TextChoices):
    INTAKE = "intake", _("Intake")
    CALL = "call", _("Call")
    DECISION = "decision", _("Decision")
    REPORT = "report", _("Report sent")
    CASUALTY = "casualty", _("Situation update")
    COMMAND = "command", _("Command post")
    TASK = "task", _("Task")
    NOTE = "note", _("Note")
    CLOSE = "close", _("Closed")
    DISPATCH = "dispatch", _("Dispatch")
    RETURN = "return", _("Team returned")
    PLAN = "plan", _("Plan activated")
    PHOTO = "photo", _("Photos from the site")
    POSITION = "position", _("Position reported")
    EXTENSION = "extension", _("Investigation report extended")


#: Entries a person writes by hand on the timeline (the others come from their acts).
HAND_ENTRY_KINDS = (EntryKind.CALL, EntryKind.DECISION, EntryKind.TASK, EntryKind.NOTE)


class ReportKind(models.TextChoices):
    FIRST = "first", _("First report")
    FOLLOW_UP = "follow_up", _("Follow-up report")
    FINAL = "final", _("Final report")


class TaskState(models.TextChoices):
    """A task given to a township or department: assigned, acknowledged (签收), done (办结)."""

    ASSIGNED = "assigned", _("Assigned")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("incident task", "Acknowledged")
    DONE = "done", pgettext_lazy("incident task", "Done")
