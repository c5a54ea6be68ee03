"""Dual prevention (双重预防, REGULATIONS-2 §A): an enterprise's risk points with their hazard sources,
assessments and control measures; the investigation tasks generated from the measures and their instances;
the plant plan with its zones; the district's and each enterprise's editable tables; the bureau's record of
an enterprise's 100-point risk assessment (应急〔2018〕19号).

The national interface's chain (§A.6: 风险分析单元 → 风险事件 → 管控措施 → 排查任务 → 排查记录 → 隐患) maps to
``RiskPoint`` → ``HazardSource`` → ``ControlMeasure`` → ``InvestigationTask``/``TaskInstance`` → ``TaskCheck``
→ ``hazards.Hazard``."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouye.core.attachments import PhotoAttachment
from shouye.core.importkit.models import ImportJobBase
from shouye.enterprises.stamps import StampedModel, enterprise_field
from shouye.hazards.choices import InvestigationType
from shouye.regions.scoping import ScopedQuerySet, ScopePaths

from .choices import (
    AssessmentMethod,
    CheckOutcome,
    ControlLevel,
    CycleUnit,
    FactorCategory,
    IdentificationMethod,
    InstanceState,
    MeasureCategory,
    MeasureDataSource,
    MeasureSubcategory,
    RegisterState,
    RiskLevel,
    RiskPointKind,
    TaskWorkType,
    WorkDayType,
)


def _through(parent: str) -> ScopePaths:
    """Scope paths of a child row, through ``parent``'s stamps."""
    return ScopePaths(region=f"{parent}__township", industry=f"{parent}__industry", enterprise=f"{parent}__enterprise")


class RiskSettings(models.Model):
    """The editable tables of risk assessment (REGULATIONS.md §3: "make it configurable"): the district's
    (``enterprise`` empty, one row) and an enterprise's own, which override the district's where not empty.

    Each table is the plain JSON of ``shouye.rules.data.risk`` (``table_to_data``); an empty value means "the
    rules' default". ``forced_major_conditions`` is the district's list of conditions that make a risk point
    major whatever its score (DB37/T 2882 重大风险确定原则 [P]); an enterprise row leaves it empty."""

    SCOPE_PATHS = ScopePaths(region="enterprise__township", industry="enterprise__industry", enterprise="enterprise")

    enterprise = models.OneToOneField("enterprises.Enterprise", verbose_name=_("enterprise"), null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="risk_settings")
    lec_table = models.JSONField(_("LEC table"), default=dict, blank=True)
    matrix_table = models.JSONField(_("risk matrix table"), default=dict, blank=True)
    mes_table = models.JSONField(_("MES table"), default=dict, blank=True)
    control_levels = models.JSONField(_("control level per grade"), default=dict, blank=True)
    forced_major_conditions = models.JSONField(_("conditions that make a risk major"), default=list, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk assessment settings")
        verbose_name_plural = _("risk assessment settings")
        constraints = [
            models.UniqueConstraint(fields=["enterprise"], condition=Q(enterprise__isnull=True),
                                    name="risk_settings_one_district_row"),
        ]
        permissions = [("edit_district_risk_tables", _("Can edit the district's risk assessment tables"))]

    def __str__(self):
        return f"{self._meta.verbose_name} · {self.enterprise_id or '-'}"


class RiskRegister(StampedModel):
    """An enterprise's risk control list (风险分级管控清单, 山东省安全生产条例 Art. 31) as a whole: draft or
    published, and which version. Publishing needs a special control plan for every major and high risk
    point (Art. 31 ¶2)."""

    enterprise = enterprise_field("risk_registers")
    state = models.CharField(_("state"), max_length=10, choices=RegisterState.choices, default=RegisterState.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=0)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    changed_since_publication = models.BooleanField(_("changed since publication"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk control list")
        verbose_name_plural = _("risk control lists")
        constraints = [models.UniqueConstraint(fields=["enterprise"], name="risk_register_one_per_enterprise")]
        permissions = [("publish_risk_list", _("Can publish the enterprise's risk control list"))]

    def __str__(self):
        return f"{self._meta.verbose_name} · {self.enterprise_id} v{self.version}"


class FloorPlan(StampedModel):
    """The enterprise's plant plan (an image, or a PDF page rendered to one) on which zones are drawn; the
    four-colour risk map is this plan with its zones coloured (四色分布图)."""

    enterprise = enterprise_field("floor_plans")
    title = models.CharField(_("title"), max_length=100)
    image = models.ImageField(_("plan image"), upload_to="risks/plans/%Y/%m/")
    width = models.PositiveIntegerField(_("width (px)"))
    height = models.PositiveIntegerField(_("height (px)"))
    is_current = models.BooleanField(_("current"), default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-is_current", "-id"]
        verbose_name = _("floor plan")
        verbose_name_plural = _("floor plans")

    def __str__(self):
        return self.title


class PlanZone(models.Model):
    """A zone drawn on a floor plan: a polygon in the image's pixel coordinates ([[x, y], …], origin top
    left). A risk point and a high-risk work area are placed in a zone."""

    SCOPE_PATHS = _through("plan")

    plan = models.ForeignKey(FloorPlan, verbose_name=_("floor plan"), on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("name"), max_length=100)
    polygon = models.JSONField(_("outline"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("plan zone")
        verbose_name_plural = _("plan zones")

    def __str__(self):
        return self.name


class RiskPoint(StampedModel):
    """风险点 (风险分析单元): a facility, part, place or area, or an operation/activity, with its department and
    responsible person (REGULATIONS-2 §A.3, §A.6). Its grade is the highest of its hazard sources' (or major
    when a listed condition applies) and its control level follows the grade (§A.4); both are kept here when
    an assessment changes, so lists, maps and statistics read them without visiting the assessments."""

    enterprise = enterprise_field("risk_points")
    code = models.CharField(_("number"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=RiskPointKind.choices)
    location = models.CharField(_("location"), max_length=200, blank=True)
    department = models.CharField(_("responsible department"), max_length=100)
    responsible_person = models.CharField(_("responsible person"), max_length=50)
    responsible_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsible person's account"),
                                         null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    zone = models.ForeignKey(PlanZone, verbose_name=_("zone on the plan"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="risk_points")
    control_focus = models.TextField(_("control focus"), blank=True)
    control_unit = models.CharField(_("controlling unit"), max_length=100, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=RiskLevel.choices, blank=True)
    control_level = models.CharField(_("control level"), max_length=10, choices=ControlLevel.choices, blank=True)
    forced_major = models.BooleanField(_("major by a listed condition"), default=False)
    forced_major_reasons = models.JSONField(_("conditions that apply"), default=list, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise_id", "code", "id"]
        verbose_name = _("risk point")
        verbose_name_plural = _("risk points")
        constraints = [models.UniqueConstraint(fields=["enterprise", "code"], name="risk_point_code_per_enterprise")]
        permissions = [
            ("manage_risk_list", _("Can edit the enterprise's risk points, hazard sources, assessments and measures")),
            ("export_risk_list", _("Can export risk control lists")),
        ]
        indexes = [
            models.Index(fields=["township", "grade"]),
            models.Index(fields=["industry", "grade"]),
            models.Index(fields=["enterprise", "grade"]),
            # The bureau's liveness table counts the points in use by enterprise and grade from this index
            # alone (bureau part).
            models.Index(fields=["enterprise", "grade"], condition=Q(is_active=True), name="risk_point_in_use_grade"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class SpecialControlPlan(models.Model):
    """专项管控方案 of a major or high risk point (山东省安全生产条例 Art. 31 ¶2; 331号令, REGULATIONS-2 §A.2):
    access restricted or prohibited with registration, periodic patrols and checks; for a major risk also
    real-time monitoring or 24-hour duty and a cap on the people present."""

    SCOPE_PATHS = _through("risk_point")

    risk_point = models.OneToOneField(RiskPoint, verbose_name=_("risk point"), on_delete=models.CASCADE,
                                      related_name="special_control_plan")
    access_restriction = models.TextField(_("access restriction and registration"))
    patrol_cycle = models.PositiveIntegerField(_("patrol cycle"), validators=[MinValueValidator(1)])
    patrol_cycle_unit = models.CharField(_("patrol cycle unit"), max_length=10, choices=CycleUnit.choices)
    monitoring = models.TextField(_("real-time monitoring or 24-hour duty"), blank=True)
    max_people = models.PositiveIntegerField(_("maximum people present"), null=True, blank=True)
    other_measures = models.TextField(_("other measures"), blank=True)
    approved_by = models.CharField(_("approved by"), max_length=50)
    approved_on = models.DateField(_("approved on"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("special control plan")
        verbose_name_plural = _("special control plans")

    def __str__(self):
        return f"{self._meta.verbose_name} · {self.risk_point_id}"


class HazardSource(models.Model):
    """危险源 / 危险有害因素 of a risk point (风险事件 in the national interface), identified with JHA (a step of
    the activity) or SCL (an item of equipment), in one of four aspects (REGULATIONS-2 §A.3). ``grade`` is
    its current assessment's."""

    SCOPE_PATHS = _through("risk_point")

    risk_point = models.ForeignKey(RiskPoint, verbose_name=_("risk point"), on_delete=models.CASCADE,
                                   related_name="hazard_sources")
    identification_method = models.CharField(_("identification method"), max_length=5,
                                             choices=IdentificationMethod.choices)
    step_or_item = models.CharField(_("step or item"), max_length=200)
    name = models.CharField(_("hazard source"), max_length=200)
    factor_category = models.CharField(_("aspect"), max_length=15, choices=FactorCategory.choices)
    consequence = models.CharField(_("possible accident"), max_length=200, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=RiskLevel.choices, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["risk_point_id", "order", "id"]
        verbose_name = _("hazard source")
        verbose_name_plural = _("hazard sources")

    def __str__(self):
        return self.name


class RiskAssessment(models.Model):
    """One assessment of a hazard source by LEC, the risk matrix or MES, with its inputs, score, colour,
    grade and the basis of the table used. Assessments are kept; the newest is ``current``."""

    SCOPE_PATHS = _through("hazard_source__risk_point")

    hazard_source = models.ForeignKey(HazardSource, verbose_name=_("hazard source"), on_delete=models.CASCADE,
                                      related_name="assessments")
    method = models.CharField(_("method"), max_length=10, choices=AssessmentMethod.choices)
    inputs = models.JSONField(_("inputs"))
    score = models.DecimalField(_("score"), max_digits=12, decimal_places=3)
    grade = models.CharField(_("grade"), max_length=10, choices=RiskLevel.choices)
    basis = models.TextField(_("basis"))
    current = models.BooleanField(_("current"), default=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("assessed at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_at", "-id"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        constraints = [models.UniqueConstraint(fields=["hazard_source"], condition=Q(current=True),
                                               name="risk_assessment_one_current")]

    def __str__(self):
        return f"{self.get_method_display()} {self.score}"


class ControlMeasure(models.Model):
    """管控措施 of a hazard source in the national interface's categories (§A.6 classify1/classify2, plus the
    enterprise's own classify3), with what an investigation checks (隐患排查内容)."""

    SCOPE_PATHS = _through("hazard_source__risk_point")

    hazard_source = models.ForeignKey(HazardSource, verbose_name=_("hazard source"), on_delete=models.CASCADE,
                                      related_name="measures")
    category = models.CharField(_("category"), max_length=2, choices=MeasureCategory.choices)
    subcategory = models.CharField(_("subcategory"), max_length=4, choices=MeasureSubcategory.choices)
    own_category = models.CharField(_("enterprise's own category"), max_length=50, blank=True)
    description = models.TextField(_("measure"))
    check_content = models.TextField(_("what to check"))
    data_source = models.CharField(_("checked by"), max_length=2, choices=MeasureDataSource.choices,
                                   default=MeasureDataSource.INVESTIGATION)
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["hazard_source_id", "order", "id"]
        verbose_name = _("control measure")
        verbose_name_plural = _("control measures")
        constraints = [
            # classify2's first digit is its classify1 (§A.6).
            models.CheckConstraint(condition=Q(subcategory__startswith=models.F("category")),
                                   name="control_measure_subcategory_in_category"),
        ]

    def __str__(self):
        return self.description[:40]


class TaskFrequencyDefault(models.Model):
    """A default investigation frequency offered when a task is set up: editable data seeded with the
    hazardous-chemical frequencies of 应急〔2019〕78号 (REGULATIONS-2 §A.5, [P]) and 包保 duties (§B.2)."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    label = models.CharField(_("who and what"), max_length=100)
    investigation_type = models.CharField(_("investigation type"), max_length=20, choices=InvestigationType.choices)
    cycle = models.PositiveIntegerField(_("cycle"), validators=[MinValueValidator(1)])
    cycle_unit = models.CharField(_("cycle unit"), max_length=10, choices=CycleUnit.choices)
    basis = models.CharField(_("basis"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("default investigation frequency")
        verbose_name_plural = _("default investigation frequencies")

    def __str__(self):
        return self.label


class InvestigationTask(StampedModel):
    """排查任务 (§A.6 checkTask): which measures to check, how often (``cycle`` ``cycle_unit``, on every day,
    working days or non-working days of the work calendar, within working hours when the cycle is in hours),
    by which post or person, from when. A scheduled job creates its ``TaskInstance`` rows; ``generated_until``
    is how far it has gone, so a run never creates an instance twice and a late run catches up.

    A task of a major hazard installation's responsible person (``work_type`` principal / technical /
    operational, ``task_number`` its item in the list) checks no measure: the duty itself is checked, one
    record without a measure per instance. ``before_key_periods`` adds an instance before each holiday or
    key period (``shouye.risks.generation``)."""

    enterprise = enterprise_field("investigation_tasks")
    risk_point = models.ForeignKey(RiskPoint, verbose_name=_("risk point"), null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="tasks")
    measures = models.ManyToManyField(ControlMeasure, verbose_name=_("measures checked"), related_name="tasks")
    title = models.CharField(_("title"), max_length=200)
    investigation_type = models.CharField(_("investigation type"), max_length=20, choices=InvestigationType.choices,
                                          default=InvestigationType.ROUTINE)
    work_type = models.CharField(_("task of"), max_length=2, choices=TaskWorkType.choices, default=TaskWorkType.ROUTINE)
    task_number = models.PositiveSmallIntegerField(_("item in the responsible person's list"), null=True, blank=True,
                                                   validators=[MinValueValidator(1), MaxValueValidator(10)])
    before_key_periods = models.BooleanField(
        _("also before holidays and key periods"), default=False,
        help_text=_("One more investigation in the days before each public holiday period and each special "
                    "period the bureau declares (应急厅〔2021〕12号 Art. 5(5))."))
    cycle = models.PositiveIntegerField(_("cycle"), validators=[MinValueValidator(1)])
    cycle_unit = models.CharField(_("cycle unit"), max_length=10, choices=CycleUnit.choices)
    work_day_type = models.CharField(_("on"), max_length=2, choices=WorkDayType.choices, default=WorkDayType.EVERY_DAY)
    work_start = models.TimeField(_("working hours from"), null=True, blank=True)
    work_end = models.TimeField(_("working hours to"), null=True, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    post = models.CharField(_("post"), max_length=100, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)
    generated_until = models.DateTimeField(_("instances created until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise_id", "id"]
        verbose_name = _("investigation task")
        verbose_name_plural = _("investigation tasks")
        permissions = [
            ("manage_investigation_task", _("Can set up investigation tasks")),
            ("perform_investigation", _("Can carry out investigation tasks")),
        ]
        indexes = [models.Index(fields=["is_active", "generated_until"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(cycle_unit=CycleUnit.HOUR) | Q(work_start__isnull=False, work_end__isnull=False),
                name="investigation_task_hours_need_working_hours"),
        ]

    def __str__(self):
        return self.title


class TaskInstance(StampedModel):
    """One occurrence of a task, due in the window [``due_from``, ``due_by``). Done when its checks are
    recorded; missed when the window closes first — recorded, never dropped."""

    enterprise = enterprise_field("task_instances")
    task = models.ForeignKey(InvestigationTask, verbose_name=_("investigation task"), on_delete=models.CASCADE,
                             related_name="instances")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    due_from = models.DateTimeField(_("due from"))
    due_by = models.DateTimeField(_("due by"))
    state = models.CharField(_("state"), max_length=10, choices=InstanceState.choices, default=InstanceState.DUE)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    missed_at = models.DateTimeField(_("recorded missed at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_by", "id"]
        verbose_name = _("investigation task instance")
        verbose_name_plural = _("investigation task instances")
        constraints = [models.UniqueConstraint(fields=["task", "due_from"], name="task_instance_once_per_window")]
        indexes = [
            models.Index(fields=["state", "due_by"]),
            models.Index(fields=["enterprise", "state", "due_by"]),
            models.Index(fields=["assignee", "state", "due_by"]),
            models.Index(fields=["township", "state", "due_by"]),
            models.Index(fields=["industry", "state", "due_by"]),
            # The overdue responsible-person duties count the missed instances of some tasks: read from this
            # index alone, not from the table (shouye.major_hazards.duties).
            models.Index(fields=["task"], condition=Q(state=InstanceState.MISSED), name="task_instance_missed_task"),
        ]

    def __str__(self):
        return f"{self.task_id} @ {self.due_from:%Y-%m-%d %H:%M}"


class TaskCheck(models.Model):
    """排查记录 of one measure in one instance (§A.6 checkRecord): OK or not; a measure found not OK becomes
    a hazard bound to it (``hazard``, source "control measure failed"). A task without measures (a
    responsible person's duty) has one record without a measure per instance, its hazard bound the same way."""

    SCOPE_PATHS = _through("instance")

    instance = models.ForeignKey(TaskInstance, verbose_name=_("task instance"), on_delete=models.CASCADE,
                                 related_name="checks")
    measure = models.ForeignKey(ControlMeasure, verbose_name=_("control measure"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="checks")
    outcome = models.CharField(_("result"), max_length=10, choices=CheckOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    hazard = models.OneToOneField("hazards.Hazard", verbose_name=_("hazard"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="investigation_check")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("checked at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["instance_id", "id"]
        verbose_name = _("investigation record")
        verbose_name_plural = _("investigation records")
        constraints = [
            models.UniqueConstraint(fields=["instance", "measure"], name="task_check_once_per_measure"),
            models.UniqueConstraint(fields=["instance"], condition=Q(measure__isnull=True),
                                    name="task_check_once_without_measure"),
        ]

    def __str__(self):
        return f"{self.measure_id or '-'}: {self.outcome}"


class TaskCheckPhoto(PhotoAttachment):
    """A photo taken while checking a measure."""

    SCOPE_PATHS = _through("task_check__instance")
    upload_prefix = "risks/checks/"

    task_check = models.ForeignKey(TaskCheck, verbose_name=_("investigation record"), on_delete=models.CASCADE,
                              related_name="photos")

    objects = ScopedQuerySet.as_manager()

    class Meta(PhotoAttachment.Meta):
        verbose_name = _("investigation photo")
        verbose_name_plural = _("investigation photos")


class TaskDailyTotal(models.Model):
    """How many task instances of one enterprise fell due on one day (Asia/Shanghai) and how many of those
    were done or missed. The task services keep it as instances are created, done and missed, so the
    bureau's liveness table for a whole district sums at most 30 rows per enterprise instead of visiting
    every instance (issue 11: 10,000 enterprises in under 300 ms)."""

    SCOPE_PATHS = ScopePaths(region="township", industry="industry", enterprise="enterprise")

    day = models.DateField(_("day due"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    township = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey("enterprises.Industry", on_delete=models.PROTECT, related_name="+")
    due = models.PositiveIntegerField(_("due"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    missed = models.PositiveIntegerField(_("missed"), default=0)
    last_done_at = models.DateTimeField(_("last done at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("task daily total")
        verbose_name_plural = _("task daily totals")
        constraints = [models.UniqueConstraint(fields=["enterprise", "day"], name="task_daily_total_key")]
        indexes = [models.Index(fields=["township", "day"]), models.Index(fields=["industry", "day"]),
                   models.Index(fields=["day"]),
                   # The liveness table's "last completed task": one probe an enterprise (bureau part).
                   models.Index(fields=["enterprise", "last_done_at"], name="task_daily_total_last_done")]

    def __str__(self):
        return f"{self.day} {self.enterprise_id}: {self.done}/{self.due}"


class EnterpriseRiskScore(StampedModel):
    """The bureau's record of an enterprise's 100-point safety risk assessment (危险化学品生产储存企业安全风险
    评估诊断分级指南, 应急〔2018〕19号, REGULATIONS-2 §A.7): the score, any "direct red" conditions, the
    resulting colour by the rule ``enterprise-risk-colour``, and its basis. The newest is ``current``."""

    enterprise = enterprise_field("risk_scores")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    direct_red_reasons = models.JSONField(_("direct red conditions"), default=list, blank=True)
    colour = models.CharField(_("colour"), max_length=10)
    basis = models.TextField(_("basis"))
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.CharField(_("assessed by"), max_length=100, blank=True)
    current = models.BooleanField(_("current"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("enterprise risk score")
        verbose_name_plural = _("enterprise risk scores")
        permissions = [("record_enterprise_risk_score", _("Can record an enterprise's risk assessment score")),
                       ("view_liveness", _("Can see the dual-prevention liveness of enterprises"))]
        constraints = [models.UniqueConstraint(fields=["enterprise"], condition=Q(current=True),
                                               name="enterprise_risk_score_one_current")]

    def __str__(self):
        return f"{self.enterprise_id}: {self.colour}"


class RiskImportJob(ImportJobBase):
    """One Excel import of an enterprise's existing risk list (``shouye.risks.imports``) on the core import
    kit: all-or-nothing, large files in the background with progress, refusals with a file of errors."""

    created_count = models.PositiveIntegerField(_("hazard sources added"), default=0)

    class Meta(ImportJobBase.Meta):
        verbose_name = _("risk list import")
        verbose_name_plural = _("risk list imports")


class EnterpriseLiveness(models.Model):
    """One enterprise's figures of the liveness table as of a day (``as_of``): task instances due, done and
    missed on the 30 days before it, summed from ``TaskDailyTotal``, its newest completion ever, and its risk
    points in use by grade. The nightly job (``shouye.risks.liveness_summary.refresh_summaries``) writes every
    enterprise's row for the new day; each change of a daily total adds to the row in the same transaction, and
    each change of the risk list recounts its points. The bureau's whole-district table so reads one row an
    enterprise instead of summing 30 daily totals and 50 points (issue 11: 10,000 enterprises in under 300 ms
    p95). A row of another day than today, or none, is not read: that enterprise is counted from the daily
    totals and the points (decision 0013)."""

    enterprise = models.OneToOneField("enterprises.Enterprise", on_delete=models.CASCADE, primary_key=True,
                                      related_name="risk_liveness")
    as_of = models.DateField(_("as of"))
    due = models.PositiveIntegerField(_("due"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    missed = models.PositiveIntegerField(_("missed"), default=0)
    last_done_at = models.DateTimeField(_("last done at"), null=True, blank=True)
    points_major = models.PositiveIntegerField(_("major risk points"), default=0)
    points_high = models.PositiveIntegerField(_("high risk points"), default=0)
    points_moderate = models.PositiveIntegerField(_("moderate risk points"), default=0)
    points_low = models.PositiveIntegerField(_("low risk points"), default=0)

    class Meta:
        verbose_name = _("enterprise liveness")
        verbose_name_plural = _("enterprise liveness")

    def __str__(self):
        return f"{self.as_of} {self.enterprise_id}: {self.done}/{self.due}"
