"""An incident (突发事件) with its grade, the reporting clocks that grade starts, and its timeline: one stream of
everything that happened (REGULATIONS-2 §E.3: 山东省突发事件应对条例 Art. 29's contents, 续报 until 终报)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouye.accounts.choices import Role
from shouye.core.attachments import PhotoAttachment
from shouye.enterprises.stamps import StampedModel
from shouye.regions.scoping import ScopedQuerySet, ScopePaths, scope_for

from .choices import (
    AccidentKind,
    ClockKind,
    ClockState,
    EntryKind,
    Grade,
    IncidentKind,
    IncidentSource,
    IncidentState,
    ReportKind,
    TaskState,
)


class Incident(StampedModel):
    """One incident as the duty officer takes it (Art. 29: time, place, unit, contact, source, kind,
    casualties, loss, scope, development, handling). The township is where it happened; an incident at an
    enterprise is stamped with it (and moves with it), otherwise the unit is free text."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="incidents")
    industry = models.ForeignKey("enterprises.Industry", verbose_name=_("industry"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=IncidentKind.choices)
    accident_kind = models.CharField(_("accident kind"), max_length=12, choices=AccidentKind.choices,
                                     default=AccidentKind.OTHER)
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"))
    place = models.CharField(_("place"), max_length=200)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    unit_name = models.CharField(_("unit"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=IncidentSource.choices)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    deaths = models.PositiveIntegerField(_("deaths"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    serious_injuries = models.PositiveIntegerField(_("serious injuries"), default=0)
    direct_loss_yuan = models.DecimalField(_("direct loss (yuan)"), max_digits=14, decimal_places=2, default=0)
    burnt_area_ha = models.DecimalField(_("burnt forest area (ha)"), max_digits=10, decimal_places=2, default=0)
    threatens_residential = models.BooleanField(_("threatens residential areas or key facilities"), default=False)
    scope_of_impact = models.TextField(_("scope of impact"), blank=True)
    development = models.TextField(_("development"), blank=True)
    handling = models.TextField(_("handling so far"), blank=True)
    grade = models.CharField(_("grade"), max_length=14, choices=Grade.choices)
    grade_basis = models.TextField(_("basis of the grade"))
    report_to_national = models.BooleanField(_("report to the national headquarters"), default=False)
    state = models.CharField(_("state"), max_length=12, choices=IncidentState.choices,
                             default=IncidentState.REPORTED)
    command_post = models.CharField(_("on-site command post"), max_length=200, blank=True)
    commander = models.CharField(_("commander"), max_length=50, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    investigation_extension_days = models.PositiveSmallIntegerField(
        _("investigation report extension (days)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    SCOPE_PATHS = ScopePaths(region="township", industry="industry", enterprise="enterprise")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        permissions = [
            ("record_incident", "Can take and report incidents"),
            ("command_incident", "Can command the response to incidents"),
            ("update_incident_on_site", "Can update incidents from the site"),
        ]
        indexes = [models.Index(fields=["state", "-occurred_at"], name="incident_state_idx")]

    def __str__(self):
        return self.title


class IncidentClock(models.Model):
    """A reporting deadline the incident's grade starts: open until met (a report sent in time) or missed (due
    passed, or the report came late). ``warned_at`` is when the duty officers were told it is about to run
    out."""

    SCOPE_PATHS = ScopePaths(region="incident__township", industry="incident__industry",
                             enterprise="incident__enterprise")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField(_("kind"), max_length=16, choices=ClockKind.choices)
    due_at = models.DateTimeField(_("due at"))
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=ClockState.choices, default=ClockState.OPEN)
    basis = models.TextField(_("basis"))
    warned_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("incident clock")
        verbose_name_plural = _("incident clocks")
        constraints = [models.UniqueConstraint(fields=["incident", "kind"], name="incident_clock_once")]
        indexes = [models.Index(fields=["state", "due_at"], name="incident_clock_due_idx")]

    def __str__(self):
        return f"{self.incident} · {self.get_kind_display()}"


class TimelineEntry(models.Model):
    """One entry of the incident's timeline; every act writes one in its transaction beside its audit event."""

    SCOPE_PATHS = ScopePaths(region="incident__township", industry="incident__industry",
                             enterprise="incident__enterprise")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    at = models.DateTimeField(_("time"))
    text = models.TextField(_("text"))
    report_kind = models.CharField(_("report kind"), max_length=10, choices=ReportKind.choices, blank=True)
    recipient = models.CharField(_("sent to"), max_length=100, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        indexes = [models.Index(fields=["incident", "-at", "-id"], name="incident_entry_at_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.text[:30]}"


def own_units_q(user, prefix: str = "") -> Q:
    """The units ``user`` answers for: the townships of its township-officer memberships and the departments of
    its department-officer memberships (the same reading as the warnings' 叫应)."""
    townships = [m.region_id for m in user.active_memberships() if m.role == Role.TOWNSHIP_OFFICER]
    departments = [m.organisation_id for m in user.active_memberships() if m.role == Role.DEPARTMENT_OFFICER]
    return Q(**{f"{prefix}township_id__in": townships}) | Q(**{f"{prefix}department_id__in": departments})


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user) -> TaskQuerySet:
        """Tasks of the incidents the user sees, and the tasks given to the user's own township or department
        (a department is given a task whatever industry the incident is in: it answers for that task only)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        return self.filter(scope.q(IncidentTask.SCOPE_PATHS) | own_units_q(user))


class IncidentTask(models.Model):
    """A task the command gives a township or an industry department (issue 14, "tasks to departments and
    townships with acknowledgement"): the unit's officers acknowledge it (签收) and report it done (办结) with a
    note; the incident's page shows who has not acknowledged."""

    SCOPE_PATHS = ScopePaths(region="incident__township", industry="incident__industry",
                             enterprise="incident__enterprise")

    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.CASCADE,
                                 related_name="tasks")
    township = models.ForeignKey("regions.Region", verbose_name=_("township"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("accounts.Organisation", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("task"))
    due_at = models.DateTimeField(_("due at"))
    state = models.CharField(_("state"), max_length=12, choices=TaskState.choices, default=TaskState.ASSIGNED)
    assigned_at = models.DateTimeField(_("assigned at"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    done_note = models.TextField(_("what was done"), blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("incident task")
        verbose_name_plural = _("incident tasks")
        permissions = [("answer_incident_task", "Can acknowledge and complete incident tasks")]
        constraints = [models.CheckConstraint(name="incident_task_one_unit",
                                              condition=Q(township__isnull=True) ^ Q(department__isnull=True))]
        indexes = [models.Index(fields=["state", "due_at"], name="incident_task_state_idx")]

    def __str__(self):
        return f"{self.unit} · {self.text[:30]}"

    @property
    def unit(self):
        return self.township or self.department


class IncidentPhoto(PhotoAttachment):
    """A photo taken on site, shown on the incident's page and beside the timeline entry that added it."""

    SCOPE_PATHS = ScopePaths(region="incident__township", industry="incident__industry",
                             enterprise="incident__enterprise")
    upload_prefix = "incidents/"

    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.CASCADE,
                                 related_name="photos")
    entry = models.ForeignKey(TimelineEntry, verbose_name=_("timeline entry"), on_delete=models.CASCADE,
                              related_name="photos")

    objects = ScopedQuerySet.as_manager()

    class Meta(PhotoAttachment.Meta):
        verbose_name = _("incident photo")
        verbose_name_plural = _("incident photos")


class IncidentDispatch(models.Model):
    """A team or a quantity of one item sent to the incident (issue 14, "Response"). The team's readiness and
    the stock movement are the resources app's; this row says what went to which incident, when and by whom,
    and, for a team, when it came back (``returned_at``: the dispatch is closed)."""

    SCOPE_PATHS = ScopePaths(region="incident__township", industry="incident__industry",
                             enterprise="incident__enterprise")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="dispatches")
    team = models.ForeignKey("resources.Team", verbose_name=_("team"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey("resources.Warehouse", verbose_name=_("warehouse"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey("resources.Item", verbose_name=_("material item"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2, null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"))
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-dispatched_at", "-id"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(team__isnull=False, warehouse__isnull=True, item__isnull=True,
                                    quantity__isnull=True)
                           | models.Q(team__isnull=True, warehouse__isnull=False, item__isnull=False,
                                      quantity__gt=0, returned_at__isnull=True)),
                name="incident_dispatch_team_or_items"),
        ]
        indexes = [models.Index(fields=["incident", "returned_at"], name="incident_dispatch_open_idx")]

    def __str__(self):
        if self.team_id:
            return str(self.team)
        return f"{self.item} × {self.quantity.normalize():f}"


class PlanActivation(models.Model):
    """An emergency plan activated (启动预案) for the incident; ``entry`` is its line on the timeline, which
    links to the plan."""

    SCOPE_PATHS = ScopePaths(region="incident__township", industry="incident__industry",
                             enterprise="incident__enterprise")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="plan_activations")
    plan = models.ForeignKey("plans.EmergencyPlan", verbose_name=_("emergency plan"), on_delete=models.PROTECT,
                             related_name="+")
    entry = models.OneToOneField(TimelineEntry, on_delete=models.CASCADE, related_name="plan_activation")
    activated_at = models.DateTimeField(_("activated at"))
    activated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["activated_at", "id"]
        verbose_name = _("plan activation")
        verbose_name_plural = _("plan activations")
        constraints = [models.UniqueConstraint(fields=["incident", "plan"], name="incident_plan_once")]

    def __str__(self):
        return f"{self.incident} · {self.plan}"
