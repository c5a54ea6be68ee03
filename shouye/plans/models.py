"""Emergency plans (应急预案) and drills (演练) of the units that must have them: the district government, its
departments and townships (the bureau's own rows) and the enterprises (stamped rows).

A :class:`PlanUnit` is the owner: its drill category (山东省安全生产条例 Art. 63: government, high-risk or crowded
place, other) sets its clocks through the ``drill-frequency`` rule, and its "any drill" clock is kept on it.
Each plan keeps its own clocks (filing within 20 working days of publication, 2号令 Art. 26; the periodic
evaluation, Art. 35; for a special or on-site plan, its own drill clock), computed by the services whenever
they change, so that lists find what is overdue with one indexed condition. A revision writes a new version
(``previous``); the old one stays, superseded once the new one is published."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouye.core.attachments import DocumentAttachment
from shouye.enterprises.stamps import StampedModel
from shouye.regions.scoping import ScopedQuerySet, ScopePaths

from .choices import (
    Audience,
    DocumentKind,
    DrillCategory,
    DrillKind,
    DrillState,
    PlanKind,
    PlanState,
    PlanTopic,
    ProblemOutcome,
    RevisionTrigger,
    UnitKind,
)


def _through_unit(prefix: str) -> ScopePaths:
    return ScopePaths(region=f"{prefix}__township", industry=f"{prefix}__industry",
                      enterprise=f"{prefix}__enterprise")


class PlanUnit(StampedModel):
    """A unit that keeps emergency plans and drills.

    An enterprise's unit is stamped from it (scope as every enterprise row). A township's unit carries the
    township (its officers see it); the district's and the departments' units carry neither, so only the
    district-wide roles see them. ``category`` is the one the clocks use: ``category_override`` when the
    bureau set one, else the one derived from the enterprise's registry data (:mod:`shouye.plans.categories`)
    or ``government`` for the bureau's own units."""

    enterprise = models.OneToOneField("enterprises.Enterprise", verbose_name=_("enterprise"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="plan_unit")
    township = models.ForeignKey("regions.Region", verbose_name=_("township"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey("enterprises.Industry", verbose_name=_("industry"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of unit"), max_length=12, choices=UnitKind.choices)
    department = models.ForeignKey("accounts.Organisation", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("drill category"), max_length=12, choices=DrillCategory.choices)
    category_override = models.CharField(_("drill category set by the bureau"), max_length=12, blank=True,
                                         choices=DrillCategory.choices)
    category_basis = models.CharField(_("why this category"), max_length=200, blank=True)
    last_drill_on = models.DateField(_("last drill"), null=True, blank=True)
    any_drill_due_on = models.DateField(_("next drill due"), null=True, blank=True)
    clock_basis = models.TextField(_("basis of the drill clocks"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = _("plan unit")
        verbose_name_plural = _("plan units")
        permissions = [("set_drill_category", _("Can set a unit's drill category"))]
        constraints = [
            models.UniqueConstraint(fields=["township"], condition=models.Q(kind="township"),
                                    name="plans_one_unit_per_township"),
            models.UniqueConstraint(fields=["department"], condition=models.Q(kind="department"),
                                    name="plans_one_unit_per_department"),
            models.UniqueConstraint(fields=["kind"], condition=models.Q(kind="district"),
                                    name="plans_one_district_unit"),
        ]
        indexes = [models.Index(fields=["any_drill_due_on"])]

    def __str__(self):
        return self.name


class EmergencyPlan(models.Model):
    """One version of a unit's emergency plan.

    ``topics`` lists the :class:`PlanTopic` codes a special plan covers (a JSON list, matched with
    :func:`shouye.plans.selectors.covering`): a special plan names at least one (2号令 Art. 6 writes it for kinds
    of accident); a comprehensive plan and an on-site plan name none."""

    SCOPE_PATHS = _through_unit("unit")

    unit = models.ForeignKey(PlanUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(_("kind of plan"), max_length=14, choices=PlanKind.choices)
    title = models.CharField(_("title"), max_length=150)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField("self", verbose_name=_("previous version"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="next_version")
    state = models.CharField(_("state"), max_length=16, choices=PlanState.choices, default=PlanState.DRAFT)
    audience = models.CharField(_("published to"), max_length=10, choices=Audience.choices,
                                default=Audience.WORKFORCE)
    summary = models.TextField(_("scope and summary"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    filing_due_on = models.DateField(_("filing due by"), null=True, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    filing_number = models.CharField(_("filing number"), max_length=50, blank=True)
    last_evaluated_on = models.DateField(_("last evaluation"), null=True, blank=True)
    evaluation_due_on = models.DateField(_("next evaluation due"), null=True, blank=True)
    evaluation_note = models.TextField(_("evaluation conclusion"), blank=True)
    last_drilled_on = models.DateField(_("last drilled"), null=True, blank=True)
    drill_due_on = models.DateField(_("this plan's next drill due"), null=True, blank=True)
    revision_trigger = models.CharField(_("reason for revision"), max_length=20, blank=True,
                                        choices=RevisionTrigger.choices)
    revision_reason = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("emergency plan")
        verbose_name_plural = _("emergency plans")
        permissions = [
            ("manage_enterprise_plans", _("Can manage the plans and drills of one's own enterprise")),
            ("manage_bureau_plans", _("Can manage the plans and drills of the district and its townships")),
            ("export_plans", _("Can see and export the statistics of plans and drills")),
        ]
        indexes = [models.Index(fields=["state", "filing_due_on"]), models.Index(fields=["evaluation_due_on"]),
                   models.Index(fields=["drill_due_on"])]

    def __str__(self):
        return f"{self.title}（V{self.version}）"

    def clean(self):
        topics = self.topics
        if not isinstance(topics, list) or any(topic not in PlanTopic.values for topic in topics):
            raise ValidationError({"topics": _("Choose the topics among those offered.")})
        if self.kind == PlanKind.SPECIAL and not topics:
            raise ValidationError({"topics": _("A special plan names at least one topic: the emergencies it "
                                               "covers.")})
        if self.kind != PlanKind.SPECIAL and topics:
            raise ValidationError({"topics": _("Only a special plan names topics.")})

    def topic_labels(self) -> list[str]:
        """The labels of the plan's topics, in their stored order."""
        labels = dict(PlanTopic.choices)
        return [str(labels.get(topic, topic)) for topic in self.topics]


class PlanDocument(DocumentAttachment):
    """A document of one plan version (its text, filing receipt or evaluation report), stored under the
    folder the app registers as media owner: served to those who see the plan."""

    SCOPE_PATHS = _through_unit("plan__unit")
    upload_prefix = "plans/documents/"

    plan = models.ForeignKey(EmergencyPlan, verbose_name=_("emergency plan"), on_delete=models.PROTECT,
                             related_name="documents")
    kind = models.CharField(_("kind of document"), max_length=20, choices=DocumentKind.choices)

    objects = ScopedQuerySet.as_manager()

    class Meta(DocumentAttachment.Meta):
        verbose_name = _("plan document")
        verbose_name_plural = _("plan documents")
        indexes = [models.Index(fields=["plan", "kind"])]

    def __str__(self):
        return self.original_name


class Drill(models.Model):
    """A drill of a unit's plans: planned (date, kind, scope), then held (date, participants, evaluation) or
    cancelled. Held drills move the unit's and the plans' clocks."""

    SCOPE_PATHS = _through_unit("unit")

    unit = models.ForeignKey(PlanUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="drills")
    plans = models.ManyToManyField(EmergencyPlan, verbose_name=_("plans drilled"), related_name="drills")
    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind of drill"), max_length=12, choices=DrillKind.choices)
    scope = models.CharField(_("scope"), max_length=200, blank=True)
    planned_on = models.DateField(_("planned for"))
    state = models.CharField(_("state"), max_length=10, choices=DrillState.choices, default=DrillState.PLANNED)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True,
                                               validators=[MaxValueValidator(100_000)])
    evaluation = models.TextField(_("evaluation"), blank=True)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_on", "-id"]
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        indexes = [models.Index(fields=["state", "held_on"])]

    def __str__(self):
        return self.title


class DrillProblem(models.Model):
    """A problem a held drill found, and what became of it: a hazard (an enterprise's drill, through the
    hazards service) or the revision of one of the drilled plans (708号令 Art. 6 ¶2 (5))."""

    SCOPE_PATHS = _through_unit("drill__unit")

    drill = models.ForeignKey(Drill, verbose_name=_("drill"), on_delete=models.CASCADE, related_name="problems")
    description = models.TextField(_("problem"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=ProblemOutcome.choices,
                               default=ProblemOutcome.NOTED)
    hazard = models.ForeignKey("hazards.Hazard", verbose_name=_("hazard"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    revision = models.ForeignKey(EmergencyPlan, verbose_name=_("plan revision"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("problem found in a drill")
        verbose_name_plural = _("problems found in drills")

    def __str__(self):
        return self.description[:50]
