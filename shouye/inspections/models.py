from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouye.core.attachments import PhotoAttachment
from shouye.enterprises.stamps import StampedModel, enterprise_field
from shouye.hazards.choices import HazardCategory, HazardLevel
from shouye.regions.scoping import ScopedQuerySet, ScopePaths

from .choices import DeliveryMethod, DocumentKind, InspectionKind, InspectionState, ItemResult, SignerRole

#: Number templates used when a document kind has no sequence yet; ``{year}`` and ``{number}`` are filled in.
#: Editable per kind and year in the admin (DocumentSequence.prefix_template); a new year starts from the
#: template of the kind's latest year, so an edit carries forward.
DEFAULT_NUMBER_TEMPLATES = {
    DocumentKind.INSPECTION_RECORD: "长应急检记〔{year}〕{number}号",
    DocumentKind.RECTIFICATION_ORDER: "长应急责改〔{year}〕{number}号",
    DocumentKind.REINSPECTION_OPINION: "长应急复查〔{year}〕{number}号",
    DocumentKind.DELIVERY_RECEIPT: "长应急送达〔{year}〕{number}号",
}


class Checklist(models.Model):
    """A checklist template (检查表). Admins edit it; every change raises ``version``. An inspection copies
    the items into its own item results when it starts, so later edits never change a record already made."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    industry = models.ForeignKey("enterprises.Industry", verbose_name=_("industry"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")

    def __str__(self):
        return self.name


class ChecklistItem(models.Model):
    """One requirement of a checklist, with the rule it comes from and the hazard level a failure implies."""

    checklist = models.ForeignKey(Checklist, verbose_name=_("checklist"), on_delete=models.CASCADE,
                                  related_name="items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("requirement"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    default_level = models.CharField(_("hazard level if not met"), max_length=10, choices=HazardLevel.choices,
                                     default=HazardLevel.ORDINARY)
    category = models.CharField(_("hazard category"), max_length=20, choices=HazardCategory.choices,
                                default=HazardCategory.THINGS)

    class Meta:
        ordering = ["checklist", "order", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self):
        return f"{self.order}. {self.text[:60]}"


class InspectionPlan(StampedModel):
    """One enterprise's inspection plan for one year: how many inspections are due (from its supervision
    grade, 分级分类监管) and who carries them out, an enforcement squad or a township officer."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000),
                                                                   MaxValueValidator(2100)])
    enterprise = enterprise_field("inspection_plans")
    inspections_due = models.PositiveSmallIntegerField(_("inspections due"))
    squad = models.ForeignKey("accounts.Organisation", verbose_name=_("enforcement squad"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+",
                              limit_choices_to={"kind": "squad"})
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("township officer"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "township", "enterprise"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        constraints = [
            models.UniqueConstraint(fields=["year", "enterprise"], name="one_plan_per_enterprise_and_year"),
            models.CheckConstraint(name="plan_assigned_to_squad_or_officer",
                                   condition=models.Q(squad__isnull=True) | models.Q(officer__isnull=True)),
        ]
        indexes = [models.Index(fields=["year", "township"]), models.Index(fields=["year", "squad"])]

    def __str__(self):
        return f"{self.year} · {self.enterprise}"


class InspectionQuerySet(ScopedQuerySet):
    def counting_towards_plan(self, year: int):
        """Finished inspections of ``year`` that count towards an enterprise's plan. A re-inspection (复查)
        checks a rectification; it is not one of the inspections a supervision grade calls for."""
        return self.filter(state=InspectionState.FINISHED, inspected_at__year=year).exclude(
            kind=InspectionKind.REINSPECTION)


class Inspection(StampedModel):
    """An on-site inspection (监督检查) of one enterprise. ``township`` and ``industry`` are stamped from the
    enterprise when it starts, so the scope filter is one indexed condition (ARCHITECTURE.md §5)."""

    kind = models.CharField(_("kind"), max_length=15, choices=InspectionKind.choices)
    enterprise = enterprise_field("inspections")
    inspected_at = models.DateTimeField(_("inspected at"))
    place = models.CharField(_("place inspected"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    checklist = models.ForeignKey(Checklist, verbose_name=_("checklist"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="inspections")
    checklist_name = models.CharField(_("checklist used"), max_length=120, blank=True)
    checklist_version = models.PositiveIntegerField(_("checklist version"), null=True, blank=True)
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("inspectors"),
                                        related_name="inspections_as_inspector")
    experts = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("experts"), blank=True,
                                     related_name="inspections_as_expert")
    reinspection_of = models.ForeignKey("self", verbose_name=_("re-inspection of"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="reinspections")
    notes = models.TextField(_("notes"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=InspectionState.choices,
                             default=InspectionState.IN_PROGRESS)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    finished_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("finished by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-inspected_at", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        permissions = [
            ("conduct_enforcement_inspection", _("Can conduct enforcement inspections (enforcement officer)")),
            ("issue_inspection_document", _("Can issue inspection documents")),
        ]
        indexes = [
            models.Index(fields=["township", "inspected_at"]),
            models.Index(fields=["industry", "inspected_at"]),
            models.Index(fields=["enterprise", "inspected_at"]),
            models.Index(fields=["state", "inspected_at"]),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_kind_display()} · {self.inspected_at:%Y-%m-%d}"

    @property
    def is_finished(self) -> bool:
        return self.state == InspectionState.FINISHED


class InspectionItem(models.Model):
    """One checklist item as this inspection used it: the requirement, legal basis, level and category are
    copied from the template when the inspection starts (the version it used), then marked. A non-compliant
    item becomes a hazard when the inspection is finished, linked here."""

    SCOPE_PATHS = ScopePaths(region="inspection__township", industry="inspection__industry",
                             enterprise="inspection__enterprise")

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE,
                                   related_name="items")
    checklist_item = models.ForeignKey(ChecklistItem, verbose_name=_("checklist item"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("requirement"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    default_level = models.CharField(_("hazard level if not met"), max_length=10, choices=HazardLevel.choices,
                                     default=HazardLevel.ORDINARY)
    category = models.CharField(_("hazard category"), max_length=20, choices=HazardCategory.choices,
                                default=HazardCategory.THINGS)
    result = models.CharField(_("result"), max_length=15, choices=ItemResult.choices, default=ItemResult.PENDING)
    finding = models.TextField(_("finding"), blank=True)
    location = models.CharField(_("location in the enterprise"), max_length=200, blank=True)
    hazard = models.ForeignKey("hazards.Hazard", verbose_name=_("hazard"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="inspection_items")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", "order", "id"]
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")

    def __str__(self):
        return f"{self.order}. {self.text[:60]}"

    def draft_description(self) -> str:
        """The hazard description proposed on the confirmation page: what was found, or the requirement
        that was not met."""
        return self.finding.strip() or str(_("Not met: %(requirement)s") % {"requirement": self.text})


class InspectionPhoto(PhotoAttachment):
    """A photo of the inspection, or of one item (a non-compliant item's photos become its hazard's
    before-photos by name, not by copy)."""

    SCOPE_PATHS = ScopePaths(region="inspection__township", industry="inspection__industry",
                             enterprise="inspection__enterprise")
    upload_prefix = "inspections/"

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE,
                                   related_name="photos")
    item = models.ForeignKey(InspectionItem, verbose_name=_("item"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="photos")

    objects = ScopedQuerySet.as_manager()

    class Meta(PhotoAttachment.Meta):
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")

    def __str__(self):
        return f"{self._meta.verbose_name} #{self.pk}"


def validate_number_template(value: str) -> None:
    if "{year}" not in value or "{number}" not in value:
        raise ValidationError(_("The template must contain {year} and {number}."))
    try:
        value.format(year=2026, number=1)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValidationError(_("The template may only contain {year} and {number}.")) from exc


class DocumentSequence(models.Model):
    """The numbering of one document kind in one year (文书编号): numbers are handed out one by one, under a
    row lock, in the transaction that creates the document, so they are unique and have no gaps."""

    kind = models.CharField(_("document kind"), max_length=25, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number issued"), default=0)
    prefix_template = models.CharField(_("number template"), max_length=60,
                                       validators=[validate_number_template],
                                       help_text=_("For example 长应急责改〔{year}〕{number}号"))

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("document numbering")
        verbose_name_plural = _("document numbering")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="one_sequence_per_kind_and_year")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}"

    def format(self, number: int) -> str:
        return self.prefix_template.format(year=self.year, number=number)


class Document(models.Model):
    """An issued enforcement document (执法文书) as a PDF, with its number."""

    SCOPE_PATHS = ScopePaths(region="inspection__township", industry="inspection__industry",
                             enterprise="inspection__enterprise")

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="documents")
    kind = models.CharField(_("kind"), max_length=25, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))
    number = models.CharField(_("document number"), max_length=80, unique=True)
    file = models.FileField(_("PDF"), upload_to="inspections/documents/%Y/")
    deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    recipient_name = models.CharField(_("received by"), max_length=60, blank=True,
                                      help_text=_("The enterprise's person who signs for the document."))
    served_document = models.ForeignKey("self", verbose_name=_("document served"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="delivery_receipts")
    delivery_method = models.CharField(_("delivery method"), max_length=12, choices=DeliveryMethod.choices,
                                       blank=True)
    delivery_place = models.CharField(_("place of delivery"), max_length=200, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"),
                                  on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [models.UniqueConstraint(fields=["kind", "year", "serial"], name="one_serial_per_kind_year")]

    def __str__(self):
        return self.number

    def filename(self) -> str:
        return f"{self.get_kind_display()}-{self.number}.pdf"


class DocumentSignature(models.Model):
    """A signature drawn on screen for one document: by one of its inspectors, or by the enterprise's person
    who receives it. The PNG is kept in the row (a few kilobytes, validated by
    :mod:`shouye.core.signatures`), so a refused issue leaves no file behind and the signature cannot
    be read apart from the document it belongs to."""

    SCOPE_PATHS = ScopePaths(region="document__inspection__township", industry="document__inspection__industry",
                             enterprise="document__inspection__enterprise")

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.CASCADE,
                                 related_name="signatures")
    role = models.CharField(_("signed as"), max_length=10, choices=SignerRole.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signer"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    image = models.BinaryField(_("signature (PNG)"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["document", "role", "id"]
        verbose_name = _("document signature")
        verbose_name_plural = _("document signatures")

    def __str__(self):
        return f"{self.document} · {self.name}"
