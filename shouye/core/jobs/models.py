"""The abstract model of a background job (see :mod:`shouye.core.jobs`)."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BackgroundJob(models.Model):
    """What every background job records. A concrete job redeclares ``status`` with its own ``Status``
    choices (their labels are what its page shows), which must include ``QUEUED``, ``SUCCEEDED`` and
    ``FAILED`` as below, and sets ``CLAIMED``, the status its work starts in."""

    QUEUED: ClassVar[str] = "pending"
    SUCCEEDED: ClassVar[str] = "succeeded"
    FAILED: ClassVar[str] = "failed"
    CLAIMED: ClassVar[str] = "running"

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=12, default=QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    #: when the files were deleted at the end of their retention period (shouye.core.retention)
    files_removed_at = models.DateTimeField(_("files removed"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-id"]

    @property
    def is_finished(self) -> bool:
        return self.status in (self.SUCCEEDED, self.FAILED)

    @property
    def percent(self) -> int:
        """Rows done of rows to do, in whole percent; a finished job is at 100 whatever its count."""
        if self.is_finished:
            return 100
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
