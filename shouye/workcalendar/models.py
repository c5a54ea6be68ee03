"""The work calendar as data (REGULATIONS.md §8): the official arrangement of days off and make-up working
days (调休) cannot be derived, so each year is stored once it is announced, and only the days that differ
from the ordinary Monday–Friday week are kept (as ``shouye.rules.workdays.WorkCalendar`` expects)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import CalendarSource


class WorkCalendarYear(models.Model):
    """A year whose arrangement is known. A date in a year that is not here is never guessed."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=20, choices=CalendarSource.choices)
    announced_on = models.DateField(_("announced on"), null=True, blank=True,
                                    help_text=_("Date of the General Office of the State Council's notice."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("work calendar year")
        verbose_name_plural = _("work calendar years")

    def __str__(self):
        return str(self.year)


class WorkCalendarDay(models.Model):
    """A date that differs from the ordinary week: a weekday off (休) or a weekend make-up working day (班)."""

    calendar_year = models.ForeignKey(WorkCalendarYear, verbose_name=_("year"), on_delete=models.CASCADE,
                                      related_name="days")
    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("work calendar day")
        verbose_name_plural = _("work calendar days")

    def __str__(self):
        kind = gettext("make-up working day") if self.is_workday else gettext("day off")
        return f"{self.date.isoformat()} {kind}"
