import secrets
from datetime import date, datetime
from pathlib import PurePath
from uuid import uuid4

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouye.core.attachments import PhotoAttachment
from shouye.core.jobs.models import BackgroundJob
from shouye.enterprises.stamps import StampedModel, enterprise_field
from shouye.regions.scoping import ScopedQuerySet, ScopePaths

from .choices import (
    ExtensionState,
    HazardCategory,
    HazardLevel,
    HazardSource,
    HazardState,
    InvestigationType,
    PhotoKind,
    TipOffState,
)

OPEN_STATES = (HazardState.REPORTED, HazardState.RECTIFYING)


class HazardQuerySet(ScopedQuerySet):
    def overdue(self, today: date):
        """Past the deadline and not yet rectified (a rectification submitted in time is not overdue)."""
        return self.filter(state__in=OPEN_STATES, deadline__lt=today)


class Hazard(StampedModel):
    """A hidden hazard (事故隐患, 16号令 Art. 3) from discovery to close-out (销号).

    ``township`` and ``industry`` are stamped from the enterprise when the hazard is reported, so the scope
    filter is one indexed condition (ARCHITECTURE.md §5) and the ledger never joins for it."""

    enterprise = enterprise_field("hazards")
    location = models.CharField(_("location in the enterprise"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=20, choices=HazardCategory.choices,
                                default=HazardCategory.THINGS)
    level = models.CharField(_("level"), max_length=10, choices=HazardLevel.choices, default=HazardLevel.ORDINARY)
    source = models.CharField(_("source"), max_length=20, choices=HazardSource.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    #: The kind of investigation that found the hazard (the ten dangerSrc of REGULATIONS-2 §A.5/§A.6), set
    #: when it came from an investigation task of the risk list; empty for the other sources.
    investigation_type = models.CharField(_("investigation type"), max_length=20, choices=InvestigationType.choices,
                                          blank=True)
    found_at = models.DateTimeField(_("found at"))
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("found by"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    found_by_name = models.CharField(_("found by (name)"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=HazardState.choices, default=HazardState.REPORTED)
    measures = models.TextField(_("rectification measures"), blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=50, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    funds = models.DecimalField(_("funds (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0)])
    rectification_note = models.TextField(_("rectification description"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reinspected_at = models.DateTimeField(_("re-inspected at"), null=True, blank=True)
    reinspected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("re-inspected by"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="+")
    reinspection_result = models.TextField(_("re-inspection result"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField(_("extensions"), default=0)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = HazardQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        permissions = [
            ("report_hazard", _("Can report hazards")),
            ("rectify_hazard", _("Can rectify hazards of one's own enterprise")),
            ("assign_hazard", _("Can order rectification and approve extensions")),
            ("verify_hazard", _("Can re-inspect and close hazards")),
            ("expert_verify_hazard", _("Can give the expert verification of a major hazard")),
            ("export_hazard", _("Can export the hazard ledger")),
            ("triage_tipoff", _("Can triage tip-offs")),
            ("check_tipoff", _("Can check tip-offs sent to one's township")),
        ]
        indexes = [
            # The ledger: a township's or an industry's hazards, optionally in one state, newest first; its
            # count and the counts by state and overdue above it are read from the index alone.
            models.Index(fields=["township", "state", "found_at", "deadline"]),
            models.Index(fields=["industry", "state", "found_at", "deadline"]),
            models.Index(fields=["township", "found_at"]),
            models.Index(fields=["industry", "found_at"]),
            models.Index(fields=["enterprise", "found_at"]),
            # The daily deadline job and "overdue now" in the statistics, grouped without visiting the table.
            models.Index(fields=["state", "deadline", "township", "industry", "level"]),
            models.Index(fields=["found_at"]),
        ]

    def __str__(self):
        return f"{self.enterprise_id}·{self.description[:40]}"

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or date.today()
        return self.state in OPEN_STATES and self.deadline is not None and self.deadline < today


class HazardDailyTotal(models.Model):
    """How many hazards were found on one day (Asia/Shanghai) in one township and industry at one level, and
    how many of those are closed out and closed on time (definitions in ``shouye.hazards.selectors``).

    The services keep these counts as hazards are reported and closed (``shouye.hazards.totals``), so the
    statistics of a period read at most one row per day, township, industry and level instead of every
    hazard (issue 3: statistics under 200 ms at 1,000,000 hazards). ``manage.py hazard_totals`` checks them
    against the hazards and rebuilds them after a bulk load or a restore."""

    SCOPE_PATHS = ScopePaths(region="township", industry="industry", enterprise=None)

    day = models.DateField(_("day found"))
    township = models.ForeignKey("regions.Region", verbose_name=_("township"), on_delete=models.PROTECT,
                                 related_name="+")
    industry = models.ForeignKey("enterprises.Industry", verbose_name=_("industry"), on_delete=models.PROTECT,
                                 related_name="+")
    level = models.CharField(_("level"), max_length=10, choices=HazardLevel.choices)
    found = models.PositiveIntegerField(_("found"), default=0)
    closed = models.PositiveIntegerField(_("closed"), default=0)
    on_time = models.PositiveIntegerField(_("closed on time"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazard daily total")
        verbose_name_plural = _("hazard daily totals")
        constraints = [
            models.UniqueConstraint(fields=["day", "township", "industry", "level"], name="hazard_daily_total_key"),
        ]
        indexes = [
            models.Index(fields=["township", "day"]),
            models.Index(fields=["industry", "day"]),
        ]

    def __str__(self):
        return f"{self.day} {self.township_id}/{self.industry_id}/{self.level}: {self.found}"


class HazardPhoto(PhotoAttachment):
    """A photo of the hazard before or after rectification; a before-photo from an inspection item or a
    tip-off names that row's stored file (shouye.core.attachments.share_photo)."""

    SCOPE_PATHS = ScopePaths(region="hazard__township", industry="hazard__industry", enterprise="hazard__enterprise")
    upload_prefix = "hazards/"

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(_("kind"), max_length=10, choices=PhotoKind.choices)

    objects = ScopedQuerySet.as_manager()

    class Meta(PhotoAttachment.Meta):
        verbose_name = _("hazard photo")
        verbose_name_plural = _("hazard photos")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class GovernancePlan(models.Model):
    """重大事故隐患治理方案: the six parts of 16号令 Art. 15, all required before rectification starts."""

    PARTS = ["objectives", "methods", "funds_and_materials", "organisation", "time_limit", "safety_measures"]

    hazard = models.OneToOneField(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE,
                                  related_name="governance_plan")
    objectives = models.TextField(_("objectives and tasks"), blank=True)
    methods = models.TextField(_("methods and measures"), blank=True)
    funds_and_materials = models.TextField(_("funds and materials"), blank=True)
    organisation = models.TextField(_("organisation and people responsible"), blank=True)
    time_limit = models.TextField(_("time limit and requirements"), blank=True)
    safety_measures = models.TextField(_("safety measures and emergency plan"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("governance plan")
        verbose_name_plural = _("governance plans")

    def __str__(self):
        return f"{self._meta.verbose_name} #{self.hazard_id}"

    def missing_parts(self) -> list[str]:
        return [part for part in self.PARTS if not getattr(self, part).strip()]


class ListedSupervision(models.Model):
    """挂牌督办 of a major hazard, with the leader answerable for it."""

    hazard = models.OneToOneField(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE,
                                  related_name="listed_supervision")
    supervising_leader = models.CharField(_("supervising leader"), max_length=50)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    listed_at = models.DateTimeField(_("listed at"), auto_now_add=True)
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("listed supervision")
        verbose_name_plural = _("listed supervisions")

    def __str__(self):
        return f"{self.supervising_leader} #{self.hazard_id}"


class ExpertVerification(models.Model):
    """复核: an expert's verification of a major hazard's rectification, required for its close-out."""

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE,
                               related_name="expert_verifications")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT,
                               related_name="+")
    passed = models.BooleanField(_("passed"))
    opinion = models.TextField(_("opinion"))
    verified_at = models.DateTimeField(_("verified at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("expert verification")
        verbose_name_plural = _("expert verifications")

    def __str__(self):
        return f"{self.expert} #{self.hazard_id}"


class Extension(models.Model):
    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE, related_name="extensions")
    requested_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=ExtensionState.choices,
                             default=ExtensionState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self):
        return f"{self.requested_deadline} #{self.hazard_id}"


def tip_off_photo_path(instance: "TipOff", filename: str) -> str:
    """``tipoffs/YYYY/MM/<random>.<ext>``: the name of the file the sender's phone gave the photo (often a
    name, a date, a place) is not kept; only its extension, which the upload check (shouye.core.uploads) set
    from the photo's content. The stored name is shown to the enterprise when the photo becomes a hazard's
    before-photo (issue 9: a reporter is identified nowhere outside triage)."""
    suffix = PurePath(filename).suffix.lower()
    if not (suffix[1:].isascii() and suffix[1:].isalnum()):
        suffix = ""
    return f"tipoffs/{datetime.now():%Y/%m}/{uuid4().hex}{suffix}"


#: The receipt code's alphabet: digits and capitals without 0/O, 1/I/L, so a code read aloud on the phone or
#: copied from a screenshot is typed right.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#: 12 characters of 31: about 59 bits, so codes cannot be guessed (the status page also limits wrong tries).
RECEIPT_LENGTH = 12


def new_receipt_code() -> str:
    """A random receipt code (``secrets``, not the sequential id, which told everyone how many tip-offs the
    bureau receives and let anyone read another's status)."""
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def normalise_receipt_code(text: str) -> str:
    """The code as stored, from what a person typed: capitals, without the spaces and dashes of its display."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


class TipOff(models.Model):
    """A report from the public (举报), triaged by bureau staff into a hazard or dismissed with a reason, or
    sent to the township's officers to check on site first (the place may be an unregistered business)."""

    SCOPE_PATHS = ScopePaths(region="township", industry="enterprise__industry", enterprise="enterprise")

    enterprise_name = models.CharField(_("enterprise or place"), max_length=200)
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey("regions.Region", verbose_name=_("township"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("what did you see"))
    reporter_name = models.CharField(_("your name (optional)"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("your phone (optional)"), max_length=20, blank=True)
    photo = models.ImageField(_("photo"), upload_to=tip_off_photo_path, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=TipOffState.choices, default=TipOffState.NEW)
    hazard = models.OneToOneField(Hazard, null=True, blank=True, on_delete=models.PROTECT, related_name="tip_off")
    dismiss_reason = models.TextField(_("reason for dismissal"), blank=True)
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    triaged_at = models.DateTimeField(null=True, blank=True)
    receipt_code = models.CharField(_("receipt code"), max_length=RECEIPT_LENGTH, unique=True,
                                    default=new_receipt_code, editable=False)
    public_reason = models.CharField(_("reply to the sender"), max_length=300, blank=True)
    check_request = models.TextField(_("what to check"), blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    sent_at = models.DateTimeField(_("sent to the township at"), null=True, blank=True)
    check_result = models.TextField(_("result of the check"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("tip-off")
        verbose_name_plural = _("tip-offs")
        indexes = [models.Index(fields=["township", "state"], name="hazards_tipoff_township_state")]

    def __str__(self):
        return f"{self.enterprise_name} ({self.created_at:%Y-%m-%d})"

    @property
    def receipt_display(self) -> str:
        """The code in groups of four, as the thanks page shows it (ABCD-EFGH-JKMN)."""
        code = self.receipt_code
        return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


class TipOffCheck(TipOff):
    """A tip-off as the township officer who checks it on site sees it: only those sent to its township, and
    nothing of who sent it or what they wrote (the bureau writes what to check). A proxy, so the check pages
    have their own scope case and their own permission, apart from the bureau's triage."""

    class Meta:
        proxy = True
        verbose_name = _("tip-off to check")
        verbose_name_plural = _("tip-offs to check")


class LedgerExport(BackgroundJob):
    """An Excel export of the hazard ledger too large for the request (more than SHOUYE_LEDGER_SYNC_MAX_ROWS
    rows): a background job writes the file and reports its progress. ``query`` holds the ledger's filter
    parameters as a query string, evaluated with the creator's scope when the job runs. Visible only to the
    user who started it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Writing rows")
        SUCCEEDED = "succeeded", _("Ready")
        FAILED = "failed", _("Failed")

    CLAIMED = Status.RUNNING

    query = models.TextField(_("filters"), blank=True)
    language = models.CharField(_("language"), max_length=12, blank=True)
    #: 10 characters, as the column was created (the longest status, "succeeded", has 9)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("ledger export")
        verbose_name_plural = _("ledger exports")

    def __str__(self):
        return f"{self.filename or self._meta.verbose_name} ({self.get_status_display()})"
