from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarSource(models.TextChoices):
    """Where a year's arrangement came from: the chinese_calendar package, or typed in from the notice."""

    CHINESE_CALENDAR = "chinese_calendar", _("chinese_calendar package")
    MANUAL = "manual", _("Entered from the official notice")
