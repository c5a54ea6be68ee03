"""Warnings (预警) received by the district, the units notified of each with their acknowledgement (叫应) and
response checklist, the measure templates per level, and the seasons and daily fire-danger levels
(REGULATIONS-2.md §E.4, §E.6, §E.7).

A warning is the district's, not an enterprise's: the bureau's roles see every warning, a township or
department officer those its unit was notified of, an enterprise user those its enterprise was notified of
(:meth:`WarningQuerySet.visible_to`; the enterprises of the townships a warning covers are notified with it and
acknowledge on their own, :class:`NotifiedEnterprise`). The
seasons, the fire-danger table and readings are the district's public notices, read by every signed-in user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from shouye.regions.scoping import ScopedQuerySet, ScopePaths, scope_for

from .choices import (
    FIRE_DANGER_CHOICES,
    LEVEL_CHOICES,
    SeasonKind,
    WarningColour,
    WarningKind,
    WarningSource,
    WarningState,
)


def _department_ids(user) -> set[int]:
    return {m.organisation_id for m in user.active_memberships() if m.role == "department_officer"}


def own_enterprise_ids(user) -> set[int]:
    """The enterprises ``user`` answers for as their enterprise user (an expert's assigned ones are not)."""
    if not (user.is_authenticated and user.is_active):
        return set()
    return {m.enterprise_id for m in user.active_memberships() if m.role == "enterprise_user"}


class WarningQuerySet(models.QuerySet):
    def visible_to(self, user) -> WarningQuerySet:
        """District-wide roles: all warnings; a township or department officer: those its township or
        department was notified of (every township covered, every department existing when it was entered);
        an enterprise user: those its enterprise was notified of; anyone else: none."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        departments = _department_ids(user) if user.is_authenticated and user.is_active else set()
        enterprises = own_enterprise_ids(user)
        if not (scope.region_ids or departments or enterprises):
            return self.none()
        notified = NotifiedUnit.objects.filter(Q(township_id__in=sorted(scope.region_ids))
                                               | Q(department_id__in=sorted(departments)), warning=OuterRef("pk"))
        condition = Exists(notified)
        if enterprises:
            condition |= Exists(NotifiedEnterprise.objects.filter(enterprise_id__in=sorted(enterprises),
                                                                  warning=OuterRef("pk")))
        return self.filter(condition)


class EarlyWarning(models.Model):
    """A warning received (预警): its level gives the colour and the measures (the rule
    ``warning-measures``); lifting it ends the warning period (Art. 70)."""

    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, choices=WarningKind.choices)
    source = models.CharField(_("source"), max_length=20, choices=WarningSource.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=LEVEL_CHOICES)
    colour = models.CharField(_("colour"), max_length=10, choices=WarningColour.choices)
    basis = models.TextField(_("basis"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=WarningState.choices, default=WarningState.ISSUED)
    issued_at = models.DateTimeField(_("issued at"))
    all_district = models.BooleanField(_("whole district"), default=True)
    content = models.TextField(_("content"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lift_note = models.CharField(_("lifting note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    objects = WarningQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")
        permissions = [
            ("issue_warning", "Can enter, adjust and lift warnings"),
            ("acknowledge_warning", "Can acknowledge warnings and tick their measures"),
            ("acknowledge_warning_as_enterprise", "Can acknowledge warnings for one's own enterprise"),
        ]
        indexes = [models.Index(fields=["state", "-issued_at"])]

    def __str__(self):
        return self.title

    @property
    def is_active(self) -> bool:
        return self.state != WarningState.LIFTED


class NotifiedUnit(models.Model):
    """A township or a department notified of a warning: it must acknowledge (叫应) and tick its measures."""

    warning = models.ForeignKey(EarlyWarning, verbose_name=_("warning"), on_delete=models.CASCADE,
                                related_name="units")
    township = models.ForeignKey("regions.Region", verbose_name=_("township"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("accounts.Organisation", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    notified_at = models.DateTimeField(_("notified at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["department_id", "township__code", "id"]
        verbose_name = _("notified unit")
        verbose_name_plural = _("notified units")
        constraints = [
            models.CheckConstraint(name="notified_unit_one_kind",
                                   condition=Q(township__isnull=True) ^ Q(department__isnull=True)),
            models.UniqueConstraint(fields=["warning", "township"], name="notified_township_once"),
            models.UniqueConstraint(fields=["warning", "department"], name="notified_department_once"),
        ]

    def __str__(self):
        return str(self.township or self.department)

    @property
    def minutes_to_acknowledge(self) -> int | None:
        if self.acknowledged_at is None:
            return None
        return int((self.acknowledged_at - self.notified_at).total_seconds() // 60)


class NotifiedEnterprise(models.Model):
    """An enterprise of a township the warning covers, notified in-app with it (突发事件应对法 2024 Art. 66:
    the warning is made known to those it may affect): its own users acknowledge (叫应), counted apart from
    the townships and departments. Scoped as its enterprise (its township's and industry's officers, its own
    users); the stamp is read through the enterprise, so a move re-stamps nothing here."""

    SCOPE_PATHS = ScopePaths(region="enterprise__township", industry="enterprise__industry", enterprise="enterprise")

    warning = models.ForeignKey(EarlyWarning, verbose_name=_("warning"), on_delete=models.CASCADE,
                                related_name="enterprises")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="+")
    notified_at = models.DateTimeField(_("notified at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("notified enterprise")
        verbose_name_plural = _("notified enterprises")
        constraints = [models.UniqueConstraint(fields=["warning", "enterprise"], name="notified_enterprise_once")]
        indexes = [models.Index(fields=["enterprise", "acknowledged_at"])]

    def __str__(self):
        return str(self.enterprise)

    @property
    def minutes_to_acknowledge(self) -> int | None:
        if self.acknowledged_at is None:
            return None
        return int((self.acknowledged_at - self.notified_at).total_seconds() // 60)


class ChecklistItem(models.Model):
    """One measure a notified unit takes for the warning, ticked when done."""

    unit = models.ForeignKey(NotifiedUnit, verbose_name=_("unit"), on_delete=models.CASCADE,
                             related_name="items")
    article = models.PositiveSmallIntegerField(_("article"))
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("measure"), max_length=300)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["article", "position", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self):
        return self.text


class MeasureTemplate(models.Model):
    """A measure the units take on a warning of ``level``, seeded from Art. 66 (levels 3–4) and Art. 66 + 67
    (levels 1–2) of the 2024 law; the bureau edits the wording and adds its own."""

    level = models.PositiveSmallIntegerField(_("level"), choices=LEVEL_CHOICES)
    article = models.PositiveSmallIntegerField(_("article"))
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("measure"), max_length=300)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["level", "article", "position", "id"]
        verbose_name = _("measure template")
        verbose_name_plural = _("measure templates")

    def __str__(self):
        return self.text


class Season(models.Model):
    """A flood season, forest-fire season or high fire-risk period of one year, as the district's notice
    (通告) sets it (森林防火条例 Art. 23, 28; Jinan's dates are [U], REGULATIONS-2.md §E.7)."""

    kind = models.CharField(_("kind"), max_length=20, choices=SeasonKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    notice = models.CharField(_("notice"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="season_once_a_year"),
            models.CheckConstraint(name="season_ends_after_start", condition=Q(ends_on__gte=models.F("starts_on"))),
        ]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()}"


class FireDangerLevel(models.Model):
    """The fire-danger scale (森林火险等级 1–5): its name, the action it calls for and the warning colour it
    maps to — data, because the sources disagree on the colours (REGULATIONS-2.md §E.7 [P])."""

    level = models.PositiveSmallIntegerField(_("fire-danger level"), choices=FIRE_DANGER_CHOICES, unique=True)
    name = models.CharField(_("name"), max_length=30)
    action = models.CharField(_("action"), max_length=200)
    colour = models.CharField(_("warning colour"), max_length=10, choices=WarningColour.choices, blank=True)

    class Meta:
        ordering = ["level"]
        verbose_name = _("fire-danger level")
        verbose_name_plural = _("fire-danger levels")

    def __str__(self):
        return f"{self.level} {self.name}"


class FireDangerReading(models.Model):
    """The day's fire-danger level, entered or received during the fire season (森林防火条例 Art. 30)."""

    day = models.DateField(_("day"), unique=True)
    level = models.PositiveSmallIntegerField(_("fire-danger level"), choices=FIRE_DANGER_CHOICES)
    source = models.CharField(_("source"), max_length=20, choices=WarningSource.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("fire-danger reading")
        verbose_name_plural = _("fire-danger readings")

    def __str__(self):
        return f"{self.day} {self.level}"
