"""High-risk work areas (高危作业场所) of chemical enterprises and the ledger of the people who work there, with
their certificates (issue 11; REGULATIONS-2 §F.3, §F.4)."""

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouye.core.importkit.models import ImportJobBase
from shouye.core.jobs.models import BackgroundJob
from shouye.enterprises.stamps import StampedModel
from shouye.enterprises.validators import validate_id_number, validate_phone
from shouye.regions.scoping import ScopedQuerySet, ScopePaths
from shouye.rules.data.certificates import MAX_CONTINUOUS_YEARS

from . import certificates
from .choices import CertificateFlag, CertificateKind

#: Bounds of what a person types (ARCHITECTURE.md §10): a plant's work area holds people, not crowds.
MAX_PEOPLE = 10_000


class WorkArea(StampedModel):
    """A work area an enterprise has assessed, and whether it is high-risk (高危作业场所): a high-risk area has the
    maximum number of people allowed in it, the posts allowed in and its measures."""

    name = models.CharField(_("name"), max_length=100)
    location = models.CharField(_("location"), max_length=200, blank=True)
    hazards_present = models.TextField(_("hazards present"), max_length=2000, blank=True)
    people_present = models.PositiveIntegerField(_("people normally present"), default=0,
                                                 validators=[MaxValueValidator(MAX_PEOPLE)])
    assessed_on = models.DateField(_("assessed on"))
    high_risk = models.BooleanField(_("high-risk work area"), default=False)
    assessment_reason = models.TextField(_("reason for the result"), max_length=2000)
    max_people = models.PositiveIntegerField(_("maximum number of people"), null=True, blank=True,
                                             validators=[MinValueValidator(1), MaxValueValidator(MAX_PEOPLE)])
    allowed_posts = models.TextField(_("posts allowed in"), max_length=2000, blank=True,
                                     help_text=_("One post per line."))
    measures = models.TextField(_("measures"), max_length=4000, blank=True)
    zone = models.ForeignKey("risks.PlanZone", verbose_name=_("zone on the plan"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="work_areas")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise", "name", "id"]
        verbose_name = _("work area")
        verbose_name_plural = _("work areas")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name"], name="workarea_name_unique_per_enterprise",
                                    violation_error_message=_("The enterprise already has a work area of this name.")),
            models.CheckConstraint(name="workarea_high_risk_has_max_people",
                                   condition=Q(high_risk=False) | Q(max_people__isnull=False),
                                   violation_error_message=_("A high-risk work area needs its maximum number of "
                                                             "people.")),
        ]
        indexes = [models.Index(fields=["enterprise", "high_risk"])]

    def __str__(self):
        return self.name

    def posts(self) -> list[str]:
        return [line.strip() for line in self.allowed_posts.splitlines() if line.strip()]


class Worker(StampedModel):
    """A person of the enterprise's personnel ledger (一人一档): who works in its high-risk work areas, with the
    certificates of the post."""

    name = models.CharField(_("full name"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18, validators=[validate_id_number])
    post = models.CharField(_("post"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    work_areas = models.ManyToManyField(WorkArea, verbose_name=_("high-risk work areas"), blank=True,
                                        related_name="workers")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise", "name", "id"]
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        permissions = [
            ("import_worker", _("Can import the personnel ledger from Excel")),
            ("export_worker", _("Can export the personnel ledger to Excel")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "id_number"], name="worker_id_number_unique_per_enterprise",
                                    violation_error_message=_("This ID number is already in the enterprise's "
                                                              "personnel ledger.")),
        ]

    def __str__(self):
        return f"{self.name}（{self.post}）"


class WorkerCertificate(models.Model):
    """A worker's special-operation certificate (特种作业操作证, with its operation category) or safety
    qualification (安全资格证). Its expiry, next review and application window are computed from the rule
    ``certificate-review`` (``certificates.review``) whenever it is saved, and kept so that the to-dos and the
    ledger's filters are indexed conditions."""

    SCOPE_PATHS = ScopePaths(region="worker__township", industry="worker__industry", enterprise="worker__enterprise")

    worker = models.ForeignKey(Worker, verbose_name=_("worker"), on_delete=models.CASCADE,
                               related_name="certificates")
    kind = models.CharField(_("kind"), max_length=30, choices=CertificateKind.choices)
    operation_category = models.CharField(_("operation category"), max_length=60, blank=True,
                                          help_text=_("For a special-operation certificate, such as 危险化学品安全作业 "
                                                      "· 氯化工艺作业."))
    number = models.CharField(_("certificate number"), max_length=50)
    issued_on = models.DateField(_("issued on"))
    last_review_on = models.DateField(_("last review on"), null=True, blank=True)
    continuous_years = models.PositiveSmallIntegerField(_("continuous years in the trade"), default=0,
                                                        validators=[MaxValueValidator(MAX_CONTINUOUS_YEARS)])
    compliant = models.BooleanField(_("no violations"), default=True,
                                    help_text=_("No penalised violation of safety rules (30号令 Art. 21)."))
    authority = models.CharField(_("issuing authority"), max_length=100, blank=True)
    expires_on = models.DateField(_("expires on"))
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)
    apply_from = models.DateField(_("apply from"), null=True, blank=True)
    apply_by = models.DateField(_("apply by"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["worker", "kind", "id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [models.Index(fields=["expires_on"]), models.Index(fields=["apply_from"]),
                   models.Index(fields=["next_review_due"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def compute_dates(self) -> None:
        """Expiry, next review and the application window from the rule (``certificates.review``)."""
        result = certificates.review(self.kind, self.issued_on, self.last_review_on, self.continuous_years,
                                     self.compliant)
        self.expires_on, self.next_review_due = result.expires_on, result.next_review_due
        self.apply_from, self.apply_by = result.apply_from, result.apply_by

    def flag(self, today: date) -> str:
        return certificates.flag(self, today)

    def get_flag_display(self, today: date) -> str:
        return CertificateFlag(self.flag(today)).label


def flag_q(flag: str, today: date, prefix: str = "") -> Q:
    """Certificates (through ``prefix``) whose :func:`certificates.flag` on ``today`` is ``flag`` (not "valid")."""
    expired = Q(**{f"{prefix}expires_on__lt": today})
    overdue = Q(**{f"{prefix}next_review_due__lt": today}) & ~expired
    if flag == CertificateFlag.EXPIRED:
        return expired
    if flag == CertificateFlag.REVIEW_OVERDUE:
        return overdue
    return needs_attention_q(today, prefix) & ~expired & ~Q(**{f"{prefix}next_review_due__lt": today})


def needs_attention_q(today: date, prefix: str = "") -> Q:
    """Certificates (through ``prefix``, such as ``certificates__``) that are expired, overdue for review or in
    their application window on ``today``: the database form of :func:`certificates.flag` ≠ valid."""
    warn = today + timedelta(days=settings.SHOUYE_LICENCE_WARNING_DAYS)
    return (Q(**{f"{prefix}expires_on__lt": today})
            | Q(**{f"{prefix}kind": CertificateKind.SPECIAL_OPERATION, f"{prefix}apply_from__lte": today})
            | Q(**{f"{prefix}kind": CertificateKind.SAFETY_QUALIFICATION, f"{prefix}expires_on__lte": warn}))


class WorkerImportJob(ImportJobBase):
    """One Excel import of the personnel ledger (``shouye.workareas.imports``): all-or-nothing; large files run
    in the background and report progress."""

    created_count = models.PositiveIntegerField(_("people added"), default=0)

    class Meta(ImportJobBase.Meta):
        verbose_name = _("personnel ledger import")
        verbose_name_plural = _("personnel ledger imports")


class WorkerExport(BackgroundJob):
    """An Excel export of the personnel ledger too large for the request (more than
    SHOUYE_LEDGER_SYNC_MAX_ROWS rows, as for the hazard ledger): a background job writes the file and reports its
    progress. ``query`` holds the ledger's filter parameters as a query string, read with the creator's scope
    and masking when the job runs. Visible only to the user who started it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Writing rows")
        SUCCEEDED = "succeeded", _("Ready")
        FAILED = "failed", _("Failed")

    CLAIMED = Status.RUNNING

    query = models.TextField(_("filters"), blank=True)
    language = models.CharField(_("language"), max_length=12, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("personnel ledger export")
        verbose_name_plural = _("personnel ledger exports")
