"""The abstract model of an import job (see :mod:`shouye.core.importkit`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shouye.core.jobs.models import BackgroundJob


class ImportJobBase(BackgroundJob):
    """One upload of an import: the file, what the checks found, what was written. A concrete import job
    adds its Meta (verbose names) and may rename ``created_count`` for what it creates."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        VALIDATING = "validating", _("Checking rows")
        IMPORTING = "importing", _("Importing")
        SUCCEEDED = "succeeded", _("Imported")
        FAILED = "failed", _("Refused: errors found")

    CLAIMED = Status.VALIDATING

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    created_count = models.PositiveIntegerField(_("records created"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_file = models.FileField(_("file with errors"), upload_to="imports/%Y/%m/", blank=True)

    class Meta(BackgroundJob.Meta):
        abstract = True

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"
