from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarSource(models.TextChoices):
    """Where a year's arrangement came from: the chinese_calendar package, or typed in from the notice."""

    CHINESE_CALENDAR = "chinese_calendar", _("chinese_calendar package")
    MANUAL = "manual", _("Entered from the official notice")


class SpecialPeriodKind(models.TextChoices):
    """What the bureau declares a special period for (REGULATIONS-2 §C.4: 节假日、两会、重大活动)."""

    HOLIDAY = "holiday", _("Festival or public holiday")
    MEETING = "meeting", _("Major meeting (e.g. the Two Sessions)")
    MAJOR_EVENT = "major_event", _("Major event")
    SEASON = "season", _("High-risk season")
    OTHER = "other", _("Other")


class PermitKind(models.TextChoices):
    """The eight special operations of GB 30871-2022 (the keys of ``shouye.rules.data.gb30871.PERMIT_KINDS``).

    Defined in the lowest app that needs them — a special period's rules name the kinds they apply to — and
    used from here by the permits app, so that there is one ``PermitKind``."""

    HOT_WORK = "hot_work", _("Hot work")
    CONFINED_SPACE = "confined_space", _("Confined space entry")
    LINE_BLINDING = "line_blinding", _("Line blinding")
    WORK_AT_HEIGHT = "work_at_height", _("Work at height")
    LIFTING = "lifting", _("Lifting")
    TEMPORARY_POWER = "temporary_power", _("Temporary power")
    EXCAVATION = "excavation", _("Excavation")
    ROAD_CLOSURE = "road_closure", _("Road closure")


class PeriodRuleAction(models.TextChoices):
    """What a special period does to a kind of special operation (REGULATIONS-2 §C.4 [U]: no national or
    Shandong rule was found, so the bureau sets them per period): raise the grade by one, prohibit it, or
    require filing (报备) with the bureau a number of hours before the work starts."""

    RAISE_GRADE = "raise_grade", _("Raise the grade by one")
    PROHIBIT = "prohibit", _("Prohibit")
    REQUIRE_FILING = "require_filing", _("Require filing beforehand")
