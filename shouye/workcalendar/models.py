"""The work calendar as data (REGULATIONS.md §8): the official arrangement of days off and make-up working
days (调休) cannot be derived, so each year is stored once it is announced, and only the days that differ
from the ordinary Monday–Friday week are kept (as ``shouye.rules.workdays.WorkCalendar`` expects)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import CalendarSource, PeriodRuleAction, PermitKind, SpecialPeriodKind

#: The longest filing lead time a rule may ask for: a week.
MAX_FILING_HOURS = 168


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


class SpecialPeriod(models.Model):
    """特殊时期: a period the bureau declares — Spring Festival, 两会, a major event (REGULATIONS-2 §C.4) —
    from ``starts_on`` to ``ends_on`` inclusive, for the whole district or for some townships and/or
    industries. Its rules say what happens to special operations during it; the responsible persons of major
    hazard installations owe an investigation before it (应急厅〔2021〕12号 Art. 5(5): 重大活动、重点时段).

    A declaration is a public notice: every signed-in user may read it; its scope decides whom it applies to
    (:meth:`applies_to`), not who may see it. Cancelled periods are kept, marked, never deleted."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=SpecialPeriodKind.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    townships = models.ManyToManyField("regions.Region", verbose_name=_("townships"), blank=True,
                                       related_name="+", help_text=_("Empty: every township."))
    industries = models.ManyToManyField("enterprises.Industry", verbose_name=_("industries"), blank=True,
                                        related_name="+", help_text=_("Empty: every industry."))
    notice = models.TextField(_("what the bureau requires"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("declared by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("declared at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("special period")
        verbose_name_plural = _("special periods")
        permissions = [("manage_specialperiod", _("Can declare special periods"))]
        indexes = [models.Index(fields=["starts_on", "ends_on"])]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="special_period_ends_after_start")]

    def __str__(self):
        return f"{self.name} ({self.starts_on.isoformat()}–{self.ends_on.isoformat()})"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def applies_to(self, *, township_id: int | None, industry_id: int | None) -> bool:
        """Whether the period covers an enterprise in that township and industry: each of the two lists, when
        not empty, must contain the enterprise's (both given means both must match). Reads the prefetched
        ``townships`` and ``industries``."""
        townships = {region.pk for region in self.townships.all()}
        industries = {industry.pk for industry in self.industries.all()}
        return ((not townships or township_id in townships) and (not industries or industry_id in industries))


class SpecialPeriodRule(models.Model):
    """What the period does to one kind of special operation (REGULATIONS-2 §C.4 [U]: per-kind rules are the
    bureau's own, so they are data)."""

    period = models.ForeignKey(SpecialPeriod, verbose_name=_("special period"), on_delete=models.CASCADE,
                               related_name="rules")
    permit_kind = models.CharField(_("kind of special operation"), max_length=20, choices=PermitKind.choices)
    action = models.CharField(_("rule"), max_length=16, choices=PeriodRuleAction.choices)
    filing_hours_before = models.PositiveSmallIntegerField(
        _("filing lead time (hours)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_FILING_HOURS)],
        help_text=_("For a filing rule: how many hours before the work starts it must be filed."))

    class Meta:
        ordering = ["period_id", "permit_kind", "action"]
        verbose_name = _("special period rule")
        verbose_name_plural = _("special period rules")
        constraints = [
            models.UniqueConstraint(fields=["period", "permit_kind", "action"], name="special_period_rule_once"),
            models.CheckConstraint(
                condition=(models.Q(action=PeriodRuleAction.REQUIRE_FILING, filing_hours_before__isnull=False)
                           | (~models.Q(action=PeriodRuleAction.REQUIRE_FILING)
                              & models.Q(filing_hours_before__isnull=True))),
                name="special_period_rule_filing_hours"),
        ]

    def __str__(self):
        return f"{self.get_permit_kind_display()}: {self.get_action_display()}"
