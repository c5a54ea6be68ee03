"""Duty (值班值守, REGULATIONS.md §8, REGULATIONS-2 §E.3): the positions of a shift and how many each needs
(data the bureau edits: no national rule sets them), the bureau's rotation list, leaves and seasons, monthly
rosters of the bureau, the townships and key enterprises, swaps, the duty log and the handover."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouye.regions.scoping import ScopedQuerySet, ScopePaths

from .choices import (
    AssignmentReason,
    EntryState,
    HandoverState,
    LogKind,
    ReportStage,
    RosterState,
    SeasonKind,
    SwapState,
    UnitKind,
)

#: The most people one position may need on one shift.
MAX_PER_SHIFT = 20


class DutyPosition(models.Model):
    """A position of the 24-hour shift (带班领导, 值班员, 备勤) and how many people it needs.

    Defaults (data migration 0002) follow common local practice, REGULATIONS.md §8 [P]: 1 leader on duty and
    1 duty officer per shift, one more duty officer and one standby on reinforced days. There is no national
    number for a district bureau, so the bureau edits them."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_leader = models.BooleanField(_("leads the shift"), default=False,
                                    help_text=_("A shift without this position's people is refused."))
    is_standby = models.BooleanField(_("takes the seasons' standby lists"), default=False)
    per_shift = models.PositiveSmallIntegerField(_("people per shift"), validators=[MaxValueValidator(MAX_PER_SHIFT)])
    reinforced_extra = models.PositiveSmallIntegerField(
        _("extra people on reinforced days"), default=0, validators=[MaxValueValidator(MAX_PER_SHIFT)])

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("duty position")
        verbose_name_plural = _("duty positions")
        permissions = [("manage_duty_setup", _("Can set up duty positions, rotation, leaves and seasons"))]

    def __str__(self):
        return self.name


class DutySetup(models.Model):
    """The bureau's duty settings, one row (pk 1, made by data migration 0002).

    The handover time 08:30 is common practice [P] (no rule found): a shift runs 24 hours from it. The days
    around a holiday that get reinforced duty (its eve and the first working day after) are the bureau's
    choice [P]."""

    handover_time = models.TimeField(_("handover time"), default=datetime.time(8, 30))
    duty_phone = models.CharField(_("duty phone"), max_length=40, blank=True)
    reinforce_eve = models.BooleanField(_("reinforce the eve of a holiday"), default=True)
    reinforce_day_after = models.BooleanField(_("reinforce the first working day after a holiday"), default=True)

    class Meta:
        verbose_name = _("duty settings")
        verbose_name_plural = _("duty settings")

    def __str__(self):
        return str(self._meta.verbose_name)

    @property
    def phone(self) -> str:
        """The phone every duty page shows: the duty room's own, else the bureau's (``SHOUYE_BUREAU_PHONE``)."""
        return self.duty_phone or settings.SHOUYE_BUREAU_PHONE


class DutySeason(models.Model):
    """A season mode of one year (flood season, forest-fire season, a major event): its dates come from the
    district's notice each year (Jinan's are not in the sources), and each of its days adds
    ``standby_per_day`` people to the standby position."""

    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=12, choices=SeasonKind.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    standby_per_day = models.PositiveSmallIntegerField(_("standby people per day"),
                                                       validators=[MinValueValidator(1),
                                                                   MaxValueValidator(MAX_PER_SHIFT)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("duty season")
        verbose_name_plural = _("duty seasons")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="duty_season_ends_after_start")]

    def __str__(self):
        return f"{self.name} ({self.starts_on.isoformat()}–{self.ends_on.isoformat()})"


class RotationMember(models.Model):
    """A bureau member in the rotation of one position; the generator takes them in ``order``, fairly."""

    position = models.ForeignKey(DutyPosition, verbose_name=_("position"), on_delete=models.PROTECT,
                                 related_name="rotation")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
                             related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position__order", "order", "id"]
        verbose_name = _("rotation member")
        verbose_name_plural = _("rotation members")
        constraints = [models.UniqueConstraint(fields=["position", "user"], name="duty_rotation_once")]

    def __str__(self):
        return f"{self.position}: {self.user}"


class DutyLeave(models.Model):
    """A bureau member's leave: the generator skips them and a roster naming them those days is refused."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
                             related_name="+")
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-first_day", "id"]
        verbose_name = _("leave")
        verbose_name_plural = _("leaves")
        constraints = [models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")),
                                              name="duty_leave_ends_after_start")]

    def __str__(self):
        return f"{self.user} {self.first_day.isoformat()}–{self.last_day.isoformat()}"


class Roster(models.Model):
    """One unit's roster of one month. The bureau's has no township or enterprise (district-wide roles see
    it); a township's carries its township; a key enterprise's is stamped with its enterprise, township and
    industry (registered as a stamped model, so a move re-stamps it)."""

    SCOPE_PATHS = ScopePaths(region="township", industry="industry", enterprise="enterprise")

    unit_kind = models.CharField(_("unit"), max_length=10, choices=UnitKind.choices)
    township = models.ForeignKey("regions.Region", verbose_name=_("township"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey("enterprises.Industry", verbose_name=_("industry"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="duty_rosters")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    state = models.CharField(_("state"), max_length=10, choices=RosterState.choices, default=RosterState.DRAFT)
    duty_phone = models.CharField(_("duty phone"), max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month", "unit_kind", "id"]
        verbose_name = _("duty roster")
        verbose_name_plural = _("duty rosters")
        permissions = [
            ("manage_roster", _("Can draw up and publish the duty rosters of one's own unit")),
            ("export_roster", _("Can export duty rosters")),
            ("see_duty_phones", _("Can see the phones of the people on duty")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], condition=Q(unit_kind="bureau"),
                                    name="duty_roster_bureau_month"),
            models.UniqueConstraint(fields=["township", "year", "month"], condition=Q(unit_kind="township"),
                                    name="duty_roster_township_month"),
            models.UniqueConstraint(fields=["enterprise", "year", "month"], condition=Q(unit_kind="enterprise"),
                                    name="duty_roster_enterprise_month"),
        ]
        indexes = [models.Index(fields=["year", "month", "state"])]

    def __str__(self):
        return f"{self.unit_name} {self.year}-{self.month:02d}"

    @property
    def unit_name(self) -> str:
        if self.unit_kind == UnitKind.ENTERPRISE:
            return self.enterprise.name
        if self.unit_kind == UnitKind.TOWNSHIP:
            return self.township.name
        return str(UnitKind.BUREAU.label)


class Assignment(models.Model):
    """A person in a position on one day's shift of a roster. Bureau rosters name users; townships and
    enterprises may name people who have no account (name and phone)."""

    roster = models.ForeignKey(Roster, verbose_name=_("roster"), on_delete=models.CASCADE,
                               related_name="assignments")
    day = models.DateField(_("day"))
    position = models.ForeignKey(DutyPosition, verbose_name=_("position"), on_delete=models.PROTECT,
                                 related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    reason = models.CharField(_("reason"), max_length=12, choices=AssignmentReason.choices,
                              default=AssignmentReason.REGULAR)

    class Meta:
        ordering = ["day", "position__order", "id"]
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty assignments")
        indexes = [models.Index(fields=["roster", "day"])]

    def __str__(self):
        return f"{self.day.isoformat()} {self.position}: {self.name}"


class SwapRequest(models.Model):
    """A duty officer asks to swap their shift with a colleague's (requested → agreed → approved, or refused);
    approval exchanges the two people in one transaction."""

    roster = models.ForeignKey(Roster, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="swaps")
    mine = models.ForeignKey(Assignment, verbose_name=_("my shift"), on_delete=models.CASCADE, related_name="+")
    theirs = models.ForeignKey(Assignment, verbose_name=_("colleague's shift"), on_delete=models.CASCADE,
                               related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    colleague = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("colleague"),
                                  on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=SwapState.choices, default=SwapState.REQUESTED)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("duty swap")
        verbose_name_plural = _("duty swaps")
        permissions = [("request_swap", _("Can ask to swap one's own duty")),
                       ("approve_swap", _("Can approve duty swaps"))]

    def __str__(self):
        return f"{self.mine} ⇄ {self.theirs}"


class LogEntry(models.Model):
    """One entry of the bureau's duty log (值班记录): what came in or went out, when, from or to whom.

    An information report records its stage (首报, 续报 …, 终报: 山东省突发事件应对条例 Art. 30) and the entry it
    follows; ``reference`` is a free reference (an incident number) until the incidents app owns the
    clocks."""

    kind = models.CharField(_("kind"), max_length=16, choices=LogKind.choices)
    occurred_at = models.DateTimeField(_("time"))
    shift_day = models.DateField(_("shift"))
    counterpart = models.CharField(_("caller or unit"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    content = models.TextField(_("content"))
    report_stage = models.CharField(_("report stage"), max_length=10, choices=ReportStage.choices, blank=True)
    follows = models.ForeignKey("self", verbose_name=_("follows the report"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="follow_ups")
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=EntryState.choices, default=EntryState.OPEN)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("duty log entry")
        verbose_name_plural = _("duty log entries")
        permissions = [("keep_duty_log", _("Can keep the duty log and hand over shifts"))]
        indexes = [models.Index(fields=["shift_day", "state"])]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.counterpart}"


class Handover(models.Model):
    """The handover (交接班) of one shift to the next: what is open, noted by the outgoing shift and
    acknowledged by someone of the next."""

    shift_day = models.DateField(_("shift handed over"), unique=True)
    notes = models.TextField(_("notes"), blank=True)
    open_entries = models.ManyToManyField(LogEntry, verbose_name=_("open entries"), blank=True, related_name="+")
    state = models.CharField(_("state"), max_length=14, choices=HandoverState.choices,
                             default=HandoverState.PENDING)
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handed over by"),
                                       on_delete=models.PROTECT, related_name="+")
    handed_over_at = models.DateTimeField(_("handed over at"), default=timezone.now)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["-shift_day"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.shift_day.isoformat()}"
