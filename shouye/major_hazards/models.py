"""Major hazard installations (重大危险源) of an enterprise, their inventory, their identification and grade by
GB 18218-2018 (kept with the record), their three responsible persons (包保责任人, 应急厅〔2021〕12号) and those
persons' duties, which are investigation tasks of the risks engine (``DutyTask``)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouye.enterprises.stamps import StampedModel
from shouye.regions.scoping import ScopedQuerySet, ScopePaths

from .choices import GRADE_NAMES, InstallationKind, InstallationState, PersonRole


class MajorHazardInstallation(StampedModel):
    """A production or storage unit (GB 18218-2018 3.2) of an enterprise.

    The identification is stored with the record: S = Σq/Q (``ratio_sum``), whether S ≥ 1 (4.2.1), α (Table
    5, from ``exposed_population``), R (4.3, formula 2), the grade (Table 6), the rule's ``basis`` and the
    exact ``inputs`` it was computed from, and when. The services recompute it in the same transaction as
    every change of the inventory or of the exposed population."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind of unit"), max_length=12, choices=InstallationKind.choices)
    location = models.CharField(_("location"), max_length=200, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])
    exposed_population = models.PositiveIntegerField(
        _("people resident within 500 m"), null=True, blank=True,
        help_text=_("People normally resident within 500 m of the plant boundary (GB 18218-2018 Table 5)."))
    state = models.CharField(_("state"), max_length=10, choices=InstallationState.choices,
                             default=InstallationState.DRAFT)
    filing_number = models.CharField(_("filing number"), max_length=50, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    last_assessed_on = models.DateField(_("last safety assessment"), null=True, blank=True)
    next_assessment_due = models.DateField(_("next safety assessment due"), null=True, blank=True)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    ratio_sum = models.DecimalField(_("S = Σq/Q"), max_digits=14, decimal_places=4, null=True, blank=True)
    is_major = models.BooleanField(_("major hazard installation"), default=False)
    alpha = models.DecimalField(_("α"), max_digits=4, decimal_places=2, null=True, blank=True)
    r_value = models.DecimalField(_("R"), max_digits=14, decimal_places=4, null=True, blank=True)
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True,
                                             validators=[MinValueValidator(1), MaxValueValidator(4)])
    basis = models.TextField(_("basis"), blank=True)
    inputs = models.JSONField(_("inputs of the computation"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("major hazard installation")
        verbose_name_plural = _("major hazard installations")
        permissions = [
            ("manage_installation", _("Can manage the major hazard installations of one's own enterprise")),
            ("export_installation", _("Can export the major hazard installations")),
        ]
        indexes = [models.Index(fields=["township", "grade"]), models.Index(fields=["next_assessment_due"])]

    def __str__(self):
        return self.name

    @property
    def grade_name(self) -> str:
        return GRADE_NAMES.get(self.grade, "")


class InstallationSubstance(models.Model):
    """One line of the unit's inventory: a GB 18218-2018 Table 1 chemical by name (or alias), or a chemical not
    in Table 1 with its Table 2 category (symbol such as W5.3), and q, its design maximum quantity in tonnes
    (4.2.2: 设计最大量, not the current stock)."""

    SCOPE_PATHS = ScopePaths(region="installation__township", industry="installation__industry",
                             enterprise="installation__enterprise")

    installation = models.ForeignKey(MajorHazardInstallation, on_delete=models.CASCADE, related_name="substances")
    name = models.CharField(_("substance"), max_length=100, blank=True)
    category = models.CharField(_("Table 2 category"), max_length=8, blank=True)
    quantity_t = models.DecimalField(_("design maximum quantity (t)"), max_digits=14, decimal_places=3,
                                     validators=[MinValueValidator(0)])
    critical_quantity_t = models.DecimalField(_("critical quantity Q (t)"), max_digits=14, decimal_places=3,
                                              null=True, blank=True)
    beta = models.DecimalField(_("β"), max_digits=6, decimal_places=2, null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("substance of an installation")
        verbose_name_plural = _("substances of installations")

    def __str__(self):
        return self.name or self.category

    def as_rule_input(self) -> dict:
        """The line as ``identify_major_hazard`` takes it (q as a Decimal)."""
        item = {"quantity_t": self.quantity_t}
        if self.name:
            item["name"] = self.name
        if self.category:
            item["category"] = self.category
        return item


class ResponsiblePerson(models.Model):
    """A responsible person of an installation (包保责任人, 应急厅〔2021〕12号 Art. 3). Exactly one current person
    per role (``ended_on`` empty); appointing a successor ends the current one, which stays as history.

    ``phone`` is the duty phone the enterprise gives for the public notice board (公示牌); lists, pages and the
    API show it masked to those who do not see personal data (shouye.enterprises.masking)."""

    SCOPE_PATHS = ScopePaths(region="installation__township", industry="installation__industry",
                             enterprise="installation__enterprise")

    installation = models.ForeignKey(MajorHazardInstallation, on_delete=models.CASCADE, related_name="persons")
    role = models.CharField(_("role"), max_length=12, choices=PersonRole.choices)
    name = models.CharField(_("name"), max_length=50)
    post = models.CharField(_("post"), max_length=100)
    phone = models.CharField(_("duty phone"), max_length=20)
    appointed_on = models.DateField(_("appointed on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["role", "-appointed_on", "-id"]
        verbose_name = _("responsible person")
        verbose_name_plural = _("responsible persons")
        constraints = [models.UniqueConstraint(fields=["installation", "role"], condition=models.Q(ended_on=None),
                                               name="major_hazards_one_current_person_per_role")]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class DutyItem(models.Model):
    """One numbered item of a responsible person's task list (隐患排查任务清单: principal 1–9, technical 1–9,
    operational 1–10, REGULATIONS-2 §A.6), editable by the bureau. Seeded by migration 0002 with the duties
    of 应急厅〔2021〕12号 Art. 4 (principal) and Art. 5 (technical) where known; the other items' texts are
    [U] and seeded as placeholders (``placeholder``) for the bureau to replace.

    ``frequency_days``: how often the duty is due. Technical: 90 (Art. 5(5): at least once a quarter) [C],
    plus before major events, key periods and holidays (``before_key_periods``). Principal 90 and operational
    7 are [U] defaults (the clauses were not reached): editable here."""

    role = models.CharField(_("role"), max_length=12, choices=PersonRole.choices)
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1),
                                                                       MaxValueValidator(10)])
    text = models.TextField(_("duty"))
    placeholder = models.BooleanField(_("text to be supplied by the bureau"), default=False)
    frequency_days = models.PositiveSmallIntegerField(_("due every (days)"),
                                                      validators=[MinValueValidator(1), MaxValueValidator(366)])
    before_key_periods = models.BooleanField(_("also before major events, key periods and holidays"),
                                             default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["role", "number"]
        verbose_name = _("duty item")
        verbose_name_plural = _("duty items")
        constraints = [models.UniqueConstraint(fields=["role", "number"], name="major_hazards_duty_item_number")]

    def __str__(self):
        return f"{self.get_role_display()} {self.number}"


class DutyTask(models.Model):
    """A duty item of a responsible person as an investigation task of the risks engine (issue 11: the duties
    and their frequencies are tasks of the same engine as dual prevention, REGULATIONS-2 §A.6 workType and
    taskNum). Appointing the person opens one per active item of the role; ending the appointment, cancelling
    the installation or retiring the item ends the task (``task.is_active`` false, ``task.ends_on``). Doing
    the duty is doing one of the task's instances; an item retired and used again gets a new task, so a
    (person, item) pair may have several rows, at most one with an active task."""

    SCOPE_PATHS = ScopePaths(region="person__installation__township", industry="person__installation__industry",
                             enterprise="person__installation__enterprise")

    person = models.ForeignKey(ResponsiblePerson, verbose_name=_("responsible person"), on_delete=models.CASCADE,
                               related_name="duty_tasks")
    item = models.ForeignKey(DutyItem, verbose_name=_("duty item"), on_delete=models.PROTECT,
                             related_name="duty_tasks")
    task = models.OneToOneField("risks.InvestigationTask", verbose_name=_("investigation task"),
                                on_delete=models.CASCADE, related_name="duty")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["person_id", "item__number", "id"]
        verbose_name = _("duty task")
        verbose_name_plural = _("duty tasks")
        indexes = [models.Index(fields=["person", "item"])]

    def __str__(self):
        return f"{self.person} · {self.item}"
