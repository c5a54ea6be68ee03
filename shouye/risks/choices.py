"""Choices of dual prevention (双重预防): grades, methods, measure categories, task cycles and states.

Codes of the national hazardous-chemical dual-prevention data interface (REGULATIONS-2 §A.6) are kept beside
the values that carry them (``MeasureCategory``, ``MeasureSubcategory``, ``WorkDayType``, ``TaskWorkType``),
so the data exchange maps each value to its code without a second table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RiskLevel(models.TextChoices):
    """重大/较大/一般/低风险 in red/orange/yellow/blue (REGULATIONS.md §3.3), most dangerous first."""

    MAJOR = "major", _("Major risk")
    HIGH = "high", _("High risk")
    MODERATE = "moderate", _("Moderate risk")
    LOW = "low", _("Low risk")


#: The colour of each grade (REGULATIONS.md §3.3) and the national interface's risk level code (§A.6).
RISK_LEVEL_COLOURS = {"major": "red", "high": "orange", "moderate": "yellow", "low": "blue"}
RISK_LEVEL_CODES = {"major": "0", "high": "1", "moderate": "2", "low": "3"}


class ControlLevel(models.TextChoices):
    """Who controls a risk (管控层级, REGULATIONS-2 §A.4): the higher the risk, the higher the level."""

    PRINCIPAL = "principal", _("Company level: principal")
    DEPUTY = "deputy", _("Company level: deputy in charge")
    WORKSHOP = "workshop", _("Workshop or department level")
    POST = "post", _("Team or post level")


class RiskPointKind(models.TextChoices):
    """风险点: a facility, part, place or area, or an operation/activity (REGULATIONS-2 §A.3)."""

    FACILITY = "facility", _("Facility, part, place or area")
    ACTIVITY = "activity", _("Operation or activity")


class IdentificationMethod(models.TextChoices):
    """危险源辨识: JHA for the steps of an activity, SCL for the items of equipment (§A.3, common practice)."""

    JHA = "jha", _("Job hazard analysis (JHA)")
    SCL = "scl", _("Safety checklist (SCL)")


class FactorCategory(models.TextChoices):
    """The four aspects of a hazard source: people, things, environment, management (§A.3)."""

    PEOPLE = "people", _("Unsafe behaviour of people")
    THINGS = "things", _("Unsafe state of things")
    ENVIRONMENT = "environment", _("Unsafe environment")
    MANAGEMENT = "management", _("Management defect")


class AssessmentMethod(models.TextChoices):
    LEC = "lec", _("LEC")
    MATRIX = "matrix", _("Risk matrix (LS)")
    MES = "mes", _("MES")


class MeasureCategory(models.TextChoices):
    """管控措施 classify1 of the national interface (§A.6); the value is the national code."""

    ENGINEERING = "1", _("Engineering and technology")
    MAINTENANCE = "2", _("Maintenance")
    OPERATION = "3", _("Operating behaviour")
    EMERGENCY = "4", _("Emergency measures")


class MeasureSubcategory(models.TextChoices):
    """管控措施 classify2 of the national interface (§A.6); the value is the national code, whose first digit
    is its category's."""

    PROCESS_CONTROL = "1-1", _("Process control")
    KEY_EQUIPMENT = "1-2", _("Key equipment and parts")
    SAFETY_ACCESSORIES = "1-3", _("Safety accessories")
    SAFETY_INSTRUMENTS = "1-4", _("Safety instrumented systems")
    ENGINEERING_OTHER = "1-5", _("Other engineering measures")
    ROTATING_EQUIPMENT = "2-1", _("Rotating equipment")
    STATIC_EQUIPMENT = "2-2", _("Static equipment")
    MAINTENANCE_OTHER = "2-3", _("Other maintenance")
    QUALIFICATION = "3-1", _("Personnel qualification")
    OPERATING_RECORDS = "3-2", _("Operating records")
    SHIFT_HANDOVER = "3-3", _("Shift handover")
    OPERATION_OTHER = "3-4", _("Other operating measures")
    EMERGENCY_FACILITIES = "4-1", _("Emergency facilities")
    PERSONAL_PROTECTION = "4-2", _("Personal protection")
    FIRE_FACILITIES = "4-3", _("Fire-fighting facilities")
    EMERGENCY_PLAN = "4-4", _("Emergency plan")
    EMERGENCY_OTHER = "4-5", _("Other emergency measures")


class MeasureDataSource(models.TextChoices):
    """管控措施 dataSrc (§A.6): checked by automated monitoring or by hazard investigation."""

    MONITORING = "1", _("Automated monitoring")
    INVESTIGATION = "2", _("Hazard investigation")


class CycleUnit(models.TextChoices):
    """checkCycleUnit (§A.6): 小时/天/月/年."""

    HOUR = "hour", _("hours")
    DAY = "day", _("days")
    MONTH = "month", _("months")
    YEAR = "year", _("years")


class WorkDayType(models.TextChoices):
    """workDayType (§A.6): 0 every day, 1 statutory working days, 2 non-working days (the work calendar)."""

    EVERY_DAY = "0", _("Every day")
    WORKING_DAYS = "1", _("Working days")
    NON_WORKING_DAYS = "2", _("Non-working days")


class TaskWorkType(models.TextChoices):
    """workType (§A.6): a routine task, or a task of a major hazard installation's responsible person."""

    ROUTINE = "0", _("Routine task")
    PRINCIPAL = "1", _("Principal responsible person's task")
    TECHNICAL = "2", _("Technical responsible person's task")
    OPERATIONAL = "3", _("Operational responsible person's task")


class InstanceState(models.TextChoices):
    DUE = "due", _("Due")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")


class CheckOutcome(models.TextChoices):
    OK = "ok", _("OK")
    NOT_OK = "not_ok", _("Not OK")


class RegisterState(models.TextChoices):
    """The enterprise's risk control list: a draft being worked on, or published to the workforce."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
