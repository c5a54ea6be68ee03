from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouye.core.importkit.models import ImportJobBase
from shouye.regions.scoping import ScopedQuerySet, ScopePaths

from .choices import LicenceKind, LicenceState, OperatingStatus, PersonRole, Scale, Source
from .validators import validate_credit_code, validate_id_number, validate_phone


class Industry(models.Model):
    """A key industry and the department that supervises it (管行业必须管安全)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    department = models.ForeignKey("accounts.Organisation", verbose_name=_("supervising department"),
                                   on_delete=models.PROTECT, related_name="industries")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self):
        return self.name


class SupervisionGrade(models.Model):
    """Graded supervision (分级分类监管): the meaning of grades A–D and how often a year an enterprise of
    that grade is inspected. Editable data: each province sets its own frequencies."""

    code = models.CharField(_("grade"), max_length=1, unique=True)
    name = models.CharField(_("name"), max_length=30)
    meaning = models.CharField(_("meaning"), max_length=200)
    inspections_per_year = models.PositiveSmallIntegerField(_("inspections per year"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("supervision grade")
        verbose_name_plural = _("supervision grades")

    def __str__(self):
        return f"{self.code} · {self.name}"


class Tag(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class Enterprise(models.Model):
    """A supervised unit (生产经营单位): a company, but also a school, hospital or care home."""

    SCOPE_PATHS = ScopePaths(region="township", industry="industry", enterprise="pk")

    name = models.CharField(_("name"), max_length=120)
    credit_code = models.CharField(_("credit code"), max_length=18, unique=True,
                                   validators=[validate_credit_code])
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    address = models.CharField(_("address"), max_length=200, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(73), MaxValueValidator(136)])
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(3), MaxValueValidator(54)])
    township = models.ForeignKey("regions.Region", verbose_name=_("township"), on_delete=models.PROTECT,
                                 related_name="enterprises")
    industry = models.ForeignKey(Industry, verbose_name=_("industry"), on_delete=models.PROTECT,
                                 related_name="enterprises")
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, default=Scale.SMALL)
    employees = models.PositiveIntegerField(_("employees"), default=0)
    status = models.CharField(_("operating status"), max_length=10, choices=OperatingStatus.choices,
                              default=OperatingStatus.OPERATING)
    supervision_grade = models.ForeignKey(SupervisionGrade, verbose_name=_("supervision grade"),
                                          on_delete=models.PROTECT, related_name="enterprises")
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="enterprises")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        permissions = [
            ("import_enterprise", _("Can import enterprises from Excel")),
            ("export_enterprise", _("Can export enterprises to Excel")),
            ("view_personal_data", _("Can see ID numbers and personal phones in clear")),
            ("classify_enterprise", _("Can change an enterprise's credit code, township, industry, grade and status")),
        ]
        indexes = [
            models.Index(fields=["township", "industry", "id"]),
            models.Index(fields=["industry", "id"]),
            models.Index(fields=["supervision_grade", "id"]),
            models.Index(fields=["status", "id"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self):
        return self.name




class EnterprisePerson(models.Model):
    """Principal, safety director and safety officers, with their certificate (安全生产知识和管理能力考核合格证)."""

    SCOPE_PATHS = ScopePaths(region="enterprise__township", industry="enterprise__industry",
                             enterprise="enterprise")

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE,
                                   related_name="people")
    role = models.CharField(_("role"), max_length=20, choices=PersonRole.choices)
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, validators=[validate_id_number])
    certificate_number = models.CharField(_("certificate number"), max_length=50, blank=True)
    certificate_expiry = models.DateField(_("certificate expiry"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise", "role", "id"]
        verbose_name = _("key person")
        verbose_name_plural = _("key people")

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class Licence(models.Model):
    SCOPE_PATHS = ScopePaths(region="enterprise__township", industry="enterprise__industry",
                             enterprise="enterprise")

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE,
                                   related_name="licences")
    kind = models.CharField(_("kind"), max_length=30, choices=LicenceKind.choices)
    number = models.CharField(_("number"), max_length=60)
    issuer = models.CharField(_("issuer"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["valid_to", "id"]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        indexes = [models.Index(fields=["valid_to"])]
        constraints = [
            models.CheckConstraint(name="licence_valid_range", condition=models.Q(valid_to__gte=models.F("valid_from")),
                                   violation_error_message=_("The end of validity must not be before its start.")),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def state(self, today: date | None = None) -> str:
        """Expired after valid_to; expiring when valid_to is within SHOUYE_LICENCE_WARNING_DAYS."""
        today = today or date.today()
        if self.valid_to < today:
            return LicenceState.EXPIRED
        if self.valid_to <= today + timedelta(days=settings.SHOUYE_LICENCE_WARNING_DAYS):
            return LicenceState.EXPIRING
        return LicenceState.VALID

    def get_state_display(self) -> str:
        return LicenceState(self.state()).label


class ImportJob(ImportJobBase):
    """One Excel import of enterprises (shouye.enterprises.imports): all-or-nothing; large files run in the
    background and report progress."""

    created_count = models.PositiveIntegerField(_("enterprises created"), default=0)

    class Meta(ImportJobBase.Meta):
        verbose_name = _("import")
        verbose_name_plural = _("imports")
