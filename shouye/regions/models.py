from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import RegionLevel


class Region(models.Model):
    """An administrative division keyed by its official code: district (GB/T 2260, 6 digits), township
    (街道 or 镇, 9 digits) or village (12 digits). See REGULATIONS.md §10.3."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name
