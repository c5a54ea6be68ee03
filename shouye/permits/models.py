"""Special-operation permits (安全作业票, GB 30871-2022) — decision 0012.

One ``SpecialOperationPermit`` per kind and job (4.6), stamped with its enterprise's township and industry. What
every form has is a column; what one kind's form adds (the hot-work method, the height, the load, the power
point …) is ``details``, checked against that kind's fields by the services. The rules' results are stored
with the permit (the grade and why, the validity, the approver's required level), so a permit reads as it was
decided. The numbered safety measures, the gas tests, the people, the signatures and the photos are rows of
their own; a signed row is never edited (4.18) — a correction is a new record.

The live board reads the permit's own columns (state, kind, grade, times, ``problems``) so that "what is in
progress now across the district" is one indexed query."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouye.core.attachments import PhotoAttachment
from shouye.enterprises.stamps import StampedModel
from shouye.regions.scoping import ScopedQuerySet, ScopePaths

from .choices import ApproverLevel, PermitKind, PermitPersonRole, PermitSource, PermitState


def _through(path: str) -> ScopePaths:
    return ScopePaths(region=f"{path}__township", industry=f"{path}__industry", enterprise=f"{path}__enterprise")


class SpecialOperationPermit(StampedModel):
    """安全作业票: one special operation of one enterprise (REGULATIONS-2 §C.1 header fields)."""

    number = models.CharField(_("permit number"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=PermitKind.choices)
    source = models.CharField(_("issued in"), max_length=10, choices=PermitSource.choices,
                              default=PermitSource.SHOUYE)
    state = models.CharField(_("state"), max_length=12, choices=PermitState.choices, default=PermitState.DRAFT)
    # The grade: hot work "special"/"1"/"2", work at height "I"–"IV", lifting "1"–"3"; blank for the others.
    grade = models.CharField(_("grade"), max_length=8, blank=True)
    situation_grade = models.CharField(_("grade from the situation alone"), max_length=8, blank=True)
    grade_raised_by = models.JSONField(_("raised by"), default=list, blank=True)
    grade_basis = models.TextField(_("basis of the grade"), blank=True)
    applicant_unit = models.CharField(_("applying unit"), max_length=100)
    work_unit = models.CharField(_("unit doing the work"), max_length=100)
    content = models.TextField(_("work content"))
    location = models.CharField(_("place and part"), max_length=200)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    details = models.JSONField(_("fields of this kind's form"), default=dict, blank=True)
    risk_identification = models.TextField(_("risk identification result"), blank=True)
    related_numbers = models.JSONField(_("numbers of related permits"), default=list, blank=True)
    related = models.ManyToManyField("self", verbose_name=_("related permits"), blank=True, symmetrical=True)
    applied_at = models.DateTimeField(_("applied at"))
    planned_start = models.DateTimeField(_("work from"))
    planned_end = models.DateTimeField(_("work until"))
    max_validity_hours = models.PositiveIntegerField(_("longest validity (h)"), null=True, blank=True)
    required_approver_level = models.CharField(_("required approver level"), max_length=20, blank=True,
                                               choices=ApproverLevel.choices)
    briefed_by = models.CharField(_("briefed by"), max_length=50, blank=True)
    briefed_to = models.JSONField(_("briefed to"), default=list, blank=True)
    briefed_at = models.DateTimeField(_("briefed at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)
    last_gas_test_at = models.DateTimeField(_("last gas sample"), null=True, blank=True)
    video_required = models.BooleanField(_("full-process video required"), default=False)
    video_url = models.URLField(_("video record link"), max_length=500, blank=True)
    # When the retention job removed the video link (B.3: kept at least a month): the permit still had one.
    video_link_removed_at = models.DateTimeField(_("video link removed at"), null=True, blank=True)
    special_period = models.ForeignKey("workcalendar.SpecialPeriod", verbose_name=_("special period"), null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="+")
    filing_due_by = models.DateTimeField(_("to be filed by"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveSmallIntegerField(_("number of problems"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_at", "-id"]
        verbose_name = _("special-operation permit")
        verbose_name_plural = _("special-operation permits")
        permissions = [
            ("issue_permit", _("Can fill in and issue permits")),
            ("sign_permit", _("Can sign permits")),
            ("watch_permit", _("Can act as a permit's watchperson")),
            ("view_permit_board", _("Can view the special-operation board")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "number"], name="permit_number_once_per_enterprise"),
            models.CheckConstraint(condition=Q(planned_end__gt=models.F("planned_start")),
                                   name="permit_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["state", "kind", "grade"], name="permit_live_idx"),
            models.Index(fields=["enterprise", "-applied_at"], name="permit_enterprise_idx"),
            models.Index(fields=["township", "applied_at"], name="permit_township_idx"),
            models.Index(fields=["industry", "applied_at"], name="permit_industry_idx"),
            # The statistics read a period's permits from this index alone on PostgreSQL (an index-only scan: 38,000
            # permits in 25 ms where the heap pages cost 300 ms; bench/permits.py). Elsewhere it is on applied_at.
            models.Index(fields=["applied_at"], name="permit_statistics_idx",
                         include=["id", "township", "industry", "enterprise", "kind", "grade", "approved_at",
                                  "problem_count"]),
            # The board's figures read the permits not yet closed (permit_live_idx) or started today (this one).
            models.Index(fields=["started_at"], name="permit_started_idx"),
        ]

    def __str__(self):
        return self.number


class PermitPerson(models.Model):
    """A person the form names, with the special-operation certificate where the form asks for one
    (动火人及证书编号, 电工证号 …; 4.9)."""

    SCOPE_PATHS = _through("permit")

    permit = models.ForeignKey(SpecialOperationPermit, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(_("role"), max_length=12, choices=PermitPersonRole.choices)
    name = models.CharField(_("name"), max_length=50)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    certificate_number = models.CharField(_("certificate number"), max_length=50, blank=True)
    certificate_issued_on = models.DateField(_("certificate issued on"), null=True, blank=True)
    certificate_last_review_on = models.DateField(_("certificate last reviewed on"), null=True, blank=True)
    certificate_expires_on = models.DateField(_("certificate valid until"), null=True, blank=True)
    certificate_review_due = models.DateField(_("certificate review due"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["permit_id", "role", "id"]
        verbose_name = _("person on a permit")
        verbose_name_plural = _("people on permits")

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class PermitMeasure(models.Model):
    """One numbered safety measure of the form (是否涉及 / 确认人), or the closing "其他安全措施" with its author."""

    SCOPE_PATHS = _through("permit")

    permit = models.ForeignKey(SpecialOperationPermit, on_delete=models.CASCADE, related_name="measures")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("safety measure"))
    is_other = models.BooleanField(_("other safety measure"), default=False)
    author = models.CharField(_("written by"), max_length=50, blank=True)
    involved = models.BooleanField(_("involved"), null=True, blank=True)
    confirmed_by = models.CharField(_("confirmed by"), max_length=50, blank=True)
    confirmed_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["permit_id", "number"]
        verbose_name = _("permit safety measure")
        verbose_name_plural = _("permit safety measures")
        constraints = [models.UniqueConstraint(fields=["permit", "number"], name="permit_measure_once")]

    def __str__(self):
        return f"{self.number}. {self.text[:40]}"


class GasTest(models.Model):
    """A gas analysis (气体取样分析): before work and re-tests during it (5.3.1, 6.3, 6.5). ``passed`` and
    ``failures`` are the rules' verdict (``shouye.rules.permits.gas_test``) at the time it was entered."""

    SCOPE_PATHS = _through("permit")

    permit = models.ForeignKey(SpecialOperationPermit, on_delete=models.CASCADE, related_name="gas_tests")
    sampled_at = models.DateTimeField(_("sampled at"))
    sample_point = models.CharField(_("sampling point"), max_length=100)
    representative_gas = models.CharField(_("representative gas"), max_length=50)
    lel_percent = models.DecimalField(_("lower explosive limit (%)"), max_digits=6, decimal_places=3, null=True,
                                      blank=True)
    result_percent = models.DecimalField(_("flammable concentration (% vol)"), max_digits=7, decimal_places=4,
                                         null=True, blank=True)
    oxygen_percent = models.DecimalField(_("oxygen (% vol)"), max_digits=5, decimal_places=2, null=True, blank=True)
    toxic_gas = models.CharField(_("toxic gas"), max_length=50, blank=True)
    toxic_value = models.CharField(_("toxic gas result"), max_length=50, blank=True)
    analyst = models.CharField(_("analyst"), max_length=50)
    during_work = models.BooleanField(_("re-test during work"), default=False)
    passed = models.BooleanField(_("passed"))
    failures = models.JSONField(_("why it failed"), default=list, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["permit_id", "sampled_at", "id"]
        verbose_name = _("gas test")
        verbose_name_plural = _("gas tests")

    def __str__(self):
        return f"{self.permit_id} @ {self.sampled_at:%Y-%m-%d %H:%M}"


class PermitSignature(models.Model):
    """One signature row of the form (``step`` of :mod:`shouye.permits.chains`), signed on screen in order.
    The approver records the level it approves at and, when the phone gives it, where it stood (4.11: on
    site)."""

    SCOPE_PATHS = _through("permit")

    permit = models.ForeignKey(SpecialOperationPermit, on_delete=models.CASCADE, related_name="signatures")
    step = models.CharField(_("signature"), max_length=20)
    sequence = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=50)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signer"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    opinion = models.CharField(_("opinion"), max_length=200, blank=True)
    level = models.CharField(_("approves as"), max_length=20, blank=True, choices=ApproverLevel.choices)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(_("position accuracy (m)"), null=True, blank=True)
    image = models.BinaryField(_("signature (PNG)"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["permit_id", "sequence"]
        verbose_name = _("permit signature")
        verbose_name_plural = _("permit signatures")
        constraints = [models.UniqueConstraint(fields=["permit", "step"], name="permit_signature_once_per_step")]

    def __str__(self):
        return f"{self.permit_id} · {self.step} · {self.name}"


class PermitPhoto(PhotoAttachment):
    """A photo of a measure in place, or of the work site."""

    SCOPE_PATHS = _through("permit")
    upload_prefix = "permits/"

    permit = models.ForeignKey(SpecialOperationPermit, on_delete=models.CASCADE, related_name="photos")
    measure = models.ForeignKey(PermitMeasure, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="photos")

    objects = ScopedQuerySet.as_manager()

    class Meta(PhotoAttachment.Meta):
        verbose_name = _("permit photo")
        verbose_name_plural = _("permit photos")
